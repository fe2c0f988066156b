//! The search index, written at build time beside the theme (`site/assets/search/`, below a
//! folder pages cannot take, where `search/` is a common folder of content) and read by
//! `assets/search.js` in the browser: no server, nothing fetched from outside. Every page of
//! the site is split into its sections (the text under each heading, as the HTML backend
//! rendered it, see `search_text.rs`), so a result lands on the heading, and carries the
//! filters the model knows: the hosts and services a page shows or names (fleet blocks,
//! resolved command names, links to host pages), its kind and its tags.
//!
//! Files, all JSON, all deterministic (sorted maps, no times, no hashes of memory):
//! - `index.json`: the pages (URL, title, first section, filter values) and the
//!   filter vocabularies; loaded on the first focus of the search box.
//! - `t-<n>.json`: the words, sharded by their first two characters so that a
//!   query word of two or more characters reads one shard; each word lists the sections
//!   it is in with a weight (`s`) and the pages whose title holds it (`p`).
//! - `d-<n>.json`: each section's anchor, heading and opening text, in blocks of
//!   [`BLOCK`] sections; read only for the results shown.
//!
//! The tokenizer here and the one in `assets/search.js` must agree: lowercase runs of
//! letters and digits, 2 to [`MAX_WORD`] characters, without the stop words below.

use crate::load::pages::PageKind;
use crate::model::blocks::Block;
use crate::model::commands::resolve::Target as CommandTarget;
use crate::model::links::Target;
use crate::model::site::PageRefs;
use crate::model::Fleet;
use crate::render::search_text::{PageText, SectionText};
use crate::render::Ctx;
use bytes::Bytes;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// Each word's list: sections and weights, or pages.
type Lists = HashMap<String, Vec<u32>>;
use std::sync::Arc;

/// The folder of the index below the site root.
pub const DIR: &str = "assets/search";
/// Sections per `d-<n>.json` file.
pub const BLOCK: usize = 32;
/// The longest word indexed (longer runs are hashes and keys, not words).
pub const MAX_WORD: usize = 40;
/// Pages whose words one thread gathers before the lists are joined.
const RUN: usize = 64;
/// How much of a section's text a result shows (characters).
const EXCERPT: usize = 280;
/// The format of the files, for the script to check.
const VERSION: u32 = 1;

/// Words too common to narrow a search (also left out of queries by the script).
pub const STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "is", "it", "of", "on",
    "or", "the", "this", "to", "was", "with",
];

/// What a page is, for the kind filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Page(PageKind),
    Fleet,
    Host,
}

impl std::hash::Hash for EntryKind {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

/// In the order the kind filter lists them: the pages' kinds, then the generated pages.
impl Ord for EntryKind {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let rank = |k: &EntryKind| match k {
            EntryKind::Page(PageKind::Runbook) => 0,
            EntryKind::Page(PageKind::Explainer) => 1,
            EntryKind::Page(PageKind::Note) => 2,
            EntryKind::Host => 3,
            EntryKind::Fleet => 4,
        };
        rank(self).cmp(&rank(other))
    }
}

impl PartialOrd for EntryKind {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Page(k) => k.as_str(),
            EntryKind::Fleet => "fleet",
            EntryKind::Host => "host",
        }
    }
}

/// One page of the site as the index holds it.
#[derive(Debug, Clone, Hash)]
pub struct Entry {
    /// Site-root-relative, percent-encoded folder URL (`runbooks/restore/`).
    pub url: String,
    pub title: String,
    pub kind: EntryKind,
    /// Indexes into the fleet's hosts and services.
    pub hosts: BTreeSet<usize>,
    pub services: BTreeSet<usize>,
    pub tags: Vec<String>,
    pub text: Arc<PageText>,
}

/// A Markdown page's entry: its text as rendered, and what the model resolved it to name.
pub fn page_entry(
    p: &crate::model::pages::Page,
    refs: &PageRefs,
    ctx: &Ctx,
    text: Arc<PageText>,
) -> Entry {
    let (hosts, services) = mentions(refs, ctx.fleet);
    Entry {
        url: crate::model::links::encode_path(&p.url),
        title: p.title.clone(),
        kind: EntryKind::Page(p.source.front.kind),
        hosts,
        services,
        tags: p.source.front.tags.clone(),
        text,
    }
}

/// The hosts and services a page shows or names: fleet blocks for one host (and so its
/// services), names in its commands, links to a host page or a service on it; a named
/// service brings its hosts.
/// A fleet-wide table or diagram names no host in particular.
fn mentions(refs: &PageRefs, fleet: &Fleet) -> (BTreeSet<usize>, BTreeSet<usize>) {
    let mut hosts = BTreeSet::new();
    let mut services = BTreeSet::new();
    for b in &refs.blocks {
        match &b.block {
            Some(Block::Table { host: Some(h), .. }) => {
                hosts.insert(*h);
                services.extend(fleet.services_on(*h).map(|(s, _)| s));
            }
            Some(Block::Diagram(d)) => {
                if let Some(h) = d.host {
                    hosts.insert(h);
                    services.extend(fleet.services_on(h).map(|(s, _)| s));
                }
            }
            _ => {}
        }
    }
    for c in &refs.commands {
        match c.target {
            CommandTarget::Host(h) => {
                hosts.insert(h);
            }
            CommandTarget::Service(s) => {
                services.insert(s);
            }
        }
    }
    for (_, t) in &refs.links {
        let Target::Generated { path, anchor } = t else {
            continue;
        };
        let Some(id) = path
            .strip_prefix("hosts/")
            .map(|rest| rest.trim_end_matches('/'))
        else {
            continue;
        };
        if let Some(h) = fleet.host_ix(id) {
            hosts.insert(h);
        }
        if let Some(s) = anchor
            .as_deref()
            .and_then(|a| a.strip_prefix("service-"))
            .and_then(|id| fleet.service_ix(id))
        {
            services.insert(s);
        }
    }
    for &s in &services {
        if let Some(svc) = fleet.services.get(s) {
            hosts.extend(svc.hosts.iter().copied());
        }
    }
    hosts.retain(|&h| h < fleet.hosts.len());
    services.retain(|&s| s < fleet.services.len());
    (hosts, services)
}

fn words(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fleet overview and each host page, from the model (what their templates show).
pub fn fleet_entries(fleet: &Fleet) -> Vec<Entry> {
    let mut out = Vec::with_capacity(fleet.hosts.len() + 1);
    let hosts_text = fleet
        .hosts
        .iter()
        .map(|h| words(&[Some(&h.name), Some(h.id.as_str()), h.role.as_deref()]))
        .collect::<Vec<_>>()
        .join(" ");
    out.push(Entry {
        url: "fleet/".into(),
        title: "Fleet overview".into(),
        kind: EntryKind::Fleet,
        hosts: BTreeSet::new(),
        services: BTreeSet::new(),
        tags: Vec::new(),
        text: Arc::new(PageText {
            sections: vec![
                SectionText {
                    anchor: String::new(),
                    heading: String::new(),
                    text: words(&[
                        Some(&fleet.name),
                        fleet.owner.as_deref(),
                        fleet.description.as_deref(),
                    ]),
                },
                SectionText {
                    anchor: "hosts".into(),
                    heading: "Hosts".into(),
                    text: hosts_text,
                },
            ],
        }),
    });
    for (h, host) in fleet.hosts.iter().enumerate() {
        let address = host.address.to_string();
        let mut sections = vec![SectionText {
            anchor: String::new(),
            heading: String::new(),
            text: words(&[
                Some(host.id.as_str()),
                Some(&address),
                host.role.as_deref(),
                host.provider.as_deref(),
                host.region.as_deref(),
                host.contact.as_deref(),
                host.rebuild.as_deref(),
                host.storage.as_deref(),
            ]),
        }];
        let mut services = BTreeSet::new();
        for (s, svc) in fleet.services_on(h) {
            services.insert(s);
            let ports = svc
                .ports
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            sections.push(SectionText {
                anchor: format!("service-{}", svc.id),
                heading: svc.name.clone(),
                text: words(&[
                    Some(svc.id.as_str()),
                    Some(svc.kind.as_str()),
                    svc.unit.as_deref(),
                    svc.container.as_deref(),
                    Some(&ports),
                    svc.public.as_deref(),
                    svc.protocol.as_deref(),
                    svc.group.as_deref(),
                    svc.description.as_deref(),
                ]),
            });
        }
        if !host.not_running.is_empty() {
            sections.push(SectionText {
                anchor: "not-running".into(),
                heading: "Not running here".into(),
                text: host.not_running.join(" "),
            });
        }
        out.push(Entry {
            url: format!(
                "hosts/{}/",
                crate::model::links::encode_path(host.id.as_str())
            ),
            title: host.name.clone(),
            kind: EntryKind::Host,
            hosts: BTreeSet::from([h]),
            services,
            tags: Vec::new(),
            text: Arc::new(PageText { sections }),
        });
    }
    out
}

/// The words of a text as the index and the script see them.
pub fn tokens(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    words_of(&lower).map(str::to_string).collect()
}

/// The words of an already lowercased text, borrowed from it: runs of letters and digits
/// (read byte by byte while they are ASCII), 2 to [`MAX_WORD`] characters, no stop words.
fn words_of(lower: &str) -> impl Iterator<Item = &str> {
    Words { s: lower, at: 0 }.filter(|w| {
        let n = if w.is_ascii() {
            w.len()
        } else {
            w.chars().count()
        };
        (2..=MAX_WORD).contains(&n) && (n > 4 || !STOP_WORDS.contains(w))
    })
}

struct Words<'a> {
    s: &'a str,
    at: usize,
}

impl Words<'_> {
    /// Whether a letter or digit starts at byte `i`, and its length.
    fn word_char(&self, i: usize) -> (bool, usize) {
        let b = self.s.as_bytes()[i];
        if b.is_ascii() {
            return (b.is_ascii_alphanumeric(), 1);
        }
        match self.s[i..].chars().next() {
            Some(c) => (c.is_alphanumeric(), c.len_utf8()),
            None => (false, 1),
        }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let len = self.s.len();
        while self.at < len {
            let (word, n) = self.word_char(self.at);
            if word {
                break;
            }
            self.at += n;
        }
        if self.at >= len {
            return None;
        }
        let start = self.at;
        while self.at < len {
            let (word, n) = self.word_char(self.at);
            if !word {
                break;
            }
            self.at += n;
        }
        Some(&self.s[start..self.at])
    }
}

/// The shard of a word: by its first two characters (so every word a query word of two
/// characters or more can be the start of is in one shard).
pub fn shard_of(word: &str, shards: u32) -> u32 {
    let mut cs = word.chars();
    let a = cs.next().map_or(0, u32::from);
    let b = cs.next().map_or(0, u32::from);
    (a.wrapping_mul(31).wrapping_add(b)) % shards.max(1)
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    shards: u32,
    block: usize,
    sections: usize,
    filters: Vec<FilterGroup>,
    pages: Vec<PageRow<'a>>,
}

#[derive(Serialize)]
struct FilterGroup {
    name: &'static str,
    label: &'static str,
    /// (value, label); their numbers run on from the previous group's.
    values: Vec<(String, String)>,
}

#[derive(Serialize)]
struct PageRow<'a> {
    u: &'a str,
    t: &'a str,
    /// The page's first section.
    s: usize,
    /// Its filter values.
    f: Vec<usize>,
}

#[derive(Serialize, Default)]
struct Shard {
    /// word -> [section, weight, section, weight, ...]
    s: BTreeMap<String, Vec<u32>>,
    /// word -> pages whose title holds it
    p: BTreeMap<String, Vec<u32>>,
}

/// A word's list, made the first time the word is met (the word is copied then only).
fn list_of<'m>(lists: &'m mut Lists, w: &str) -> &'m mut Vec<u32> {
    if !lists.contains_key(w) {
        lists.insert(w.to_string(), Vec::new());
    }
    lists.get_mut(w).expect("just inserted")
}

/// Adds the words of section `id`'s text or heading (`lower`, lowercased) to the words'
/// lists with their weights: a word in the text counts once per use, at most 5; in the
/// heading, 8 more.
fn weigh(id: u32, lower: &str, heading: bool, words: &mut Lists) {
    for w in words_of(lower) {
        let list = list_of(words, w);
        match list.len() {
            n if n >= 2 && list[n - 2] == id => {
                let weight = &mut list[n - 1];
                *weight = if heading {
                    if *weight < 8 {
                        *weight + 8
                    } else {
                        *weight
                    }
                } else {
                    (*weight + 1).min(5)
                };
            }
            _ => list.extend([id, if heading { 8 } else { 1 }]),
        }
    }
}

/// The start of a section's text, cut at a word.
fn excerpt(text: &str) -> String {
    // Squashed from a start that holds EXCERPT characters unless white space runs are long.
    let text = text.trim_start();
    let mut head = text.len().min(EXCERPT * 2);
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let text = crate::render::search_text::squash(&text[..head]);
    let Some((end, _)) = text.char_indices().nth(EXCERPT) else {
        return text;
    };
    let cut = &text[..end];
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..at])
}

/// Every file of the index: (path below the site root, bytes), in path order.
/// The ids and names of the fleet's hosts and services, as the filters show them.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub hosts: Vec<(String, String)>,
    pub services: Vec<(String, String)>,
}

impl Names {
    pub fn of(fleet: &Fleet) -> Self {
        Names {
            hosts: fleet
                .hosts
                .iter()
                .map(|h| (h.id.to_string(), h.name.clone()))
                .collect(),
            services: fleet
                .services
                .iter()
                .map(|s| (s.id.to_string(), s.name.clone()))
                .collect(),
        }
    }
}

/// An index to make: what it holds, and its key in the render cache. `watch` makes it
/// after the browser has reloaded the edited page (see `RenderCache::deferred_search`).
pub struct Job {
    pub key: u64,
    pub entries: Vec<Entry>,
    pub names: Names,
}

impl Job {
    pub fn run(&self) -> Vec<(String, Bytes)> {
        index_files(&self.entries, &self.names)
    }
}

pub fn index_files(entries: &[Entry], names: &Names) -> Vec<(String, Bytes)> {
    // Filter vocabularies: only values some page has, in the fleet's order (tags sorted).
    let used_hosts: BTreeSet<usize> = entries
        .iter()
        .flat_map(|e| e.hosts.iter().copied())
        .collect();
    let used_services: BTreeSet<usize> = entries
        .iter()
        .flat_map(|e| e.services.iter().copied())
        .collect();
    let kinds: BTreeSet<EntryKind> = entries.iter().map(|e| e.kind).collect();
    let tags: BTreeSet<&str> = entries
        .iter()
        .flat_map(|e| e.tags.iter().map(String::as_str))
        .collect();
    let groups = vec![
        FilterGroup {
            name: "host",
            label: "Host",
            values: used_hosts
                .iter()
                .filter_map(|&h| names.hosts.get(h).cloned())
                .collect(),
        },
        FilterGroup {
            name: "service",
            label: "Service",
            values: used_services
                .iter()
                .filter_map(|&s| names.services.get(s).cloned())
                .collect(),
        },
        FilterGroup {
            name: "kind",
            label: "Kind",
            values: kinds
                .iter()
                .map(|k| (k.as_str().to_string(), k.as_str().to_string()))
                .collect(),
        },
        FilterGroup {
            name: "tag",
            label: "Tag",
            values: tags
                .iter()
                .map(|t| (t.to_string(), t.to_string()))
                .collect(),
        },
    ];
    let host_no: BTreeMap<usize, usize> = used_hosts
        .iter()
        .enumerate()
        .map(|(i, &h)| (h, i))
        .collect();
    let service_no: BTreeMap<usize, usize> = used_services
        .iter()
        .enumerate()
        .map(|(i, &s)| (s, i + host_no.len()))
        .collect();
    let kind_base = host_no.len() + service_no.len();
    let kind_no: BTreeMap<EntryKind, usize> = kinds
        .iter()
        .enumerate()
        .map(|(i, &k)| (k, i + kind_base))
        .collect();
    let tag_base = kind_base + kind_no.len();
    let tag_no: BTreeMap<&str, usize> = tags
        .iter()
        .enumerate()
        .map(|(i, &t)| (t, i + tag_base))
        .collect();

    // Each section's number, in page order.
    let mut firsts = Vec::with_capacity(entries.len());
    let mut count = 0u32;
    for e in entries {
        firsts.push(count);
        count += e.text.sections.len() as u32;
    }
    // The words' lists, made for runs of pages in parallel and joined in page order, so
    // each list stays in the order of the sections.
    // Each section is lowercased while its words are read, so no run holds more than one
    // section's lowercase copy.
    let runs: Vec<(Lists, Lists)> = entries
        .par_chunks(RUN)
        .enumerate()
        .map(|(r, run)| {
            let (mut words, mut titles): (Lists, Lists) = (HashMap::default(), HashMap::default());
            for (i, e) in run.iter().enumerate() {
                let page = r * RUN + i;
                for (n, sec) in e.text.sections.iter().enumerate() {
                    let id = firsts[page] + n as u32;
                    weigh(id, &sec.text.to_lowercase(), false, &mut words);
                    weigh(id, &sec.heading.to_lowercase(), true, &mut words);
                }
                for w in words_of(&e.title.to_lowercase()) {
                    let list = list_of(&mut titles, w);
                    if list.last() != Some(&(page as u32)) {
                        list.push(page as u32);
                    }
                }
            }
            (words, titles)
        })
        .collect();
    let mut words: Lists = HashMap::default();
    let mut titles: Lists = HashMap::default();
    for (w, t) in runs {
        for (word, list) in w {
            words.entry(word).or_default().extend(list);
        }
        for (word, list) in t {
            titles.entry(word).or_default().extend(list);
        }
    }
    let mut rows = Vec::with_capacity(entries.len());
    let mut sections: Vec<&SectionText> = Vec::with_capacity(count as usize);
    for e in entries {
        let first = sections.len();
        let mut f: Vec<usize> = e
            .hosts
            .iter()
            .filter_map(|h| host_no.get(h).copied())
            .collect();
        f.extend(e.services.iter().filter_map(|s| service_no.get(s).copied()));
        f.extend(kind_no.get(&e.kind).copied());
        f.extend(
            e.tags
                .iter()
                .filter_map(|t| tag_no.get(t.as_str()).copied()),
        );
        f.sort_unstable();
        f.dedup();
        rows.push(PageRow {
            u: &e.url,
            t: &e.title,
            s: first,
            f,
        });
        sections.extend(e.text.sections.iter());
    }

    // Shards of about 64 KB: a power of two between 1 and 256, by the size of the lists.
    let size: usize = words
        .iter()
        .chain(titles.iter())
        .map(|(w, l)| w.len() + 4 + l.len() * 5)
        .sum();
    let shards = (size / 65_536).clamp(1, 256).next_power_of_two() as u32;
    let mut by_shard: Vec<Shard> = (0..shards).map(|_| Shard::default()).collect();
    for (w, list) in words {
        by_shard[shard_of(&w, shards) as usize].s.insert(w, list);
    }
    for (w, list) in titles {
        by_shard[shard_of(&w, shards) as usize].p.insert(w, list);
    }

    let manifest = Manifest {
        version: VERSION,
        shards,
        block: BLOCK,
        sections: sections.len(),
        filters: groups,
        pages: rows,
    };
    let mut files: Vec<(String, Bytes)> = vec![(format!("{DIR}/index.json"), json(&manifest))];
    files.par_extend(
        by_shard
            .par_iter()
            .enumerate()
            .map(|(i, shard)| (format!("{DIR}/t-{i}.json"), json(shard))),
    );
    files.par_extend(sections.par_chunks(BLOCK).enumerate().map(|(i, block)| {
        let rows: Vec<(&str, &str, String)> = block
            .iter()
            .map(|s| (s.anchor.as_str(), s.heading.as_str(), excerpt(&s.text)))
            .collect();
        (format!("{DIR}/d-{i}.json"), json(&rows))
    }));
    files
}

/// JSON with `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026` (they only occur
/// inside strings): no file of the site holds markup from a name or title unescaped, even
/// where a browser might sniff the index as HTML.
fn json(v: &impl Serialize) -> Bytes {
    let raw = serde_json::to_vec(v).unwrap_or_default();
    if !raw.iter().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return Bytes::from(raw);
    }
    let mut out = Vec::with_capacity(raw.len() + 64);
    for b in raw {
        match b {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            _ => out.push(b),
        }
    }
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercase_runs_without_stop_words() {
        let t: Vec<String> =
            tokens("Restart the Gitea service: systemctl restart code-server@ops.service");
        assert_eq!(
            t,
            [
                "restart",
                "gitea",
                "service",
                "systemctl",
                "restart",
                "code",
                "server",
                "ops",
                "service"
            ]
        );
    }

    #[test]
    fn markup_in_the_index_is_escaped_json() {
        let j = json(&("Webhook receivers <ci>", "a & b"));
        assert_eq!(
            &j[..],
            br#"["Webhook receivers \u003cci\u003e","a \u0026 b"]"#
        );
        let back: (String, String) = serde_json::from_slice(&j).unwrap();
        assert_eq!(back.0, "Webhook receivers <ci>");
    }

    #[test]
    fn a_word_and_its_start_share_a_shard() {
        for n in [1, 2, 64, 256] {
            assert_eq!(shard_of("gitea", n), shard_of("gi", n));
            assert_eq!(shard_of("ßtraße", n), shard_of("ßt", n));
        }
    }
}
