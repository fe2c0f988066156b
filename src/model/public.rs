//! The public profile, as a model-to-model step: a [`Site`] in, the public [`Site`] out,
//! before anything is rendered. It keeps only `classification: public` pages and no fleet
//! or host pages, and it redacts on data, by whole tokens (see [`crate::base::tokens`]):
//! every host address becomes the host's id wherever it is written (page text, front
//! matter, topology text, file names and text files), people and rebuild notes are left
//! out, HTML comments are dropped, and a link to a withheld page becomes the words
//! "(internal page)". What it shows and hides is listed in docs/public-profile.md.

use crate::base::addresses::{Matcher, Needle};
use crate::diag::{Diagnostics, Loc};
use crate::load::pages::{Classification, PageSource};
use crate::model::incidents::Incident;
use crate::model::links::Target;
use crate::model::pages::{options, pos_at, Page};
use crate::model::site::{Site, StaticData};
use crate::model::{Address, Fleet};
use pulldown_cmark::{Event, Parser, Tag};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The redaction: every address and internal name the public profile must not show, in
/// any spelling, with what replaces it (the host id). The publish audit searches the output
/// with the same matcher.
pub type Rule = Matcher;

/// The redaction of `fleet`'s host addresses (see [`crate::base::addresses`]).
pub fn redaction_rules(fleet: &Fleet) -> Matcher {
    Matcher::new(
        fleet
            .hosts
            .iter()
            .filter(|h| !h.address.to_string().eq_ignore_ascii_case(h.id.as_str()))
            .map(|h| {
                let needle = match &h.address {
                    Address::Ip(ip) => Needle::Ip(*ip),
                    Address::Dns(name) => Needle::Name(name.clone()),
                };
                (needle, h.id.to_string())
            })
            .collect(),
    )
}

/// The public profile of `site`. Returns the public site and what was left out or
/// redacted, one line each; problems of the public site (links that lead out of it) go
/// to `diags`.
pub fn public_site(site: Site, diags: &mut Diagnostics) -> (Site, Vec<String>) {
    let rules = redaction_rules(&site.fleet);
    let mut notes = Vec::new();
    let mut withheld = BTreeSet::new();
    let mut sources = Vec::new();
    for (p, refs) in site.pages.iter().zip(&site.refs) {
        if p.source.front.classification != Classification::Public {
            notes.push(format!(
                "withheld: {} (classification internal)",
                p.source.shown.display()
            ));
            withheld.insert(p.source.rel.clone());
            continue;
        }
        refuse_raw_html(p, diags);
        let internal_links: Vec<(usize, usize)> = p
            .raw_links
            .iter()
            .zip(&refs.links)
            .filter(|(_, (_, t))| match t {
                Target::Page { page, .. } => {
                    site.pages[*page].source.front.classification != Classification::Public
                }
                _ => false,
            })
            .map(|(l, _)| {
                let src = &p.source;
                diags.warning(
                    Loc::new(&src.shown, pos_at(&src.text.get(), src.body_start + l.at)),
                    format!("link to `{}` removed from the public site: it points at an internal page, and is shown as \"(internal page)\"", l.dest),
                );
                (l.at, l.end)
            })
            .collect();
        sources.push(Arc::new(public_source(p, &internal_links, &rules)));
    }
    let incidents = public_incidents(site.incidents, &site.fleet, &rules, &mut notes);
    let fleet = public_fleet(site.fleet, &rules, &mut notes);
    let statics = site
        .statics
        .into_iter()
        .filter_map(|(rel, data)| public_static(rel, data, &rules, &mut notes))
        .collect();
    let pages = crate::model::pages::build(sources, diags);
    let mut public = Site {
        fleet,
        pages,
        refs: Vec::new(),
        statics,
        inputs: site.inputs,
        withheld,
        fleet_pages: false,
        check_commands: false,
        incidents,
        hints: None,
        by_rel: Default::default(),
    };
    public.resolve(diags);
    (public, notes)
}

/// Raw HTML (other than comments, which are cut out) is not published: a public page is
/// served from one origin shared by every project, where a `<script>`, an event handler or a
/// `javascript:` URL written in one page would run for all. Internal pages keep it.
fn refuse_raw_html(p: &Page, diags: &mut Diagnostics) {
    for (at, html) in &p.raw_html {
        let mut rest = html.as_str();
        let mut left = String::new();
        while let Some(i) = rest.find("<!--") {
            left.push_str(&rest[..i]);
            rest = rest[i..]
                .find("-->")
                .map(|j| &rest[i + j + 3..])
                .unwrap_or("");
        }
        left.push_str(rest);
        if left.trim().is_empty() {
            continue;
        }
        let src = &p.source;
        let shown: String = left.trim().chars().take(40).collect();
        diags.error(
            Loc::new(&src.shown, pos_at(&src.text.get(), src.body_start + at)),
            format!(
                "raw HTML `{shown}` in a public page: pages published outside are Markdown \
                 only (raw HTML is kept on internal pages); write it as Markdown, or mark the \
                 page `classification: internal`"
            ),
        );
    }
}

/// A public page's source: links to withheld pages and HTML comments cut out, then every
/// token redacted, in the front matter and the body alike.
fn public_source(p: &Page, internal_links: &[(usize, usize)], rules: &Matcher) -> PageSource {
    let src = &p.source;
    let body = src.body();
    let body: &str = &body;
    let mut cuts: Vec<(usize, usize, &str)> = internal_links
        .iter()
        .map(|&(a, b)| (a, b, "(internal page)"))
        .collect();
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let comment = match &ev {
            Event::Start(Tag::HtmlBlock) => body[range.clone()].trim_start().starts_with("<!--"),
            Event::InlineHtml(t) => t.starts_with("<!--"),
            _ => false,
        };
        if comment {
            cuts.push((range.start, range.end, ""));
        }
    }
    cuts.sort();
    let mut cut_body = String::with_capacity(body.len());
    let mut at = 0;
    for (a, b, with) in cuts {
        if a < at {
            continue;
        }
        cut_body.push_str(&body[at..a]);
        cut_body.push_str(with);
        at = b;
    }
    cut_body.push_str(&body[at..]);
    let head = rules.replace_all(&src.text.get()[..src.body_start]);
    let body = rules.replace_all(&cut_body);
    let mut front = src.front.clone();
    let red = |s: &mut Option<String>| {
        if let Some(v) = s.as_mut() {
            *v = rules.replace_all(v);
        }
    };
    red(&mut front.title);
    red(&mut front.summary);
    red(&mut front.owner);
    for t in &mut front.tags {
        *t = rules.replace_all(t);
    }
    let text = format!("{head}{body}");
    PageSource {
        rel: src.rel.clone(),
        shown: src.shown.clone(),
        body_start: head.len(),
        key: crate::base::hash::key_of(&(&src.rel, &text)),
        text: crate::load::pages::SourceText::new(text),
        front,
    }
}

/// The incidents the public sees: those of public services (a `public` hostname), naming
/// only those services, with every text redacted.
fn public_incidents(
    incidents: Vec<Incident>,
    fleet: &Fleet,
    rules: &Matcher,
    notes: &mut Vec<String>,
) -> Vec<Incident> {
    incidents
        .into_iter()
        .filter_map(|mut i| {
            i.services.retain(|&s| fleet.services[s].public.is_some());
            if i.services.is_empty() {
                notes.push(format!(
                    "withheld: {} (no public service)",
                    i.shown.display()
                ));
                return None;
            }
            i.title = rules.replace_all(&i.title);
            i.summary = rules.replace_all(&i.summary);
            for u in &mut i.updates {
                u.label = rules.replace_all(&u.label);
                u.text = rules.replace_all(&u.text);
            }
            Some(i)
        })
        .collect()
}

/// The fleet as the public sees it: addresses as host ids, no owner, contacts or rebuild
/// notes, every other text redacted.
fn public_fleet(mut fleet: Fleet, rules: &Matcher, notes: &mut Vec<String>) -> Fleet {
    let red = |s: &mut Option<String>| {
        if let Some(v) = s.as_mut() {
            *v = rules.replace_all(v);
        }
    };
    if fleet.owner.take().is_some() {
        notes.push("left out: fleet owner".into());
    }
    red(&mut fleet.description);
    fleet.name = rules.replace_all(&fleet.name);
    for h in &mut fleet.hosts {
        notes.push(format!(
            "redacted: address of host `{}` ({}) shown as `{}`",
            h.id, h.address, h.id
        ));
        h.address = Address::Dns(h.id.to_string());
        h.contact = None;
        h.rebuild = None;
        h.name = rules.replace_all(&h.name);
        red(&mut h.role);
        red(&mut h.provider);
        red(&mut h.region);
        red(&mut h.storage);
    }
    for h in &mut fleet.hosts {
        for w in &mut h.maintenance {
            red(&mut w.note);
        }
    }
    for s in &mut fleet.services {
        // Windows of public services only, their notes redacted.
        if s.public.is_none() {
            s.maintenance.clear();
        }
        for w in &mut s.maintenance {
            red(&mut w.note);
        }
        s.name = rules.replace_all(&s.name);
        red(&mut s.description);
        red(&mut s.protocol);
        red(&mut s.unit);
        red(&mut s.container);
        red(&mut s.group);
    }
    for l in &mut fleet.links {
        red(&mut l.via);
        red(&mut l.note);
        red(&mut l.protocol);
    }
    for l in &mut fleet.layers {
        l.title = rules.replace_all(&l.title);
        red(&mut l.path);
        red(&mut l.description);
        for x in &mut l.holds {
            *x = rules.replace_all(x);
        }
    }
    fleet
}

/// A file of content/ in the public site: its name redacted, PNG text chunks (which may
/// carry anything) removed, text files redacted; a binary file that still holds an
/// address is left out.
fn public_static(
    rel: String,
    data: StaticData,
    rules: &Matcher,
    notes: &mut Vec<String>,
) -> Option<(String, StaticData)> {
    let new_rel = rules.replace_all(&rel);
    if new_rel != rel {
        notes.push(format!("renamed: content/{rel} published as {new_rel}"));
    }
    let bytes = match &data {
        StaticData::File(p) => std::fs::read(p).ok()?,
        StaticData::Bytes(b) => b.to_vec(),
    };
    // Anything that cannot be searched to the end counts as holding an address.
    let holds =
        |b: &[u8]| !matches!(crate::base::addresses::deep::finds(rules, b), Ok(f) if f.is_empty());
    let bytes = if rel.to_ascii_lowercase().ends_with(".png") {
        strip_png_text(&bytes).unwrap_or(bytes)
    } else {
        bytes
    };
    let redacted = if !holds(&bytes) {
        Some(bytes)
    } else {
        std::str::from_utf8(&bytes)
            .ok()
            .map(|text| rules.replace_all(text).into_bytes())
            .filter(|text| !holds(text))
            .inspect(|_| notes.push(format!("redacted: host addresses in content/{rel}")))
    };
    let Some(out) = redacted else {
        notes.push(format!(
            "withheld: content/{rel} (it holds a host address that cannot be replaced in it)"
        ));
        return None;
    };
    Some((new_rel, StaticData::Bytes(out.into())))
}

/// A PNG without its text and EXIF chunks; `None` when it is not a well-formed PNG.
pub fn strip_png_text(png: &[u8]) -> Option<Vec<u8>> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    let mut rest = png.strip_prefix(SIG)?;
    let mut out = SIG.to_vec();
    while rest.len() >= 12 {
        let len = u32::from_be_bytes(rest[..4].try_into().ok()?) as usize;
        let total = len.checked_add(12)?;
        let chunk = rest.get(..total)?;
        let kind = &chunk[4..8];
        if !matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf") {
            out.extend_from_slice(chunk);
        }
        rest = &rest[total..];
    }
    rest.is_empty().then_some(out)
}
