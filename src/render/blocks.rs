//! Fleet blocks: a fenced code block with the info string `fleet` holds a small YAML map
//! with exactly one of `table:`, `diagram:` or `summary:` (SPEC section 5). This module reads
//! and checks one, reporting problems at the page's own lines.

use crate::diag::Diagnostics;
use crate::load::yaml::{self, Fields, Src};
use crate::model::suggest::did_you_mean;
use crate::model::Fleet;

const KEYS: &[&str] = &["table", "diagram", "summary", "columns", "host"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Hosts,
    Services,
    Links,
    Contacts,
    Redundancy,
    Status,
    Drift,
    Layers,
    Routes,
}

impl TableKind {
    pub const ALL: [(&'static str, TableKind); 9] = [
        ("hosts", TableKind::Hosts),
        ("services", TableKind::Services),
        ("links", TableKind::Links),
        ("contacts", TableKind::Contacts),
        ("redundancy", TableKind::Redundancy),
        ("status", TableKind::Status),
        ("drift", TableKind::Drift),
        ("layers", TableKind::Layers),
        ("routes", TableKind::Routes),
    ];

    /// Every column this table can show, and the ones shown by default.
    pub fn columns(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            TableKind::Hosts => (
                &[
                    "id",
                    "name",
                    "address",
                    "role",
                    "provider",
                    "region",
                    "services",
                    "not_running",
                    "contact",
                    "rebuild",
                    "storage",
                    "status",
                ],
                &["name", "address", "role", "services", "not_running"],
            ),
            TableKind::Services => (
                &[
                    "id",
                    "name",
                    "host",
                    "kind",
                    "ports",
                    "protocol",
                    "public",
                    "unit",
                    "group",
                    "depends_on",
                    "description",
                    "status",
                ],
                &["name", "host", "kind", "ports", "public", "status"],
            ),
            TableKind::Links => (
                &["from", "to", "protocol", "via", "note"],
                &["from", "to", "protocol", "via"],
            ),
            TableKind::Contacts => (
                &["host", "address", "contact", "rebuild"],
                &["host", "address", "contact", "rebuild"],
            ),
            TableKind::Redundancy => (
                &[
                    "item",
                    "type",
                    "reason",
                    "dependents",
                    "mitigations",
                    "not_redundant",
                ],
                &[
                    "item",
                    "type",
                    "reason",
                    "dependents",
                    "mitigations",
                    "not_redundant",
                ],
            ),
            TableKind::Status => (
                &[
                    "service",
                    "host",
                    "status",
                    "checked",
                    "uptime",
                    "history",
                    "certificate",
                    "detail",
                ],
                &[
                    "service",
                    "host",
                    "status",
                    "checked",
                    "uptime",
                    "history",
                    "certificate",
                ],
            ),
            TableKind::Drift => (
                &["kind", "subject", "detail"],
                &["kind", "subject", "detail"],
            ),
            TableKind::Layers => (
                &["id", "title", "host", "path", "holds", "description"],
                &["title", "path", "holds"],
            ),
            TableKind::Routes => (
                &["hostname", "ingress", "service", "host"],
                &["hostname", "ingress", "service", "host"],
            ),
        }
    }
}

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Table {
        kind: TableKind,
        columns: Vec<&'static str>,
        host: Option<usize>,
    },
    Diagram {
        kind: DiagramKind,
        host: Option<usize>,
    },
    /// `summary: status`: the one-line health summary.
    Summary,
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
    let count = [&table, &diagram, &summary]
        .iter()
        .filter(|v| v.is_some())
        .count();
    let before = diags.errors();
    let host = f.str("host", diags).and_then(|h| {
        let ix = fleet.host_ix(&h.value);
        if ix.is_none() {
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
            "a fleet block holds exactly one of `table:`, `diagram:` or `summary:`",
        );
        f.finish(diags);
        return None;
    }
    let block = if let Some(t) = table {
        let kind = pick(&t, &TableKind::ALL, "table", diags)?;
        let (all, default) = kind.columns();
        let mut columns: Vec<&'static str> = Vec::new();
        let asked = f.strs("columns", diags);
        for c in &asked {
            match all.iter().find(|n| **n == c.value) {
                Some(n) => columns.push(n),
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
        if asked.is_empty() {
            columns = default.to_vec();
        }
        Block::Table {
            kind,
            columns,
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
        Block::Diagram { kind, host }
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
