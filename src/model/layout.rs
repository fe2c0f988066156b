//! The topology's `layout` key: the author's hints for placing hosts in the fleet
//! diagram (a number of columns, hosts drawn first, hosts pinned to a column). Hints name
//! hosts by id, so they survive hosts being added or reordered; a hint naming a host that
//! no longer exists is an error at its own position, with the nearest host id suggested.

use crate::base::suggest::did_you_mean;
use crate::diag::Diagnostics;
use crate::load::yaml::{mapping_entries, scalar, Fields, Sp, Src};
use crate::model::fleet::Host;
use marked_yaml::Node;

const LAYOUT: &[&str] = &["columns", "order", "pin"];
/// The most host columns a hint may ask for.
pub const MAX_COLUMNS: u64 = 64;

/// Validated layout hints; hosts are indices into the fleet's hosts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayoutHints {
    /// Number of host columns.
    pub columns: Option<usize>,
    /// Hosts drawn first, in this order.
    pub order: Vec<usize>,
    /// Hosts pinned to a column (0-based; the YAML counts from 1).
    pub pins: Vec<(usize, usize)>,
}

/// One `layout` mapping as written, before host ids are resolved.
pub struct RawLayout {
    columns: Option<Sp<u64>>,
    order: Vec<Sp<String>>,
    pins: Vec<(Sp<String>, Option<Sp<u64>>)>,
}

/// Reads a `layout` mapping.
pub fn read(src: &Src, node: &Node, diags: &mut Diagnostics) -> Option<RawLayout> {
    let f = Fields::new(src, node, "`layout`", LAYOUT, diags)?;
    let columns = f.number("columns", 1, MAX_COLUMNS, diags);
    let order = f.strs("order", diags);
    let mut pins = Vec::new();
    if let Some(pin) = f.node("pin") {
        for (host, n) in mapping_entries(src, pin, "`pin` of `layout`", diags) {
            let what = format!("the column of `{}` in `pin`", host.value);
            let column = scalar(src, n, &what, diags).and_then(|s| match s.value.parse::<u64>() {
                Ok(c) if (1..=MAX_COLUMNS).contains(&c) => Some(Sp::new(c, s.loc)),
                _ => {
                    diags.error(
                        s.loc,
                        format!(
                            "{what} must be a column number from 1 to {MAX_COLUMNS}, found `{}`",
                            s.value
                        ),
                    );
                    None
                }
            });
            pins.push((host, column));
        }
    }
    f.finish(diags);
    Some(RawLayout {
        columns,
        order,
        pins,
    })
}

/// Resolves host ids against the fleet's hosts; every unknown id is one error (none when
/// the fleet is `partial`: a file that failed to read may hold the host). Later `layout`
/// mappings (from later topology files) add to earlier ones; `columns` is the last one
/// given.
pub fn resolve(
    raw: &[RawLayout],
    hosts: &[Host],
    partial: bool,
    diags: &mut Diagnostics,
) -> LayoutHints {
    let mut hints = LayoutHints::default();
    let mut by_id = std::collections::HashMap::new();
    for (i, h) in hosts.iter().enumerate() {
        by_id.entry(h.id.as_str()).or_insert(i);
    }
    let find = |id: &Sp<String>, key: &str, diags: &mut Diagnostics| {
        let found = by_id.get(id.value.as_str()).copied();
        if found.is_none() && !partial {
            let hint =
                did_you_mean(&id.value, hosts.iter().map(|h| h.id.as_str())).unwrap_or_default();
            diags.error(
                id.loc.clone(),
                format!(
                    "`{key}` of `layout` names `{}`, but there is no host `{}`; fix the id or remove it from the layout{hint}",
                    id.value, id.value
                ),
            );
        }
        found
    };
    let mut ordered = std::collections::HashSet::new();
    for r in raw {
        if let Some(c) = &r.columns {
            hints.columns = Some(c.value as usize);
        }
        for id in &r.order {
            if let Some(h) = find(id, "order", diags) {
                if ordered.insert(h) {
                    hints.order.push(h);
                }
            }
        }
        for (id, column) in &r.pins {
            let h = find(id, "pin", diags);
            if let (Some(h), Some(c)) = (h, column) {
                hints.pins.retain(|(x, _)| *x != h);
                hints.pins.push((h, c.value as usize - 1));
            }
        }
    }
    hints
}
