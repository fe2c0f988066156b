//! What a topology draws a line for. Each edge is one line, except in a summarized topology
//! (one whose groups are collapsed, see README "Scale"): there the links and `depends_on`
//! edges between two hosts of one region become one counted bundle between the two host
//! containers, and those between two regions one counted bundle between the two region
//! frames. Public traffic and edges inside a host stay as they are; each host's own diagram
//! shows its links one by one.

use crate::model::{Diagram, EdgeKind};
use std::collections::BTreeMap;

/// One end of a line: the Internet node, a box (host index, box index), a host container or
/// a region frame (index into the frames). A region's bundles leave its frame side by side:
/// `slot` of `slots`, in the order of the regions at their other end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum End {
    Internet,
    Box(usize, usize),
    Host(usize),
    Region {
        region: usize,
        slot: usize,
        slots: usize,
    },
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawn {
    /// One edge of the input, with its arrowhead.
    Edge(EdgeKind),
    /// This many links and `depends_on` edges between two hosts or two regions, undirected.
    Bundle(usize),
}

/// A line to route: its ends as ids (service, host or region), how it is drawn, its label,
/// and its ends as boxes (`None` when an end is not drawn).
#[derive(Debug, Clone)]
pub struct Conn {
    pub from: String,
    pub to: String,
    pub drawn: Drawn,
    pub label: Option<String>,
    pub ends: Option<(End, End)>,
}

/// The hosts as the bundler sees them: id and region (index into `regions`) of each drawn
/// host, and the region names.
pub struct Places<'a> {
    pub hosts: &'a [&'a str],
    pub region_of: &'a [Option<usize>],
    pub regions: &'a [String],
}

/// The label of a bundle of `n` edges.
pub fn count_label(n: usize) -> String {
    if n == 1 {
        "1 link".to_string()
    } else {
        format!("{n} links")
    }
}

/// The lines to draw for `d`'s edges (`ends`: each edge's ends, `None` when not drawn).
/// With `bundle`, cross-host links become counted bundles (in order of their pair of ends).
pub fn connections(
    d: &Diagram,
    ends: &[Option<(End, End)>],
    bundle: bool,
    at: &Places,
) -> Vec<Conn> {
    let mut out = Vec::new();
    // Pairs of hosts or of regions (lower index first), with their edge counts.
    let mut bundles: BTreeMap<(Pair, usize, usize), usize> = BTreeMap::new();
    for (e, end) in d.edges.iter().zip(ends) {
        let pair = end.and_then(|(a, b)| match (a, b) {
            (End::Box(x, _), End::Box(y, _)) if bundle && x != y && e.kind != EdgeKind::Public => {
                Some(match (at.region_of[x], at.region_of[y]) {
                    (Some(p), Some(q)) if p != q => (Pair::Regions, p.min(q), p.max(q)),
                    _ => (Pair::Hosts, x.min(y), x.max(y)),
                })
            }
            _ => None,
        });
        match pair {
            Some(p) => *bundles.entry(p).or_default() += 1,
            None => out.push(Conn {
                from: e.from.clone(),
                to: e.to.clone(),
                drawn: Drawn::Edge(e.kind),
                label: e.label.clone(),
                ends: *end,
            }),
        }
    }
    // A region's bundles leave its frame side by side, nested so that their lanes below the
    // frames do not cross each other's stubs: those to regions on the left first, those to
    // regions on the right after, each side from the farthest region in (a longer bundle runs
    // on a lower lane).
    let partners = |r: usize| -> Vec<usize> {
        let mut p: Vec<usize> = bundles
            .keys()
            .filter(|k| k.0 == Pair::Regions && (k.1 == r || k.2 == r))
            .map(|k| k.1 + k.2 - r)
            .collect();
        p.sort_by_key(|&o| (o > r, std::cmp::Reverse(o)));
        p
    };
    let region_end = |r: usize, other: usize| {
        let p = partners(r);
        End::Region {
            region: r,
            slot: p.iter().position(|&o| o == other).unwrap_or(0),
            slots: p.len(),
        }
    };
    for (&(pair, x, y), &n) in &bundles {
        let (from, to, ends) = match pair {
            Pair::Hosts => (
                at.hosts[x].to_string(),
                at.hosts[y].to_string(),
                (End::Host(x), End::Host(y)),
            ),
            Pair::Regions => (
                at.regions[x].clone(),
                at.regions[y].clone(),
                (region_end(x, y), region_end(y, x)),
            ),
        };
        out.push(Conn {
            from,
            to,
            drawn: Drawn::Bundle(n),
            label: Some(count_label(n)),
            ends: Some(ends),
        });
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Pair {
    Hosts,
    Regions,
}
