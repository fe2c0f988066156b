//! The site as one validated value: the fleet, the pages, and for each page its fleet
//! blocks read against the fleet and its links resolved against every page and file. Built
//! once, in the model stage; every input error is found here, so `fleetdoc check` never
//! renders, and a renderer (HTML, the Markdown export) only writes what this holds.

use crate::diag::{Diagnostics, Loc};
use crate::load::yaml::Src;
use crate::model::blocks::{self, Block, DiagramRef};
use crate::model::commands::resolve::{Names, Outcome, Target as CommandTarget};
use crate::model::commands::RefKind;
use crate::model::links::{self, Index, Target};
use crate::model::pages::{pos_at, Page};
use crate::model::Fleet;
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

/// A fleet block of a page: where it is, and what it asks for (`None`: it has an error,
/// reported at its line).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlockAt {
    pub range: Range<usize>,
    pub block: Option<Block>,
}

/// What one page refers to, resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PageRefs {
    /// Every link and image, by its offset in the page body, in order.
    pub links: Vec<(usize, Target)>,
    /// Every fleet block, in order.
    pub blocks: Vec<BlockAt>,
    /// Every name in a shell block's commands that resolved to a host or service, by its
    /// range in the page body, in order.
    pub commands: Vec<CommandRef>,
    /// Why the page may be out of date: a service or host it names changed after the page
    /// was last updated, or a name it uses was renamed or retired (one sentence each).
    pub outdated: Vec<String>,
}

/// A name in a command, resolved (see [`crate::model::commands`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CommandRef {
    pub span: Range<usize>,
    pub kind: RefKind,
    pub name: String,
    pub target: CommandTarget,
}

impl PageRefs {
    /// The resolved target of the link or image at body offset `at`.
    pub fn link_at(&self, at: usize) -> Option<&Target> {
        self.links
            .binary_search_by_key(&at, |(o, _)| *o)
            .ok()
            .map(|i| &self.links[i].1)
    }

    /// The fleet block starting at body offset `at`.
    pub fn block_at(&self, at: usize) -> Option<&BlockAt> {
        self.blocks.iter().find(|b| b.range.start == at)
    }

    /// The diagrams the page shows, in order.
    pub fn diagrams(&self) -> impl Iterator<Item = &DiagramRef> {
        self.blocks.iter().filter_map(|b| match &b.block {
            Some(Block::Diagram(d)) => Some(d),
            _ => None,
        })
    }
}

/// A file of content/ as the site writes it: copied as it is, or (after redaction) these
/// bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StaticData {
    File(PathBuf),
    Bytes(bytes::Bytes),
}

/// The whole site, validated.
pub struct Site {
    pub fleet: Fleet,
    pub pages: Vec<Arc<Page>>,
    /// Indexed like `pages`.
    pub refs: Vec<PageRefs>,
    /// Files below content/ written beside the pages: (path below content/, what to write).
    pub statics: Vec<(String, StaticData)>,
    /// Data files below content/ that are read, not published.
    pub inputs: Vec<String>,
    /// Pages that exist in the project but are left out of this site.
    pub withheld: BTreeSet<String>,
    /// Whether the site has the fleet overview and host pages (the public profile has not).
    pub fleet_pages: bool,
    /// Whether commands in shell blocks are read against the fleet (`check_commands`).
    pub check_commands: bool,
    /// Incidents of `content/incidents/`, open ones first, then newest first.
    pub incidents: Vec<crate::model::incidents::Incident>,
    /// What the fleet's history says of names and when things changed, for the command
    /// check's suggestions and "may be out of date"; `None` without a history.
    pub hints: Option<Arc<crate::model::commands::history::Hints>>,
    /// Each page's index by its path below content/, made on first use (see
    /// [`Site::page_index`]).
    pub by_rel: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

impl Site {
    /// Each page's index in `pages` by its path below content/: made once, and kept while
    /// the list of pages is (a one-page edit under `watch` replaces a page by one with the
    /// same path).
    pub fn page_index(&self) -> &std::collections::HashMap<String, usize> {
        self.by_rel.get_or_init(|| {
            self.pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.source.rel.clone(), i))
                .collect()
        })
    }

    /// The site of these parts with no page's links resolved yet.
    fn unresolved(
        fleet: Fleet,
        pages: Vec<Arc<Page>>,
        statics: Vec<(String, PathBuf)>,
        inputs: Vec<String>,
        check_commands: bool,
        hints: Option<Arc<crate::model::commands::history::Hints>>,
    ) -> Site {
        Site {
            fleet,
            pages,
            refs: Vec::new(),
            statics: statics
                .into_iter()
                .map(|(r, p)| (r, StaticData::File(p)))
                .collect(),
            inputs,
            withheld: BTreeSet::new(),
            fleet_pages: true,
            check_commands,
            incidents: Vec::new(),
            hints,
            by_rel: Default::default(),
        }
    }

    /// Read every page's fleet blocks and resolve its links. Problems go to `diags`.
    pub fn build(
        fleet: Fleet,
        pages: Vec<Arc<Page>>,
        statics: Vec<(String, PathBuf)>,
        inputs: Vec<String>,
        check_commands: bool,
        hints: Option<Arc<crate::model::commands::history::Hints>>,
        diags: &mut Diagnostics,
    ) -> Site {
        let mut site = Site::unresolved(fleet, pages, statics, inputs, check_commands, hints);
        site.resolve(diags);
        site
    }

    /// Like [`Site::build`], taking from `cache` the references of every page that neither
    /// changed nor links to a page that changed since the last build (see [`RefsCache`]).
    /// `fleet_key` identifies the fleet (the key of its topology files).
    #[allow(clippy::too_many_arguments)]
    pub fn build_cached(
        fleet: Fleet,
        pages: Vec<Arc<Page>>,
        statics: Vec<(String, PathBuf)>,
        inputs: Vec<String>,
        check_commands: bool,
        hints: Option<Arc<crate::model::commands::history::Hints>>,
        diags: &mut Diagnostics,
        cache: &mut RefsCache,
        fleet_key: u64,
    ) -> Site {
        let mut site = Site::unresolved(fleet, pages, statics, inputs, check_commands, hints);
        site.resolve_cached(diags, cache, fleet_key);
        site
    }

    /// (Re)compute every page's references against the site as it is now.
    pub fn resolve(&mut self, diags: &mut Diagnostics) {
        let all: Vec<usize> = (0..self.pages.len()).collect();
        let done = self.resolve_pages(&all);
        self.refs = Vec::with_capacity(done.len());
        for (refs, d) in done {
            self.refs.push(refs);
            diags.extend(d);
        }
    }

    /// Like [`Site::resolve`], resolving only what may have changed since `cache` was
    /// filled: pages whose text changed, the pages whose links point at one of them (its
    /// headings or title may be what they name), and pages whose resolution had an error
    /// (what it named may have appeared). The rest is taken from `cache`, with its
    /// diagnostics, as long as everything else resolution reads is what it was: the list
    /// of pages, the files of content/, the fleet (`fleet_key`), the history's hints.
    pub fn resolve_cached(
        &mut self,
        diags: &mut Diagnostics,
        cache: &mut RefsCache,
        fleet_key: u64,
    ) {
        if !cache.keep {
            // A one-off build: nothing to keep for a next one.
            return self.resolve(diags);
        }
        let env = crate::base::hash::key_of(&(
            fleet_key,
            self.pages
                .iter()
                .map(|p| p.source.rel.as_str())
                .collect::<Vec<_>>(),
            &self.statics,
            &self.inputs,
            &self.withheld,
            self.fleet_pages,
            self.check_commands,
            self.hints.as_ref().map(|h| Arc::as_ptr(h) as usize),
        ));
        if cache.env != env {
            cache.by_rel.clear();
            cache.env = env;
        }
        let n = self.pages.len();
        let mut changed = vec![false; n];
        let mut redo = vec![false; n];
        for (i, p) in self.pages.iter().enumerate() {
            match cache.by_rel.get(&p.source.rel) {
                Some(r) if Arc::ptr_eq(&r.page, p) => redo[i] = r.errors,
                _ => {
                    changed[i] = true;
                    redo[i] = true;
                }
            }
        }
        if changed.contains(&true) {
            for (i, p) in self.pages.iter().enumerate() {
                if let Some(r) = cache.by_rel.get(&p.source.rel) {
                    redo[i] |= r.targets.iter().any(|&t| changed.get(t) == Some(&true));
                }
            }
        }
        let todo: Vec<usize> = (0..n).filter(|&i| redo[i]).collect();
        let mut done = self.resolve_pages(&todo).into_iter();
        self.refs = Vec::with_capacity(n);
        for (i, p) in self.pages.iter().enumerate() {
            if redo[i] {
                let (refs, d) = done.next().unwrap_or_default();
                let targets = refs
                    .links
                    .iter()
                    .filter_map(|(_, t)| match t {
                        Target::Page { page, .. } => Some(*page),
                        _ => None,
                    })
                    .collect();
                cache.by_rel.insert(
                    p.source.rel.clone(),
                    Resolved {
                        page: p.clone(),
                        refs: refs.clone(),
                        errors: d.has_errors(),
                        diags: d.clone(),
                        targets,
                    },
                );
                self.refs.push(refs);
                diags.extend(d);
            } else if let Some(r) = cache.by_rel.get(&p.source.rel) {
                self.refs.push(r.refs.clone());
                diags.extend(r.diags.clone());
            }
        }
        cache.resolved = todo.len();
    }

    /// Resolve the references of the pages at `which` (indexes into `pages`, in order).
    pub fn resolve_pages(&self, which: &[usize]) -> Vec<(PageRefs, Diagnostics)> {
        use rayon::prelude::*;
        if which.is_empty() {
            return Vec::new();
        }
        let ix = Index {
            pages: &self.pages,
            by_rel: self.page_index(),
            statics: self.statics.iter().map(|(r, _)| r.as_str()).collect(),
            inputs: self.inputs.iter().map(String::as_str).collect(),
            withheld: &self.withheld,
            fleet_pages: self.fleet_pages,
            host_anchors: {
                let mut by_host: Vec<Vec<String>> = vec![
                    crate::model::links::HOST_SECTIONS
                        .iter()
                        .map(|s| s.to_string())
                        .collect();
                    self.fleet.hosts.len()
                ];
                for s in &self.fleet.services {
                    for &h in &s.hosts {
                        if let Some(v) = by_host.get_mut(h) {
                            v.push(format!("service-{}", s.id));
                        }
                    }
                }
                self.fleet
                    .hosts
                    .iter()
                    .map(|h| h.id.as_str())
                    .zip(by_host)
                    .collect()
            },
            anchors: Index::anchors_of(&self.pages),
            fleet_partial: self.fleet.partial,
            unplaced: &self.fleet.unplaced,
        };
        let fleet = &self.fleet;
        let hints = self.hints.as_deref();
        let names = self
            .check_commands
            .then(|| Names::new(fleet).with_hints(hints));
        let names = names.as_ref();
        let resolve = |&i: &usize| {
            let p = &self.pages[i];
            let mut d = Diagnostics::new();
            let mut refs = page_refs(p, fleet, &ix, &mut d);
            if let Some(names) = names {
                let warn = !fleet.partial;
                (refs.commands, refs.outdated) = commands(p, names, fleet, hints, warn, &mut d);
                if warn {
                    blocks_outdated(p, &refs.blocks, fleet, hints, &mut refs.outdated, &mut d);
                }
            }
            (refs, d)
        };
        // A few pages (an edit under `watch`) are resolved here, without the thread pool.
        if which.len() < 4 {
            which.iter().map(resolve).collect()
        } else {
            which.par_iter().map(resolve).collect()
        }
    }
}

/// Each page's references as the last build resolved them, kept by `watch` so that a page
/// edit resolves the links of that page and of the pages pointing at it, not of every page
/// (see [`Site::resolve_cached`]).
#[derive(Default)]
pub struct RefsCache {
    /// Whether to keep anything (only `watch` builds again); a default cache keeps nothing.
    pub keep: bool,
    /// Key of everything resolution reads besides the pages' own texts.
    env: u64,
    by_rel: std::collections::HashMap<String, Resolved>,
    /// How many pages the last build resolved (the rest came from the cache).
    pub resolved: usize,
}

struct Resolved {
    /// The page model resolved (the same `Arc` while its text is unchanged).
    page: Arc<Page>,
    refs: PageRefs,
    diags: Diagnostics,
    errors: bool,
    /// The pages its links point at, by index (stable while the list of pages is).
    targets: Vec<usize>,
}

fn page_refs(p: &Page, fleet: &Fleet, ix: &Index, diags: &mut Diagnostics) -> PageRefs {
    let src = &p.source;
    let loc =
        |offset: usize| Loc::new(&src.shown, pos_at(&src.text.get(), src.body_start + offset));
    if let Some((at, h1)) = &p.dropped_h1 {
        diags.warning(
            loc(*at),
            format!(
                "the first heading `# {h1}` differs from the front matter title `{}` and is not shown; remove one of them or make them the same",
                p.title
            ),
        );
    }
    let blocks = p
        .raw_blocks
        .iter()
        .map(|b| BlockAt {
            range: b.range.clone(),
            block: blocks::parse(&Src::new(&src.shown, b.fence_line), &b.text, fleet, diags),
        })
        .collect();
    let links = p
        .raw_links
        .iter()
        .map(|l| {
            (
                l.at,
                links::resolve_link(&l.dest, l.image, p, ix, || loc(l.at), diags),
            )
        })
        .collect();
    PageRefs {
        links,
        blocks,
        commands: Vec::new(),
        outdated: Vec::new(),
    }
}

/// The page's own date: its front matter's `updated`, else its last commit.
fn page_date(p: &Page, hints: Option<&crate::model::commands::history::Hints>) -> Option<Since> {
    let src = &p.source;
    hints.and_then(|h| match src.front.updated {
        Some(d) => Some(Since::Day(d.to_string())),
        None => h
            .page_changed
            .get(&format!("content/{}", src.rel))
            .map(|(t, d)| Since::Commit(*t, d.clone())),
    })
}

/// What a fleet block shows: (`host` or `service`, its id, its last change if any).
type Named<'a> = (&'static str, &'a str, Option<&'a (i64, String)>);

/// The fleet blocks of a page that show one host (a table or diagram with `host:`: the host
/// and the services on it) or one service (`badge:`): the block itself is drawn from the
/// fleet as it is now, but the prose around it was written against the fleet as it was, so
/// a page whose block shows a host or service that changed after the page's date is
/// flagged, at the block, once per name (a name its commands already flagged is not said
/// again).
fn blocks_outdated(
    p: &Page,
    blocks: &[BlockAt],
    fleet: &Fleet,
    hints: Option<&crate::model::commands::history::Hints>,
    outdated: &mut Vec<String>,
    diags: &mut Diagnostics,
) {
    let (Some(h), Some(since)) = (hints, page_date(p, hints)) else {
        return;
    };
    let src = &p.source;
    for b in blocks {
        // The host a block shows and the services on it, or the one service of a badge.
        let named: Vec<Named> = match &b.block {
            Some(Block::Table { host: Some(x), .. })
            | Some(Block::Diagram(DiagramRef { host: Some(x), .. })) => {
                let Some(host) = fleet.hosts.get(*x) else {
                    continue;
                };
                std::iter::once((
                    "host",
                    host.id.as_str(),
                    h.host_changed.get(host.id.as_str()),
                ))
                .chain(
                    fleet
                        .services
                        .iter()
                        .filter(|svc| svc.hosts.contains(x))
                        .map(|svc| {
                            (
                                "service",
                                svc.id.as_str(),
                                h.service_changed.get(svc.id.as_str()),
                            )
                        }),
                )
                .collect()
            }
            Some(Block::Badge(s)) => fleet
                .services
                .get(*s)
                .map(|svc| {
                    (
                        "service",
                        svc.id.as_str(),
                        h.service_changed.get(svc.id.as_str()),
                    )
                })
                .into_iter()
                .collect(),
            _ => continue,
        };
        for (what, id, changed) in named {
            let Some(changed) = changed.filter(|c| since.before(c)) else {
                continue;
            };
            let day = &changed.1;
            let line = format!("{what} {id} changed on {day}");
            if outdated.contains(&line) {
                continue;
            }
            diags.warning(
                Loc::new(&src.shown, pos_at(&src.text.get(), src.body_start + b.range.start)),
                format!(
                    "may be out of date: this block shows {what} `{id}`, which changed on {day}, after this page's {}; check the text around it against the fleet, then set `updated:` in its front matter",
                    since.describe()
                ),
            );
            outdated.push(line);
        }
    }
}

/// Read the commands of a page's shell blocks against the fleet: names that resolve are
/// kept for links, names that should be the fleet's and are not are warnings.
fn commands(
    p: &Page,
    names: &Names,
    fleet: &Fleet,
    hints: Option<&crate::model::commands::history::Hints>,
    warn: bool,
    diags: &mut Diagnostics,
) -> (Vec<CommandRef>, Vec<String>) {
    let src = &p.source;
    let mut out = Vec::new();
    let mut outdated = Vec::new();
    let mut said = std::collections::HashSet::new();
    let page_date = page_date(p, hints);
    for b in p.shell_blocks.iter().filter(|b| !b.nocheck) {
        let lines: Vec<(&str, usize)> = b.lines.iter().map(|(l, at)| (l.as_str(), *at)).collect();
        for f in crate::model::commands::block_references(&lines, b.dialect) {
            let at = || {
                Loc::new(
                    &src.shown,
                    pos_at(&src.text.get(), src.body_start + f.span.start),
                )
            };
            let outcome = names.resolve(&f);
            let gone = matches!(outcome, Outcome::Gone(_));
            match outcome {
                Outcome::Resolved(target) => {
                    if let (Some(h), Some(since), true) = (hints, &page_date, warn && !f.ignored) {
                        let (what, id, changed) = match target {
                            CommandTarget::Service(s) => {
                                let id = fleet.services[s].id.to_string();
                                ("service", id.clone(), h.service_changed.get(&id))
                            }
                            CommandTarget::Host(x) => {
                                let id = fleet.hosts[x].id.to_string();
                                ("host", id.clone(), h.host_changed.get(&id))
                            }
                        };
                        if let Some((_, day)) = changed.filter(|c| since.before(c)) {
                            if said.insert(id.clone()) {
                                outdated.push(format!("{what} {id} changed on {day}"));
                                diags.warning(
                                    at(),
                                    format!(
                                        "may be out of date: {what} `{id}` changed on {day}, after this page's {}; check the page against the fleet, then set `updated:` in its front matter",
                                        since.describe()
                                    ),
                                );
                            }
                        }
                    }
                    out.push(CommandRef {
                        span: f.span,
                        kind: f.kind,
                        name: f.text,
                        target,
                    })
                }
                Outcome::Unknown(msg) | Outcome::Gone(msg) if warn && !f.ignored => {
                    // A name the fleet had: the page says what became of it.
                    if let (true, Some((_, what))) = (gone, msg.rsplit_once("; ")) {
                        if said.insert(f.text.clone()) {
                            outdated.push(format!("{}: {}", f.text, what.replace('`', "")));
                        }
                    }
                    diags.warning(
                        at(),
                        format!("{msg} (if the command is about something outside the fleet, end its line with `# fleetdoc: ignore`)"),
                    )
                }
                _ => {}
            }
        }
    }
    (out, outdated)
}

/// The date a page was last brought up to date.
enum Since {
    /// Its front matter's `updated`.
    Day(String),
    /// Its last commit: (time, day).
    Commit(i64, String),
}

impl Since {
    /// Whether a change at (time, day) came after it.
    fn before(&self, (time, day): &(i64, String)) -> bool {
        match self {
            Since::Day(d) => day > d,
            Since::Commit(t, _) => time > t,
        }
    }
    fn describe(&self) -> String {
        match self {
            Since::Day(d) => format!("`updated: {d}`"),
            Since::Commit(_, d) => format!("last commit on {d}"),
        }
    }
}
