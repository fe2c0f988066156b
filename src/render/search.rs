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
//!   it is in with a weight (`s`, one number a section: the gap from the previous section
//!   times 16 plus the weight, see [`push_parts`]) and the pages whose title holds it
//!   (`p`, gaps from the previous page).
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
use std::sync::Arc;

/// The folder of the index below the site root.
pub const DIR: &str = "assets/search";
/// Sections per `d-<n>.json` file.
pub const BLOCK: usize = 32;
/// The longest word indexed (longer runs are hashes and keys, not words).
pub const MAX_WORD: usize = 40;
/// Pages whose words one thread gathers before the lists are joined.
pub const RUN: usize = 64;

/// Of a build's `runs` of pages, how many have their words counted as soon as their pages
/// are rendered. The rest, the last three tenths, are counted in the build's last phase:
/// there one core makes the topic list, feed and sitemap, and the other had nothing to do
/// (at 10,000 pages, 10-15 % less wall time; their texts are kept until then, 15 MB).
pub fn counted_while_rendering(runs: usize) -> usize {
    runs - runs * 3 / 10
}
/// How much of a section's text a result shows (characters).
const EXCERPT: usize = 280;
/// The format of the files, for the script to check.
const VERSION: u32 = 2;

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

/// A word of up to four bytes as one number (its bytes, then zeros), so that telling a
/// stop word is comparing numbers, not strings; `None` for a longer word.
const fn packed(w: &[u8]) -> Option<u32> {
    if w.len() > 4 {
        return None;
    }
    let mut n = 0u32;
    let mut i = 0;
    while i < w.len() {
        n |= (w[i] as u32) << (8 * i);
        i += 1;
    }
    Some(n)
}

/// [`STOP_WORDS`], each [`packed`].
const STOP_KEYS: [u32; STOP_WORDS.len()] = {
    let mut keys = [0u32; STOP_WORDS.len()];
    let mut i = 0;
    while i < STOP_WORDS.len() {
        keys[i] = match packed(STOP_WORDS[i].as_bytes()) {
            Some(n) => n,
            None => panic!("a stop word has more than four bytes"),
        };
        i += 1;
    }
    keys
};

/// Whether a word is one of [`STOP_WORDS`] (only words of up to four letters are looked
/// up): a few number comparisons (at 1,000 pages, the binary search over the words' text
/// this replaced was a third of the time of counting words).
fn is_stop_word(w: &str) -> bool {
    packed(w.as_bytes()).is_some_and(|n| STOP_KEYS.contains(&n))
}

/// The words of an already lowercased text, borrowed from it: runs of letters and digits
/// (read byte by byte while they are ASCII), 2 to [`MAX_WORD`] characters, no stop words.
fn words_of(lower: &str) -> impl Iterator<Item = &str> {
    Words { s: lower, at: 0 }.filter_map(|(w, ascii)| {
        let n = if ascii { w.len() } else { w.chars().count() };
        ((2..=MAX_WORD).contains(&n) && (n > 4 || !is_stop_word(w))).then_some(w)
    })
}

struct Words<'a> {
    s: &'a str,
    at: usize,
}

impl Words<'_> {
    /// Whether the letter or digit starting at byte `i` (not ASCII) is one, and its length.
    fn wide_char(&self, i: usize) -> (bool, usize) {
        match self.s[i..].chars().next() {
            Some(c) => (c.is_alphanumeric(), c.len_utf8()),
            None => (false, 1),
        }
    }
}

impl<'a> Iterator for Words<'a> {
    /// A run of letters and digits, and whether it is all ASCII.
    type Item = (&'a str, bool);
    fn next(&mut self) -> Option<(&'a str, bool)> {
        let bytes = self.s.as_bytes();
        let len = bytes.len();
        // To the first letter or digit.
        while self.at < len {
            let b = bytes[self.at];
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() {
                    break;
                }
                self.at += 1;
            } else {
                let (word, n) = self.wide_char(self.at);
                if word {
                    break;
                }
                self.at += n;
            }
        }
        if self.at >= len {
            return None;
        }
        let start = self.at;
        let mut ascii = true;
        while self.at < len {
            let b = bytes[self.at];
            if b.is_ascii() {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                self.at += 1;
            } else {
                let (word, n) = self.wide_char(self.at);
                if !word {
                    break;
                }
                ascii = false;
                self.at += n;
            }
        }
        Some((&self.s[start..self.at], ascii))
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

/// A word's list of sections, as section and weight pairs while the runs of pages are read.
type Postings = Vec<(u32, u8)>;

/// A section as a result shows it, as its row of a `d-<n>.json` file is written: the JSON
/// array of its anchor, heading and opening text (see [`excerpt`]).
type Shown = Box<str>;

/// A word's sections in one run, written as the files hold them (see [`push_parts`])
/// but for the first, whose gap is from the word's last section in the runs before: that
/// is written when the runs are joined. About three bytes a section, where the pairs of
/// section and weight took eight, and twice that while their lists grew.
struct Part {
    /// The first section, numbered from the run's first, and its weight.
    first: u32,
    weight: u8,
    /// The last section, numbered from the run's first.
    last: u32,
    /// How many sections.
    count: u32,
    /// `,n` for each section after the first.
    rest: Box<[u8]>,
}

impl Part {
    /// `list` is in section order and not empty (a word is listed where it was met).
    fn of(list: &[(u32, u8)]) -> Part {
        let (first, weight) = list.first().copied().unwrap_or_default();
        let mut rest = Vec::with_capacity(list.len().saturating_sub(1) * 4);
        let mut prev = first;
        for &(id, weight) in list.iter().skip(1) {
            rest.push(b',');
            push_number(&mut rest, u64::from(id - prev) * 16 + u64::from(weight));
            prev = id;
        }
        Part {
            first,
            weight,
            last: prev,
            count: list.len() as u32,
            rest: rest.into_boxed_slice(),
        }
    }
}

/// What a run of consecutive entries adds to the index: its words' lists and its
/// sections' rows. A build makes each run on the thread that rendered its pages, as soon
/// as they are rendered, so the pages' texts go then and not when the index is written.
pub struct Run {
    /// word -> the sections of the run that hold it
    sections: Vec<(String, Part)>,
    /// word -> the entries whose title holds it, numbered in the whole index
    titles: HashMap<String, Vec<u32>>,
    /// Each section's row of the `d-<n>.json` files, in order.
    shown: Vec<Shown>,
    /// How many sections each entry of the run has.
    counts: Vec<u32>,
}

impl Run {
    /// The run of `entries`, the first of which is entry `first` of the index. Each
    /// section is lowercased into one buffer while its words are read.
    pub fn of(first: usize, entries: &[Entry]) -> Run {
        let mut run = Run {
            sections: Vec::new(),
            titles: HashMap::default(),
            shown: Vec::new(),
            counts: Vec::with_capacity(entries.len()),
        };
        // word -> the sections of the run that hold it, numbered from the run's first,
        // each with its weight
        let mut lists: HashMap<String, Postings> = HashMap::default();
        let mut scratch = String::new();
        for (i, e) in entries.iter().enumerate() {
            let page = (first + i) as u32;
            for sec in &e.text.sections {
                let id = run.shown.len() as u32;
                weigh(id, lowercase(&sec.text, &mut scratch), false, &mut lists);
                weigh(id, lowercase(&sec.heading, &mut scratch), true, &mut lists);
                run.shown
                    .push(row(&sec.anchor, &sec.heading, &excerpt(&sec.text)));
            }
            run.counts.push(e.text.sections.len() as u32);
            for w in words_of(lowercase(&e.title, &mut scratch)) {
                match run.titles.get_mut(w) {
                    Some(list) if list.last() == Some(&page) => {}
                    Some(list) => list.push(page),
                    None => {
                        run.titles.insert(w.to_string(), vec![page]);
                    }
                }
            }
        }
        run.sections = lists
            .into_iter()
            .map(|(word, list)| (word, Part::of(&list)))
            .collect();
        run
    }
}

/// A word's list in parts, one for each run that has the word, with the run's number.
type Parts<T> = Vec<(u32, T)>;

/// Where each file of the index goes as it is made: its path below the site root, and
/// its bytes.
pub type Put<'a> = &'a (dyn Fn(String, Bytes) + Sync);

/// The runs added so far, in any order, joined word by word as each comes: a run's words
/// are dropped once joined, so the index holds one copy of each word, not one a run. The
/// sections' rows go to their `d-<n>.json` files as soon as the runs before theirs are in.
pub struct Gather<'a> {
    joined: std::sync::Mutex<Joined>,
    put: Put<'a>,
}

#[derive(Default)]
struct Joined {
    words: HashMap<String, Parts<Part>>,
    titles: HashMap<String, Parts<Vec<u32>>>,
    /// run number -> its entries' section counts
    counts: BTreeMap<u32, Vec<u32>>,
    /// run number -> its sections' rows, while a run before it is still missing
    waiting: BTreeMap<u32, Vec<Shown>>,
    /// The next run whose rows go to the files.
    next: u32,
    /// The rows of the block being filled, and its number.
    block: Vec<Shown>,
    blocks: usize,
}

impl Joined {
    /// Moves the rows of the runs that are next in order into blocks; returns the blocks
    /// that are full (all of them at the `end`), with their numbers.
    fn full_blocks(&mut self, end: bool) -> Vec<(usize, Vec<Shown>)> {
        let mut full = Vec::new();
        while let Some(rows) = self.waiting.remove(&self.next) {
            self.next += 1;
            for row in rows {
                self.block.push(row);
                if self.block.len() == BLOCK {
                    full.push((self.blocks, std::mem::take(&mut self.block)));
                    self.blocks += 1;
                }
            }
        }
        if end && !self.block.is_empty() {
            full.push((self.blocks, std::mem::take(&mut self.block)));
            self.blocks += 1;
        }
        full
    }
}

/// One `d-<n>.json`: its sections' rows, as a JSON array.
fn block_file(block: &[Shown]) -> Bytes {
    let size = block.iter().map(|r| r.len() + 1).sum::<usize>() + 2;
    let mut out = Vec::with_capacity(size);
    out.push(b'[');
    for (n, row) in block.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(row.as_bytes());
    }
    out.push(b']');
    Bytes::from(out)
}

impl<'a> Gather<'a> {
    pub fn new(put: Put<'a>) -> Self {
        Gather {
            joined: Default::default(),
            put,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Joined> {
        // A poisoned lock is a panic on another thread, which ends the build anyway.
        self.joined.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds run number `no` (runs are numbered in entry order, from 0), and writes the
    /// blocks of rows this completes.
    pub fn add(&self, no: u32, run: Run) {
        let full = {
            let mut j = self.lock();
            for (word, list) in run.sections {
                j.words.entry(word).or_default().push((no, list));
            }
            for (word, list) in run.titles {
                j.titles.entry(word).or_default().push((no, list));
            }
            j.counts.insert(no, run.counts);
            j.waiting.insert(no, run.shown);
            j.full_blocks(false)
        };
        for (i, block) in full {
            (self.put)(format!("{DIR}/d-{i}.json"), block_file(&block));
        }
    }

    /// Adds `entries` as runs of [`RUN`], in parallel: the first is run number
    /// `first_run`, and its first entry is entry `first` of the index.
    pub fn add_runs(&self, first_run: usize, first: usize, entries: &[Entry]) {
        entries
            .par_chunks(RUN)
            .enumerate()
            .for_each(|(r, run)| self.add((first_run + r) as u32, Run::of(first + r * RUN, run)));
    }

    /// As [`Gather::add_runs`], dropping each run's texts as soon as its words are counted.
    pub fn add_runs_dropping_texts(&self, first_run: usize, first: usize, entries: &mut [Entry]) {
        entries
            .par_chunks_mut(RUN)
            .enumerate()
            .for_each(|(r, run)| {
                self.add((first_run + r) as u32, Run::of(first + r * RUN, run));
                for e in run {
                    e.text = Default::default();
                }
            });
    }

    /// Writes the rest of the index, from the runs added (every run from 0 on) and the
    /// `entries` they were made of (whose texts are no longer read: a build has dropped
    /// them).
    pub fn write(self, entries: &[Entry], names: &Names) {
        let put = self.put;
        let mut joined = self.joined.into_inner().unwrap_or_else(|e| e.into_inner());
        for (i, block) in joined.full_blocks(true) {
            put(format!("{DIR}/d-{i}.json"), block_file(&block));
        }
        debug_assert!(
            joined.waiting.is_empty(),
            "a run before runs {:?} was never added",
            joined.waiting.keys().collect::<Vec<_>>()
        );
        let Joined {
            mut words,
            mut titles,
            counts,
            ..
        } = joined;
        // Each run's first section, and each entry's.
        let mut base = vec![0u32; counts.keys().next_back().map_or(0, |&n| n as usize + 1)];
        let mut firsts = Vec::with_capacity(entries.len());
        let mut count = 0u32;
        for (&no, counts) in &counts {
            base[no as usize] = count;
            for &n in counts {
                firsts.push(count as usize);
                count += n;
            }
        }
        // Each word's parts in run order, so its sections are in order.
        words
            .par_iter_mut()
            .for_each(|(_, parts)| parts.sort_unstable_by_key(|p| p.0));
        titles
            .par_iter_mut()
            .for_each(|(_, parts)| parts.sort_unstable_by_key(|p| p.0));
        // Shards of about 64 KB: a power of two between 1 and 256, by the size of the lists
        // (about three bytes a section or page, see `push_parts`).
        let size: usize = words
            .iter()
            .map(|(w, l)| w.len() + 4 + l.iter().map(|p| p.1.count as usize).sum::<usize>() * 3)
            .chain(titles.iter().map(|(w, l)| w.len() + 4 + len(l) * 3))
            .sum();
        let shards = (size / 65_536).clamp(1, 256).next_power_of_two() as u32;
        put(
            format!("{DIR}/index.json"),
            json(&manifest(entries, &firsts, count as usize, shards, names)),
        );
        type ShardLists<'a> = (
            Vec<(&'a str, &'a Parts<Part>)>,
            Vec<(&'a str, &'a Parts<Vec<u32>>)>,
        );
        let mut by_shard: Vec<ShardLists> = (0..shards).map(|_| Default::default()).collect();
        for (w, list) in &words {
            by_shard[shard_of(w, shards) as usize].0.push((w, list));
        }
        for (w, list) in &titles {
            by_shard[shard_of(w, shards) as usize].1.push((w, list));
        }
        by_shard
            .into_par_iter()
            .enumerate()
            .for_each(|(i, (s, p))| {
                put(format!("{DIR}/t-{i}.json"), shard_file(s, p, &base));
            });
    }
}

/// The weight a word's uses in a section's text add up to at most.
const TEXT_WEIGHT: u8 = 5;
/// What a word in a section's heading adds (once).
const HEADING_WEIGHT: u8 = 8;

/// Adds the words of section `id`'s text or heading (`lower`, lowercased) to the words'
/// lists with their weights: a word in the text counts once per use, at most
/// [`TEXT_WEIGHT`]; in the heading, [`HEADING_WEIGHT`] more. So a weight is 1 to 13, and
/// fits the four bits the files give it (see [`push_parts`]).
fn weigh(id: u32, lower: &str, heading: bool, words: &mut HashMap<String, Postings>) {
    for w in words_of(lower) {
        // One look-up for a word met before; the word is copied only the first time.
        let Some(list) = words.get_mut(w) else {
            let weight = if heading { HEADING_WEIGHT } else { 1 };
            words.insert(w.to_string(), vec![(id, weight)]);
            continue;
        };
        match list.last_mut() {
            Some((last, weight)) if *last == id => {
                if heading {
                    if *weight < HEADING_WEIGHT {
                        *weight += HEADING_WEIGHT;
                    }
                } else {
                    *weight = (*weight + 1).min(TEXT_WEIGHT);
                }
            }
            _ => list.push((id, if heading { HEADING_WEIGHT } else { 1 })),
        }
    }
}

/// A text lowercased as the tokenizer needs it, in `scratch` (kept between sections, so
/// no section allocates): ASCII text byte by byte, other text by Unicode's rules, as
/// `str::to_lowercase` and the script's `toLowerCase` do.
fn lowercase<'s>(text: &str, scratch: &'s mut String) -> &'s str {
    scratch.clear();
    if text.is_ascii() {
        scratch.push_str(text);
        scratch.make_ascii_lowercase();
    } else {
        scratch.push_str(&text.to_lowercase());
    }
    scratch
}

/// Appends `n` in decimal.
fn push_number(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Appends `"word":`; a word is letters and digits only, so it needs no escaping in JSON
/// (and holds no `<`, `>` or `&`, see [`json`]).
fn push_key(out: &mut Vec<u8>, word: &str) {
    debug_assert!(word.chars().all(char::is_alphanumeric));
    out.push(b'"');
    out.extend_from_slice(word.as_bytes());
    out.extend_from_slice(b"\":");
}

/// A word's sections as the files hold them, from its parts (in run order; `base` holds
/// each run's first section): one number per section, the gap from the
/// previous section (from 0 for the first) times 16 plus the weight, so `[33,18]` is
/// section 2 with weight 1 and section 3 with weight 2. Gaps are small where a word is
/// common, and the weight costs no number of its own.
fn push_parts(out: &mut Vec<u8>, parts: &Parts<Part>, base: &[u32]) {
    out.push(b'[');
    let mut prev = 0u32;
    for (i, (no, part)) in parts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let first = base[*no as usize];
        push_number(
            out,
            u64::from(first + part.first - prev) * 16 + u64::from(part.weight),
        );
        out.extend_from_slice(&part.rest);
        prev = first + part.last;
    }
    out.push(b']');
}

/// A word's pages (whose title holds it): gaps from the previous page (from 0 for the first).
fn push_pages<'a>(out: &mut Vec<u8>, list: impl IntoIterator<Item = &'a u32>) {
    out.push(b'[');
    let mut prev = 0u32;
    for (i, &page) in list.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_number(out, u64::from(page - prev));
        prev = page;
    }
    out.push(b']');
}

/// One `t-<n>.json`: `{"s":{word: sections, ...},"p":{word: pages, ...}}`, words in
/// code point order (the order of a sorted map, so the bytes are the same every build).
/// A word's list is in parts, one for each run that has the word, in run order; `base`
/// holds each run's first section.
fn shard_file(
    mut sections: Vec<(&str, &Parts<Part>)>,
    mut titles: Vec<(&str, &Parts<Vec<u32>>)>,
    base: &[u32],
) -> Bytes {
    sections.sort_unstable_by(|a, b| a.0.cmp(b.0));
    titles.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let size: usize = sections
        .iter()
        .map(|(w, l)| w.len() + 8 + l.iter().map(|p| p.1.rest.len() + 8).sum::<usize>())
        .chain(titles.iter().map(|(w, l)| w.len() + 4 + len(l) * 3))
        .sum();
    let mut out = Vec::with_capacity(size + 16);
    out.extend_from_slice(b"{\"s\":{");
    for (i, (w, list)) in sections.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_key(&mut out, w);
        push_parts(&mut out, list, base);
    }
    out.extend_from_slice(b"},\"p\":{");
    for (i, (w, list)) in titles.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_key(&mut out, w);
        push_pages(&mut out, list.iter().flat_map(|(_, l)| l));
    }
    out.extend_from_slice(b"}}");
    Bytes::from(out.into_boxed_slice())
}

/// The start of a section's text, white space runs as one space, cut at a word: at most
/// [`EXCERPT`] characters, and `…` when the text goes on. One pass over only the bytes
/// shown, copying runs of words whole (a section's text is kept as rendered, white space
/// and all).
fn excerpt(text: &str) -> String {
    let text = text.trim_start();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(EXCERPT + 8);
    // Characters in `out`; the EXCERPT + 1st means the text is cut.
    let mut chars = 0;
    let mut at = 0;
    let cut = |mut out: String| {
        let end = out.rfind(' ').unwrap_or(out.len());
        out.truncate(end);
        out.push('…');
        out
    };
    while at < bytes.len() {
        // A run without ASCII white space (its bytes split no character).
        let start = at;
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
            // The first byte of a character.
            if bytes[at] & 0xC0 != 0x80 {
                if chars == EXCERPT {
                    out.push_str(&text[start..at]);
                    return cut(out);
                }
                chars += 1;
            }
            at += 1;
        }
        out.push_str(&text[start..at]);
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at < bytes.len() {
            if chars == EXCERPT {
                return cut(out);
            }
            out.push(' ');
            chars += 1;
        }
    }
    out
}

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

/// Every file of the index, in path order. The entries' runs are made in parallel, then
/// written.
pub fn index_files(entries: &[Entry], names: &Names) -> Vec<(String, Bytes)> {
    let files = std::sync::Mutex::new(Vec::new());
    let put = |path, bytes| {
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path, bytes))
    };
    let gather = Gather::new(&put);
    gather.add_runs(0, 0, entries);
    gather.write(entries, names);
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    files
}

/// `index.json`: the filter vocabularies (only values some entry has, in the fleet's
/// order, tags sorted) and each entry's row; `firsts` holds each entry's first section.
fn manifest<'a>(
    entries: &'a [Entry],
    firsts: &[usize],
    sections: usize,
    shards: u32,
    names: &Names,
) -> Manifest<'a> {
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
    let rows = entries
        .iter()
        .zip(firsts)
        .map(|(e, &first)| {
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
            PageRow {
                u: &e.url,
                t: &e.title,
                s: first,
                f,
            }
        })
        .collect();
    Manifest {
        version: VERSION,
        shards,
        block: BLOCK,
        sections,
        filters: groups,
        pages: rows,
    }
}

/// The entries of a word's list of pages.
fn len(parts: &Parts<Vec<u32>>) -> usize {
    parts.iter().map(|(_, l)| l.len()).sum()
}

/// JSON with `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026` (they only occur
/// inside strings): no file of the site holds markup from a name or title unescaped, even
/// where a browser might sniff the index as HTML. Escaped as the strings are written.
fn json(v: &impl Serialize) -> Bytes {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, NoMarkup);
    // Writing to memory fails only for a value serde cannot write, which these are not.
    if v.serialize(&mut ser).is_err() {
        out.clear();
    }
    // Without the spare capacity the doubling left (the files are held until written:
    // megabytes at 10,000 pages); shrinking in place copies nothing.
    Bytes::from(out.into_boxed_slice())
}

/// A section's row of its `d-<n>.json` file: `[anchor, heading, excerpt]` as [`json`]
/// writes the same array, in one pass over each string (65,000 rows at 10,000 pages).
fn row(anchor: &str, heading: &str, excerpt: &str) -> Shown {
    let mut out = Vec::with_capacity(anchor.len() + heading.len() + excerpt.len() + 16);
    out.push(b'[');
    push_json_str(&mut out, anchor);
    out.push(b',');
    push_json_str(&mut out, heading);
    out.push(b',');
    push_json_str(&mut out, excerpt);
    out.push(b']');
    // Whole strings and ASCII bytes were written: UTF-8.
    String::from_utf8(out)
        .map(String::into_boxed_str)
        .unwrap_or_default()
}

/// The bytes a JSON string of the index writes escaped: those serde_json escapes (control
/// characters, `"` and `\`) and those [`json`] adds (`<`, `>`, `&`).
const ESCAPED: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'&' as usize] = true;
    t
};

/// Appends `s` as a JSON string, escaped as [`json`] escapes it.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !ESCAPED[usize::from(b)] {
            continue;
        }
        out.extend_from_slice(&bytes[from..i]);
        from = i + 1;
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'<' => b"\\u003c",
            b'>' => b"\\u003e",
            b'&' => b"\\u0026",
            _ => {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 15)]);
                continue;
            }
        };
        out.extend_from_slice(short);
    }
    out.extend_from_slice(&bytes[from..]);
    out.push(b'"');
}

/// `v` as [`json`] writes it, as text.
#[cfg(test)]
fn json_text(v: &impl Serialize) -> Box<str> {
    let mut out = Vec::with_capacity(256);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, NoMarkup);
    if v.serialize(&mut ser).is_err() {
        out.clear();
    }
    // serde_json writes UTF-8.
    String::from_utf8(out)
        .map(String::into_boxed_str)
        .unwrap_or_default()
}

/// serde_json's compact form, with `<`, `>` and `&` escaped in strings (see [`json`]).
struct NoMarkup;

impl serde_json::ser::Formatter for NoMarkup {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut from = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escaped: &[u8] = match b {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                _ => continue,
            };
            writer.write_all(&bytes[from..i])?;
            writer.write_all(escaped)?;
            from = i + 1;
        }
        writer.write_all(&bytes[from..])
    }
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

    /// The script leaves the same words out of a query as the index leaves out of the lists
    /// (a word the index drops and a query keeps would find nothing).
    #[test]
    fn the_script_drops_the_stop_words_the_index_drops() {
        let script = include_str!("../../assets/search.js");
        let list = script
            .split("var STOP = [")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .expect("assets/search.js declares `var STOP = [...]`");
        let words: Vec<&str> = list
            .split(',')
            .map(|w| w.trim().trim_matches('"'))
            .collect();
        assert_eq!(words, STOP_WORDS);
    }

    #[test]
    fn the_stop_word_lookup_is_the_list() {
        assert!(STOP_WORDS.windows(2).all(|p| p[0] < p[1]), "sorted");
        for w in STOP_WORDS {
            assert!(is_stop_word(w), "{w}");
            assert!(
                w.len() <= 4,
                "{w}: only words of up to 4 letters are looked up"
            );
        }
        for w in ["a", "ann", "there", "within", "tho", "ons"] {
            assert!(!is_stop_word(w), "{w}");
        }
    }

    #[test]
    fn lowercasing_into_a_buffer_is_lowercasing() {
        let mut scratch = String::from("left over from the last section");
        for t in ["Restart GITEA", "ok", "", "Straße İstanbul ΣΑΣ", "ÉTÉ 2024"] {
            assert_eq!(lowercase(t, &mut scratch), t.to_lowercase());
        }
    }

    /// A section's text squashed and cut as a reader sees it (the plain way: the whole
    /// text squashed first).
    fn excerpt_of_whole(text: &str) -> String {
        let all = crate::render::search_text::squash(text);
        let Some((end, _)) = all.char_indices().nth(EXCERPT) else {
            return all;
        };
        let cut = &all[..end];
        format!("{}…", &cut[..cut.rfind(' ').unwrap_or(cut.len())])
    }

    #[test]
    fn the_excerpt_is_the_first_280_characters_cut_at_a_word() {
        // Words of every length around the cut, white space runs of every kind, letters
        // of two and three bytes.
        let words = [
            "restic",
            "a",
            "snapshots",
            "é",
            "über-long-key-0123",
            "日本語",
        ];
        for n in 0..200 {
            let mut text = String::from(" \n ");
            for i in 0..n {
                text.push_str(words[(i * 7 + n) % words.len()]);
                text.push_str(["  ", " ", "\n\t", " \r\n "][(i + n) % 4]);
            }
            assert_eq!(excerpt(&text), excerpt_of_whole(&text), "{text:?}");
        }
        for len in [EXCERPT - 1, EXCERPT, EXCERPT + 1, EXCERPT + 2] {
            let one = "x".repeat(len);
            assert_eq!(excerpt(&one), excerpt_of_whole(&one));
            let two = format!("{} yz", "x".repeat(len));
            assert_eq!(excerpt(&two), excerpt_of_whole(&two));
            let space_last = format!("{} {}", "x".repeat(len - 1), "tail");
            assert_eq!(excerpt(&space_last), excerpt_of_whole(&space_last));
        }
        assert_eq!(excerpt("  run \n\n restic  "), "run restic");
        assert!(excerpt(&"word ".repeat(100)).ends_with("word…"));
    }

    #[test]
    fn a_words_sections_are_gaps_times_16_plus_the_weight() {
        let mut out = Vec::new();
        push_parts(
            &mut out,
            &vec![(0, Part::of(&[(2, 1), (3, 2), (40, 13)]))],
            &[0],
        );
        assert_eq!(out, b"[33,18,605]");
        out.clear();
        push_parts(&mut out, &vec![(0, Part::of(&[(0, 8)]))], &[0]);
        assert_eq!(out, b"[8]");
        out.clear();
        // Parts of two runs, the second's sections numbered from its first (section 100):
        // the same list.
        let parts = vec![
            (0, Part::of(&[(2, 1), (3, 2)])),
            (1, Part::of(&[(0, 3), (5, 13)])),
        ];
        push_parts(&mut out, &parts, &[0, 100]);
        assert_eq!(out, b"[33,18,1555,93]");
        out.clear();
        push_pages(&mut out, &[0, 5, 6, 1000]);
        assert_eq!(out, b"[0,5,1,994]");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2048, ..Default::default() })]
        /// A section's row is the JSON serde_json writes for it, with markup escaped.
        #[test]
        fn a_row_is_written_as_serde_json_writes_it(
            anchor in "[a-z0-9-]{0,12}",
            heading in "\\PC{0,20}",
            excerpt in "(\\PC|[\\x00-\\x1f\\x7f\"\\\\<>&])*",
        ) {
            proptest::prop_assert_eq!(
                row(&anchor, &heading, &excerpt),
                json_text(&(&anchor, &heading, &excerpt))
            );
        }
    }

    #[test]
    fn the_last_three_tenths_of_the_runs_are_counted_late() {
        // A site of one to three runs counts every run while its pages render.
        assert_eq!(counted_while_rendering(1), 1);
        assert_eq!(counted_while_rendering(3), 3);
        // Five runs (the build-and-watch test's 300 pages): the last one late.
        assert_eq!(counted_while_rendering(5), 4);
        // 10,000 pages: 157 runs, 47 of them late.
        assert_eq!(counted_while_rendering(157), 110);
    }

    #[test]
    fn weights_run_from_1_to_13() {
        let mut lists: HashMap<String, Postings> = HashMap::default();
        weigh(
            0,
            "restic restic restic restic restic restic restic",
            false,
            &mut lists,
        );
        weigh(0, "restic", true, &mut lists);
        // (A section's text is weighed before its heading.)
        weigh(1, "restic", false, &mut lists);
        weigh(1, "restic", true, &mut lists);
        weigh(4, "restic", false, &mut lists);
        assert_eq!(lists["restic"], vec![(0, 13), (1, 9), (4, 1)]);
    }

    /// A shard as the script reads it: word -> (section, weight), word -> page.
    type Decoded = (
        BTreeMap<String, Vec<(u64, u64)>>,
        BTreeMap<String, Vec<u64>>,
    );

    /// Reads a shard back as the script does: sections and weights, pages.
    fn decode(shard: &[u8]) -> Decoded {
        let v: serde_json::Value = serde_json::from_slice(shard).unwrap();
        let mut s = BTreeMap::new();
        for (w, list) in v["s"].as_object().unwrap() {
            let mut at = 0;
            let l = list.as_array().unwrap().iter().map(|n| {
                let n = n.as_u64().unwrap();
                at += n / 16;
                (at, n % 16)
            });
            s.insert(w.clone(), l.collect());
        }
        let mut p = BTreeMap::new();
        for (w, list) in v["p"].as_object().unwrap() {
            let mut at = 0;
            let l = list.as_array().unwrap().iter().map(|n| {
                at += n.as_u64().unwrap();
                at
            });
            p.insert(w.clone(), l.collect());
        }
        (s, p)
    }

    #[test]
    fn the_index_lands_on_sections_with_their_weights() {
        let page = |url: &str, title: &str, sections: &[(&str, &str, &str)]| Entry {
            url: url.into(),
            title: title.into(),
            kind: EntryKind::Fleet,
            hosts: BTreeSet::new(),
            services: BTreeSet::new(),
            tags: Vec::new(),
            text: Arc::new(PageText {
                sections: sections
                    .iter()
                    .map(|(a, h, t)| SectionText {
                        anchor: a.to_string(),
                        heading: h.to_string(),
                        text: t.to_string(),
                    })
                    .collect(),
            }),
        };
        let entries = vec![
            page(
                "a/",
                "Restore",
                &[
                    ("", "", "Run restic. Restic again."),
                    ("check", "Check", "restic check"),
                ],
            ),
            page("b/", "Gitea", &[("restic", "Restic", "see <restic> & co")]),
        ];
        let files = index_files(&entries, &Names::default());
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "assets/search/d-0.json",
                "assets/search/index.json",
                "assets/search/t-0.json"
            ]
        );
        let file = |name: &str| &files.iter().find(|(p, _)| p.ends_with(name)).unwrap().1;
        let manifest: serde_json::Value = serde_json::from_slice(file("/index.json")).unwrap();
        assert_eq!(manifest["version"], 2);
        assert_eq!(manifest["sections"], 3);
        let (s, p) = decode(file("/t-0.json"));
        assert_eq!(s["restic"], [(0, 2), (1, 1), (2, 9)]);
        assert_eq!(s["check"], [(1, 9)]);
        assert_eq!(p["restore"], [0]);
        assert_eq!(p["gitea"], [1]);
        assert_eq!(
            std::str::from_utf8(file("/d-0.json")).unwrap(),
            r#"[["","","Run restic. Restic again."],["check","Check","restic check"],["restic","Restic","see \u003crestic\u003e \u0026 co"]]"#
        );
        // The same input, the same bytes.
        assert_eq!(files, index_files(&entries, &Names::default()));
    }

    #[test]
    fn a_word_and_its_start_share_a_shard() {
        for n in [1, 2, 64, 256] {
            assert_eq!(shard_of("gitea", n), shard_of("gi", n));
            assert_eq!(shard_of("ßtraße", n), shard_of("ßt", n));
        }
    }
}
