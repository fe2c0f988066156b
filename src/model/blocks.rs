//! Fleet blocks: a fenced code block with the info string `fleet` holds a small YAML map
//! with exactly one of `table:`, `diagram:` or `summary:` (SPEC section 5). This module reads
//! and checks one, reporting problems at the page's own lines.

use crate::base::suggest::did_you_mean;
use crate::diag::Diagnostics;
use crate::load::yaml::{self, Fields, Src};
pub use crate::model::columns::{TableKind, TableSpec};
use crate::model::Fleet;

const KEYS: &[&str] = &["table", "diagram", "summary", "badge", "columns", "host"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagramKind {
    Topology,
    Host,
    Layers,
    Flow,
}

impl DiagramKind {
    pub const ALL: [(&'static str, DiagramKind); 4] = [
        ("topology", DiagramKind::Topology),
        ("host", DiagramKind::Host),
        ("layers", DiagramKind::Layers),
        ("flow", DiagramKind::Flow),
    ];
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(n, _)| *n)
            .unwrap_or("topology")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Block {
    Table {
        spec: TableSpec,
        host: Option<usize>,
    },
    Diagram(DiagramRef),
    /// `summary: status`: the one-line health summary.
    Summary,
    /// `badge: SERVICE`: the service's status badge (`badges/<id>.svg`), by index into
    /// `Fleet::services`.
    Badge(usize),
}

fn pick<T: Copy>(
    v: &yaml::Sp<String>,
    all: &[(&'static str, T)],
    what: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    if let Some((_, k)) = all.iter().find(|(n, _)| *n == v.value) {
        return Some(*k);
    }
    let names: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
    let hint = did_you_mean(&v.value, names.iter().copied())
        .unwrap_or_else(|| format!("; use one of {}", names.join(", ")));
    diags.error(v.loc.clone(), format!("unknown {what} `{}`{hint}", v.value));
    None
}

/// Read one fleet block. `src.line_offset` is the line of the opening fence.
pub fn parse(src: &Src, text: &str, fleet: &Fleet, diags: &mut Diagnostics) -> Option<Block> {
    let root = match yaml::parse(src, text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            diags.error(
                src.loc(&marked_yaml::Span::new_blank()),
                "empty fleet block; write `table: hosts`, `diagram: topology` or `summary: status`",
            );
            return None;
        }
        Err(d) => {
            diags.extend_one(d);
            return None;
        }
    };
    let f = Fields::new(src, &root, "the fleet block", KEYS, diags)?;
    let table = f.str("table", diags);
    let diagram = f.str("diagram", diags);
    let summary = f.str("summary", diags);
    let badge = f.str("badge", diags);
    let count = [&table, &diagram, &summary, &badge]
        .iter()
        .filter(|v| v.is_some())
        .count();
    let before = diags.errors();
    let host = f.str("host", diags).and_then(|h| {
        let ix = fleet.host_ix(&h.value);
        if ix.is_none() && !fleet.partial {
            let hint = did_you_mean(&h.value, fleet.hosts.iter().map(|x| x.id.as_str()))
                .unwrap_or_default();
            diags.error(
                h.loc,
                format!(
                    "`host` names `{}`, but there is no host `{}`{hint}",
                    h.value, h.value
                ),
            );
        }
        ix
    });
    if count != 1 {
        diags.error(
            f.loc(),
            "a fleet block holds exactly one of `table:`, `diagram:`, `summary:` or `badge:`",
        );
        f.finish(diags);
        return None;
    }
    let block = if let Some(t) = table {
        let kind = pick(&t, &TableKind::ALL, "table", diags)?;
        let all = kind.column_names();
        let asked = f.strs("columns", diags);
        for c in &asked {
            match all.iter().find(|n| **n == c.value) {
                Some(_) => {}
                None => {
                    let hint = did_you_mean(&c.value, all.iter().copied()).unwrap_or_else(|| {
                        format!("; columns of `{}`: {}", t.value, all.join(", "))
                    });
                    diags.error(
                        c.loc.clone(),
                        format!("unknown column `{}` for table `{}`{hint}", c.value, t.value),
                    );
                }
            }
        }
        let names: Vec<&str> = asked.iter().map(|c| c.value.as_str()).collect();
        Block::Table {
            spec: kind.spec((!asked.is_empty()).then_some(&names[..])),
            host,
        }
    } else if let Some(d) = diagram {
        let kind = pick(&d, &DiagramKind::ALL, "diagram", diags)?;
        if kind == DiagramKind::Host && host.is_none() && f.node("host").is_none() {
            diags.error(d.loc, "`diagram: host` needs `host: ID` to say which host");
        }
        if f.node("columns").is_some() {
            diags.error(f.loc(), "`columns` only applies to tables");
        }
        Block::Diagram(DiagramRef::new(kind, host, fleet))
    } else if let Some(b) = badge {
        if f.node("columns").is_some() || f.node("host").is_some() {
            diags.error(
                f.loc(),
                "a badge takes no `columns` or `host`: `badge: SERVICE` is all",
            );
        }
        match fleet.service_ix(&b.value) {
            Some(s) => Block::Badge(s),
            None => {
                if !fleet.partial {
                    let hint = did_you_mean(&b.value, fleet.services.iter().map(|x| x.id.as_str()))
                        .unwrap_or_default();
                    diags.error(
                        b.loc,
                        format!(
                            "`badge` names `{}`, but there is no service `{}`{hint}",
                            b.value, b.value
                        ),
                    );
                }
                f.finish(diags);
                return None;
            }
        }
    } else {
        let s = summary?;
        if s.value != "status" {
            diags.error(
                s.loc,
                format!(
                    "unknown summary `{}`; the only summary is `status`",
                    s.value
                ),
            );
            return None;
        }
        Block::Summary
    };
    f.finish(diags);
    (diags.errors() == before).then_some(block)
}

/// A diagram a page or the site shows: what to draw, and the file it is written under.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DiagramRef {
    pub kind: DiagramKind,
    pub host: Option<usize>,
    /// File stem under `site/diagrams/`: `topology`, `host-alpha`, `layers`, `flow`.
    pub name: String,
    pub title: String,
}

impl DiagramRef {
    pub fn new(kind: DiagramKind, host: Option<usize>, fleet: &Fleet) -> Self {
        let host = host.filter(|&h| h < fleet.hosts.len());
        let (name, title) = match host {
            None => match kind {
                DiagramKind::Topology => {
                    ("topology".to_string(), format!("{} topology", fleet.name))
                }
                DiagramKind::Host => ("host".to_string(), "Host".to_string()),
                DiagramKind::Layers => ("layers".to_string(), "Folder layers".to_string()),
                DiagramKind::Flow => ("flow".to_string(), "Public request flow".to_string()),
            },
            Some(h) => {
                let (id, n) = (&fleet.hosts[h].id, &fleet.hosts[h].name);
                let title = match kind {
                    DiagramKind::Topology => format!("{n} topology"),
                    DiagramKind::Host => format!("{n}: services, ports and public names"),
                    DiagramKind::Layers => format!("Folder layers of {n}"),
                    DiagramKind::Flow => format!("Public request flow on {n}"),
                };
                (format!("{}-{id}", kind.as_str()), title)
            }
        };
        DiagramRef {
            kind,
            host,
            name,
            title,
        }
    }
}
