//! Sizing of service boxes and host containers from their text, measured with the real font.
//! A host is laid out in its own coordinates (origin at its top-left corner): header, then
//! the ingress and ungrouped services in rows, then one dashed block per group. Placement in
//! the drawing shifts it afterwards.

use crate::font::{ellipsize, line_extent, text_width, wrap};
use crate::geom::Rect;
use crate::model::{HostBox, ServiceBox, Status};

pub const LABEL_SIZE: f32 = 13.0;
pub const LABEL_LH: f32 = 17.0;
pub const DETAIL_SIZE: f32 = 11.0;
pub const DETAIL_LH: f32 = 14.0;
/// Left padding of service text (after the status stripe).
pub const SVC_PAD_L: f32 = 14.0;
/// Right padding of service text, including the status badge.
pub const SVC_PAD_R: f32 = 30.0;
pub const SVC_PAD_T: f32 = 9.0;
pub const SVC_PAD_B: f32 = 9.0;
pub const SVC_MIN_W: f32 = 150.0;
pub const SVC_MAX_W: f32 = 270.0;
/// Gap between boxes: a channel for edges, 8 px clear of each side.
pub const GAP: f32 = 16.0;
pub const HOST_PAD: f32 = 16.0;
pub const HOST_TITLE_SIZE: f32 = 14.0;
pub const HOST_TITLE_LH: f32 = 18.0;
pub const HOST_SUB_SIZE: f32 = 12.0;
pub const HOST_SUB_LH: f32 = 16.0;
pub const HOST_MIN_INNER: f32 = 180.0;
pub const HOST_HEADER_MAX: f32 = 340.0;
pub const GROUP_PAD: f32 = 10.0;
pub const GROUP_LABEL_SIZE: f32 = 11.0;
const DETAIL_SEP: &str = " \u{00b7} ";

/// A service box (or a summary of several) with its wrapped text.
#[derive(Debug, Clone)]
pub struct SvcNode {
    /// Service id, or `host/group` for a summary box.
    pub id: String,
    /// The service ids this box stands for (one, unless a summary).
    pub members: Vec<String>,
    pub summary: bool,
    pub label: Vec<String>,
    pub details: Vec<String>,
    pub status: Status,
    pub ingress: bool,
    pub href: Option<String>,
    pub rect: Rect,
}

/// A dashed block holding the services of one group.
#[derive(Debug, Clone)]
pub struct GroupNode {
    pub name: String,
    pub rect: Rect,
    /// Box of the group's label text (an obstacle for edges).
    pub label_rect: Rect,
}

/// A host container with everything inside it.
#[derive(Debug, Clone)]
pub struct HostNode {
    pub id: String,
    pub title: Vec<String>,
    pub subtitle: Vec<String>,
    pub href: Option<String>,
    pub rect: Rect,
    /// The header band (an obstacle for edges).
    pub header: Rect,
    pub services: Vec<SvcNode>,
    pub groups: Vec<GroupNode>,
}

impl HostNode {
    /// Moves the host and all it holds by (dx, dy).
    pub fn shift(&mut self, dx: f32, dy: f32) {
        let mv = |r: &mut Rect| {
            r.x += dx;
            r.y += dy;
        };
        mv(&mut self.rect);
        mv(&mut self.header);
        self.services.iter_mut().for_each(|s| mv(&mut s.rect));
        for g in &mut self.groups {
            mv(&mut g.rect);
            mv(&mut g.label_rect);
        }
    }
}

/// Packs `parts` into lines joined by a middle dot, each no wider than `max`.
fn pack_details(parts: &[String], max: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for p in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let cand = if cur.is_empty() {
            p.to_string()
        } else {
            format!("{cur}{DETAIL_SEP}{p}")
        };
        if text_width(&cand, DETAIL_SIZE, false) <= max {
            cur = cand;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        let mut pieces = wrap(p, DETAIL_SIZE, false, max);
        cur = pieces.pop().unwrap_or_default();
        lines.extend(pieces);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Text width a service would like (before the host makes its boxes uniform).
fn wanted_text_width(label: &str, details: &[String]) -> f32 {
    let lw = text_width(label, LABEL_SIZE, true);
    let dw = details
        .iter()
        .map(|d| text_width(d.trim(), DETAIL_SIZE, false))
        .fold(0.0, f32::max);
    lw.max(dw).clamp(
        SVC_MIN_W - SVC_PAD_L - SVC_PAD_R,
        SVC_MAX_W - SVC_PAD_L - SVC_PAD_R,
    )
}

/// Height of a service box with `nl` label lines and `nd` detail lines.
pub fn svc_height(nl: usize, nd: usize) -> f32 {
    let (_, d_label) = line_extent(LABEL_SIZE, true);
    let (_, d_detail) = line_extent(DETAIL_SIZE, false);
    let label_bottom = SVC_PAD_T + LABEL_SIZE + (nl.max(1) - 1) as f32 * LABEL_LH + d_label;
    let bottom = if nd == 0 {
        label_bottom
    } else {
        detail_baseline(nl, nd - 1) + d_detail
    };
    (bottom + SVC_PAD_B).ceil().max(36.0)
}

/// Baseline of label line `k`, from the box top.
pub fn label_baseline(k: usize) -> f32 {
    SVC_PAD_T + LABEL_SIZE + k as f32 * LABEL_LH
}

/// Baseline of detail line `k`, from the box top, under `nl` label lines.
pub fn detail_baseline(nl: usize, k: usize) -> f32 {
    label_baseline(nl.max(1) - 1) + 4.0 + DETAIL_LH + k as f32 * DETAIL_LH
}

/// A service before wrapping: label, detail parts, and its ids.
struct Proto {
    id: String,
    members: Vec<String>,
    summary: bool,
    label: String,
    details: Vec<String>,
    status: Status,
    ingress: bool,
    href: Option<String>,
    group: Option<String>,
}

fn proto_of(s: &ServiceBox) -> Proto {
    let label = if s.label.trim().is_empty() {
        s.id.clone()
    } else {
        s.label.clone()
    };
    Proto {
        id: s.id.clone(),
        members: vec![s.id.clone()],
        summary: false,
        label,
        details: s.details.clone(),
        status: s.status,
        ingress: s.ingress,
        href: s.href.clone(),
        group: s.group.clone(),
    }
}

/// Collapses each group of two or more services into one summary box ("7 agents").
fn summarize(host_id: &str, protos: Vec<Proto>) -> Vec<Proto> {
    let size = |g: &str| {
        protos
            .iter()
            .filter(|p| p.group.as_deref() == Some(g))
            .count()
    };
    let sizes: Vec<usize> = protos
        .iter()
        .map(|p| p.group.as_deref().map_or(0, size))
        .collect();
    let mut out: Vec<Proto> = Vec::new();
    for (p, n) in protos.into_iter().zip(sizes) {
        let Some(g) = p.group.clone().filter(|_| n >= 2 && !p.ingress) else {
            out.push(p);
            continue;
        };
        if let Some(s) = out
            .iter_mut()
            .find(|o| o.summary && o.group.as_deref() == Some(g.as_str()))
        {
            s.members.push(p.id.clone());
            if p.status.severity() > s.status.severity() {
                s.status = p.status;
            }
            s.details.push(p.status.word().to_string());
            continue;
        }
        out.push(Proto {
            id: format!("{host_id}/{g}"),
            members: vec![p.id.clone()],
            summary: true,
            label: g.clone(),
            details: vec![p.status.word().to_string()],
            status: p.status,
            ingress: false,
            href: None,
            group: Some(g),
        });
    }
    for p in &mut out {
        if p.summary {
            let n = p.members.len();
            let counts = [Status::Up, Status::Down, Status::Stale, Status::Unknown]
                .iter()
                .filter_map(|s| {
                    let c = p.details.iter().filter(|d| d.as_str() == s.word()).count();
                    (c > 0).then(|| {
                        format!(
                            "{c} {}",
                            if *s == Status::Unknown {
                                "no data"
                            } else {
                                s.word()
                            }
                        )
                    })
                })
                .collect::<Vec<_>>();
            p.label = format!("{n} {}", p.label);
            p.details = counts;
        }
    }
    out
}

/// Puts the boxes of the ungrouped block (ingress first) into its row-major slots so that
/// boxes joined by an edge sit side by side: each slot, in turn, takes the box with the most
/// edges to the boxes already left of it and above it, then to placed boxes that have no
/// free slot below them left, then the first in input order; then pairs are swapped while
/// that untangles the host's lines (`improve`). A host's own edges decide, so the order is
/// the same whatever the rest of the fleet holds.
fn arrange<'a>(
    order: Vec<&'a Proto>,
    cols: usize,
    links: &[(&str, &str)],
    own: &dyn Fn(&str) -> bool,
) -> Vec<&'a Proto> {
    if links.is_empty() || order.len() < 3 {
        return order;
    }
    let joined = |a: &Proto, b: &Proto| -> usize {
        links
            .iter()
            .filter(|(x, y)| {
                (a.members.iter().any(|m| m == x) && b.members.iter().any(|m| m == y))
                    || (a.members.iter().any(|m| m == y) && b.members.iter().any(|m| m == x))
            })
            .count()
    };
    let fixed = order.iter().take_while(|p| p.ingress).count().max(1);
    let mut placed: Vec<&Proto> = order[..fixed].to_vec();
    let mut rest: Vec<&Proto> = order[fixed..].to_vec();
    while !rest.is_empty() {
        let slot = placed.len();
        let near: Vec<&Proto> = [
            (!slot.is_multiple_of(cols)).then(|| placed[slot - 1]),
            (slot >= cols).then(|| placed[slot - cols]),
        ]
        .into_iter()
        .flatten()
        .collect();
        // A placed box whose slot below is still to come can take its partner there.
        let total = placed.len() + rest.len();
        let waiting = |k: usize| k + cols > slot && k + cols < total;
        let score = |c: &Proto| {
            (
                near.iter().map(|n| joined(c, n)).sum::<usize>(),
                placed
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| !waiting(*k))
                    .map(|(_, n)| joined(c, n))
                    .sum::<usize>(),
            )
        };
        let mut best = 0;
        for k in 1..rest.len() {
            if score(rest[k]) > score(rest[best]) {
                best = k;
            }
        }
        placed.push(rest.remove(best));
    }
    improve(&mut placed, fixed, cols, links, own);
    placed
}

/// Orders the members of a group block so that each sits under the column of the boxes of
/// the ungrouped block (`above`, in its `above_cols` columns) it is joined to: each slot of
/// the group's grid, in row-major order, takes the member whose partners' mean column lies
/// nearest that slot's column (a member with no partner above counts as lying anywhere and
/// waits for a slot no joined member wants; ties keep input order). Lines from a group then
/// run straight up instead of crossing each other inside the block.
fn under_partners<'a>(
    members: Vec<&'a Proto>,
    above: &[&Proto],
    above_cols: usize,
    cols: usize,
    links: &[(&str, &str)],
) -> Vec<&'a Proto> {
    let n = members.len();
    let gcols = cols.min(grid_cols(n, cols)).max(1);
    if n < 2 || gcols < 2 || above.is_empty() {
        return members;
    }
    let col_of = |id: &str| -> Option<usize> {
        above
            .iter()
            .position(|p| p.members.iter().any(|m| m == id))
            .map(|k| k % above_cols.max(1))
    };
    // Mean column of a member's partners above, scaled to the group's columns.
    let want: Vec<Option<f32>> = members
        .iter()
        .map(|p| {
            let cols_above: Vec<usize> = links
                .iter()
                .filter_map(|(a, b)| {
                    if p.members.iter().any(|m| m == a) {
                        col_of(b)
                    } else if p.members.iter().any(|m| m == b) {
                        col_of(a)
                    } else {
                        None
                    }
                })
                .collect();
            (!cols_above.is_empty()).then(|| {
                let mean = cols_above.iter().sum::<usize>() as f32 / cols_above.len() as f32;
                if above_cols > 1 {
                    mean * (gcols - 1) as f32 / (above_cols - 1) as f32
                } else {
                    0.0
                }
            })
        })
        .collect();
    if want.iter().all(Option::is_none) {
        return members;
    }
    let mut left: Vec<usize> = (0..n).collect();
    let mut out = Vec::with_capacity(n);
    for slot in 0..n {
        let c = (slot % gcols) as f32;
        // A joined member near this column first; then an unjoined one; a joined member
        // far from this column only when nothing else is left.
        let pick = left
            .iter()
            .enumerate()
            .min_by(|(_, &a), (_, &b)| {
                let cost = |k: usize| match want[k] {
                    Some(w) => (w - c).abs() - 0.5,
                    None => 0.0,
                };
                cost(a).total_cmp(&cost(b))
            })
            .map(|(i, _)| i)
            .unwrap_or(0);
        out.push(members[left.remove(pick)]);
    }
    out
}

/// Swaps pairs of boxes (never the ingress) while that lowers an estimate of how tangled the
/// host's lines are: straight lines between slot centers, each crossing counted as much as
/// four slots of length, each box a line would pass over as two; lines to boxes outside the
/// block (groups) run to a point below it, and a box with a line to another host (which
/// could be anywhere) counts its distance to the block's border. Deterministic: pairs are
/// tried in order and a swap is kept only when it strictly lowers the estimate.
fn improve(
    placed: &mut [&Proto],
    fixed: usize,
    cols: usize,
    links: &[(&str, &str)],
    own: &dyn Fn(&str) -> bool,
) {
    let n = placed.len();
    let rows = n.div_ceil(cols);
    // Slot centers: a slot is about 2.5 times as wide as it is tall.
    let at = |k: usize| ((k % cols) as f32 * 2.5, (k / cols) as f32);
    let below = ((cols as f32 - 1.0) * 1.25, rows as f32 + 0.5);
    let cost = |p: &[&Proto]| -> f32 {
        let slot = |id: &str| p.iter().position(|b| b.members.iter().any(|m| m == id));
        let lines: Vec<(Spot, Spot, Option<usize>, Option<usize>)> = links
            .iter()
            .filter(|(a, b)| own(a) && own(b))
            .filter_map(|(a, b)| {
                let (x, y) = (slot(a), slot(b));
                if x.is_none() && y.is_none() || x == y {
                    return None;
                }
                Some((x.map_or(below, at), y.map_or(below, at), x, y))
            })
            .collect();
        let mut c = 0.0;
        // Lines that leave the host: from the middle they would cross everything around.
        for (a, b) in links {
            for (here, there) in [(a, b), (b, a)] {
                if let (Some(k), false) = (slot(here), own(there)) {
                    let (col, row) = (k % cols, k / cols);
                    let side = ((col.min(cols - 1 - col)) as f32 * 2.5)
                        .min(row.min(rows - 1 - row) as f32);
                    c += side;
                }
            }
        }
        for (i, l) in lines.iter().enumerate() {
            c += (l.0 .0 - l.1 .0).abs() + (l.0 .1 - l.1 .1).abs();
            for k in 0..n {
                if Some(k) != l.2 && Some(k) != l.3 && passes(l.0, l.1, at(k)) {
                    c += 2.0;
                }
            }
            for m in &lines[i + 1..] {
                if crosses(l.0, l.1, m.0, m.1) {
                    c += 10.0;
                }
            }
        }
        c
    };
    let mut best = cost(placed);
    for _ in 0..4 {
        let mut better = false;
        for i in fixed..n {
            for j in i + 1..n {
                placed.swap(i, j);
                let c = cost(placed);
                if c + 1e-3 < best {
                    best = c;
                    better = true;
                } else {
                    placed.swap(i, j);
                }
            }
        }
        if !better {
            break;
        }
    }
}

/// A point in slot units (x: columns, y: rows).
type Spot = (f32, f32);

fn orient(a: (f32, f32), b: (f32, f32), c: (f32, f32)) -> f32 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// Segments a-b and c-d cross at one point inside both.
fn crosses(a: (f32, f32), b: (f32, f32), c: (f32, f32), d: (f32, f32)) -> bool {
    let (d1, d2) = (orient(a, b, c), orient(a, b, d));
    let (d3, d4) = (orient(c, d, a), orient(c, d, b));
    d1 * d2 < -1e-6 && d3 * d4 < -1e-6
}

/// Point p lies on segment a-b, strictly between its ends.
fn passes(a: (f32, f32), b: (f32, f32), p: (f32, f32)) -> bool {
    orient(a, b, p).abs() < 1e-3 && (p.0 - a.0) * (p.0 - b.0) + (p.1 - a.1) * (p.1 - b.1) < -1e-3
}

/// Lays out one host in its own coordinates. `max_cols` bounds services per row;
/// `collapse` turns each group into a summary box; `links` are the edges (service ids) with
/// an end in this host, which decide where the ungrouped boxes sit.
pub fn layout_host(
    h: &HostBox,
    max_cols: usize,
    collapse: bool,
    links: &[(&str, &str)],
) -> HostNode {
    let mut protos: Vec<Proto> = h.services.iter().map(proto_of).collect();
    if collapse {
        protos = summarize(&h.id, protos);
    }
    // Ingress first, then ungrouped, then groups in order of first appearance.
    let mut order: Vec<&Proto> = protos.iter().filter(|p| p.ingress).collect();
    order.extend(
        protos
            .iter()
            .filter(|p| !p.ingress && (p.group.is_none() || p.summary)),
    );
    let mut group_names: Vec<String> = Vec::new();
    for p in protos.iter().filter(|p| !p.ingress && !p.summary) {
        if let Some(g) = &p.group {
            if !group_names.contains(g) {
                group_names.push(g.clone());
            }
        }
    }
    let text_w = protos
        .iter()
        .map(|p| wanted_text_width(&p.label, &p.details))
        .fold(0.0, f32::max);
    let box_w = (text_w + SVC_PAD_L + SVC_PAD_R).ceil();
    let make = |p: &Proto| {
        let label = wrap(&p.label, LABEL_SIZE, true, text_w);
        let details = pack_details(&p.details, text_w);
        let h = svc_height(label.len(), details.len());
        SvcNode {
            id: p.id.clone(),
            members: p.members.clone(),
            summary: p.summary,
            label,
            details,
            status: p.status,
            ingress: p.ingress,
            href: p.href.clone(),
            rect: Rect::new(0.0, 0.0, box_w, h),
        }
    };
    let cols = max_cols.max(1);
    let plain_cols = cols.min(grid_cols(order.len(), cols));
    let own = |id: &str| protos.iter().any(|p| p.members.iter().any(|m| m == id));
    let order = arrange(order, plain_cols, links, &own);
    let mut services: Vec<SvcNode> = Vec::new();
    let mut groups: Vec<GroupNode> = Vec::new();
    let mut y = 0.0f32;
    let mut inner_w = 0.0f32;
    // Ungrouped block.
    let plain: Vec<SvcNode> = order.iter().map(|p| make(p)).collect();
    if !plain.is_empty() {
        let (w, h) = grid_rows(
            plain,
            cols.min(grid_cols(order.len(), cols)),
            0.0,
            y,
            box_w,
            &mut services,
        );
        inner_w = inner_w.max(w);
        y += h + GAP;
    }
    // One dashed block per group.
    for g in &group_names {
        let in_group: Vec<&Proto> = protos
            .iter()
            .filter(|p| !p.ingress && !p.summary && p.group.as_deref() == Some(g.as_str()))
            .collect();
        let members: Vec<SvcNode> = under_partners(in_group, &order, plain_cols, cols, links)
            .into_iter()
            .map(make)
            .collect();
        let n = members.len();
        let span = cols.min(n).max(1) as f32;
        let label_text = ellipsize(
            g.trim(),
            GROUP_LABEL_SIZE,
            true,
            span * box_w + (span - 1.0) * GAP,
        );
        let (asc, desc) = line_extent(GROUP_LABEL_SIZE, true);
        let lw = text_width(&label_text, GROUP_LABEL_SIZE, true);
        let label_rect = Rect::new(GROUP_PAD, y + GROUP_PAD, lw, asc + desc);
        let top = y + GROUP_PAD + asc + desc + GAP;
        let (w, h) = grid_rows(
            members,
            cols.min(grid_cols(n, cols)),
            GROUP_PAD,
            top,
            box_w,
            &mut services,
        );
        let gw = (w + 2.0 * GROUP_PAD).max(lw + 2.0 * GROUP_PAD);
        let gh = top - y + h + GROUP_PAD;
        groups.push(GroupNode {
            name: label_text,
            rect: Rect::new(0.0, y, gw, gh),
            label_rect,
        });
        inner_w = inner_w.max(gw);
        y += gh + GAP;
    }
    let services_h = if y > 0.0 { y - GAP } else { 0.0 };
    // Header: wrapped to the services' width, or wider up to a limit.
    let title_need = text_width(h.label.trim(), HOST_TITLE_SIZE, true);
    let sub = h.subtitle.as_deref().unwrap_or("").trim().to_string();
    let sub_need = text_width(&sub, HOST_SUB_SIZE, false);
    let header_w = title_need.max(sub_need).min(inner_w.max(HOST_HEADER_MAX));
    inner_w = inner_w.max(header_w).max(HOST_MIN_INNER).ceil();
    let label = if h.label.trim().is_empty() {
        h.id.as_str()
    } else {
        h.label.as_str()
    };
    let title = wrap(label, HOST_TITLE_SIZE, true, inner_w);
    let subtitle = wrap(&sub, HOST_SUB_SIZE, false, inner_w);
    let (_, sub_desc) = line_extent(HOST_SUB_SIZE, false);
    let (_, title_desc) = line_extent(HOST_TITLE_SIZE, true);
    let header_bottom = if subtitle.is_empty() {
        header_title_baseline(title.len().max(1) - 1) + title_desc
    } else {
        header_sub_baseline(title.len(), subtitle.len() - 1) + sub_desc
    };
    let header = Rect::new(
        0.0,
        0.0,
        inner_w + 2.0 * HOST_PAD,
        (header_bottom + 2.0).ceil(),
    );
    let body_top = header.bottom() + GAP;
    for s in &mut services {
        s.rect.x += HOST_PAD;
        s.rect.y += body_top;
    }
    for g in &mut groups {
        g.rect.x += HOST_PAD;
        g.rect.y += body_top;
        g.label_rect.x += HOST_PAD;
        g.label_rect.y += body_top;
    }
    let height = if services.is_empty() {
        header.bottom() + HOST_PAD - 4.0
    } else {
        body_top + services_h + HOST_PAD
    };
    HostNode {
        id: h.id.clone(),
        title,
        subtitle,
        href: h.href.clone(),
        rect: Rect::new(0.0, 0.0, inner_w + 2.0 * HOST_PAD, height.ceil()),
        header,
        services,
        groups,
    }
}

/// Baseline of host title line `k`, from the host top.
pub fn header_title_baseline(k: usize) -> f32 {
    HOST_PAD + HOST_TITLE_SIZE - 1.0 + k as f32 * HOST_TITLE_LH
}

/// Baseline of subtitle line `k` under `nt` title lines, from the host top.
pub fn header_sub_baseline(nt: usize, k: usize) -> f32 {
    header_title_baseline(nt.max(1) - 1) + 4.0 + HOST_SUB_LH + k as f32 * HOST_SUB_LH - 2.0
}

/// Columns for `n` boxes: a near-square grid, at most `max`.
fn grid_cols(n: usize, max: usize) -> usize {
    let mut c = 1;
    while c * c < n {
        c += 1;
    }
    c.clamp(1, max.max(1))
}

/// Places boxes in rows of `cols` starting at (x0, y0); each row as tall as its tallest box.
/// Pushes them into `out` and returns the block's width and height.
fn grid_rows(
    items: Vec<SvcNode>,
    cols: usize,
    x0: f32,
    y0: f32,
    box_w: f32,
    out: &mut Vec<SvcNode>,
) -> (f32, f32) {
    let cols = cols.max(1);
    let mut y = y0;
    let mut width = 0.0f32;
    let mut row: Vec<SvcNode> = Vec::new();
    let mut rows: Vec<Vec<SvcNode>> = Vec::new();
    for it in items {
        row.push(it);
        if row.len() == cols {
            rows.push(std::mem::take(&mut row));
        }
    }
    if !row.is_empty() {
        rows.push(row);
    }
    for r in rows {
        let rh = r.iter().map(|s| s.rect.h).fold(0.0, f32::max);
        let n = r.len();
        for (i, mut s) in r.into_iter().enumerate() {
            s.rect = Rect::new(x0 + i as f32 * (box_w + GAP), y, box_w, rh);
            out.push(s);
        }
        width = width.max(n as f32 * box_w + (n as f32 - 1.0) * GAP);
        y += rh + GAP;
    }
    (width, (y - GAP - y0).max(0.0))
}

/// One service box on its own (for the flow diagram), sized to its own text.
pub fn service_node(s: &ServiceBox) -> SvcNode {
    let p = proto_of(s);
    let text_w = wanted_text_width(&p.label, &p.details);
    let label = wrap(&p.label, LABEL_SIZE, true, text_w);
    let details = pack_details(&p.details, text_w);
    let h = svc_height(label.len(), details.len());
    SvcNode {
        id: p.id,
        members: p.members,
        summary: false,
        label,
        details,
        status: p.status,
        ingress: p.ingress,
        href: p.href,
        rect: Rect::new(0.0, 0.0, (text_w + SVC_PAD_L + SVC_PAD_R).ceil(), h),
    }
}
