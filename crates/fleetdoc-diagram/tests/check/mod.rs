//! Reads a diagram SVG back, as an outside checker would, and verifies what a reader sees:
//! boxes do not overlap, services sit inside their host, edges avoid foreign boxes, every
//! text fits its box by the font's metrics, and the document parses.
#![allow(dead_code)]

use fleetdoc_diagram::{line_extent, text_width, validate, Pt, Rect};
use roxmltree::{Document, Node};

#[derive(Debug, Clone)]
pub struct BoxEl {
    pub class: String,
    pub id: String,
    pub members: Vec<String>,
    pub rect: Rect,
    pub host: Option<String>,
}

fn attr(n: Node, k: &str) -> f32 {
    n.attribute(k)
        .and_then(|v| v.parse().ok())
        .unwrap_or(f32::NAN)
}

fn first_rect(n: Node) -> Option<Rect> {
    n.descendants().find(|c| c.has_tag_name("rect")).map(|r| {
        Rect::new(
            attr(r, "x"),
            attr(r, "y"),
            attr(r, "width"),
            attr(r, "height"),
        )
    })
}

fn class_is(n: Node, c: &str) -> bool {
    n.is_element() && n.attribute("class") == Some(c)
}

/// Whether `c` is one of the element's classes (`class="edge bundle"` has `edge`).
fn has_class(n: Node, c: &str) -> bool {
    n.is_element()
        && n.attribute("class")
            .is_some_and(|v| v.split_whitespace().any(|t| t == c))
}

pub fn boxes(doc: &Document) -> Vec<BoxEl> {
    let mut v = Vec::new();
    for n in doc.descendants().filter(|n| n.has_tag_name("g")) {
        let class = n.attribute("class").unwrap_or("");
        if !["host", "service", "service-summary", "internet"].contains(&class) {
            continue;
        }
        let rect = first_rect(n).expect("box group has a rect");
        let id = n.attribute("data-id").expect("box has data-id").to_string();
        let members = n.attribute("data-members").map_or_else(
            || vec![id.clone()],
            |m| m.split(' ').map(String::from).collect(),
        );
        let host = n
            .ancestors()
            .skip(1)
            .find(|a| class_is(*a, "host"))
            .and_then(|a| a.attribute("data-id"))
            .map(String::from);
        v.push(BoxEl {
            class: class.to_string(),
            id,
            members,
            rect,
            host,
        });
    }
    v
}

pub fn path_points(d: &str) -> Vec<Pt> {
    let nums: Vec<f32> = d
        .split(|c: char| c == 'M' || c == 'L' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("number in path"))
        .collect();
    nums.chunks(2).map(|c| Pt { x: c[0], y: c[1] }).collect()
}

fn cuts(r: &Rect, a: Pt, b: Pt) -> bool {
    let r = Rect::new(r.x + 0.5, r.y + 0.5, r.w - 1.0, r.h - 1.0);
    if (a.y - b.y).abs() < 1e-3 {
        a.y > r.y && a.y < r.y + r.h && a.x.min(b.x) < r.x + r.w && a.x.max(b.x) > r.x
    } else {
        a.x > r.x && a.x < r.x + r.w && a.y.min(b.y) < r.y + r.h && a.y.max(b.y) > r.y
    }
}

fn text_bounds(t: Node) -> Rect {
    let text: String = t.text().unwrap_or("").to_string();
    let size = attr(t, "font-size");
    let bold = t.attribute("font-weight") == Some("bold");
    let w = text_width(&text, size, bold);
    let (asc, desc) = line_extent(size, bold);
    let x = attr(t, "x");
    let x = match t.attribute("text-anchor") {
        Some("middle") => x - w / 2.0,
        Some("end") => x - w,
        _ => x,
    };
    Rect::new(x, attr(t, "y") - asc, w, asc + desc)
}

fn within(outer: &Rect, inner: &Rect) -> bool {
    let e = 0.05;
    inner.x >= outer.x - e
        && inner.y >= outer.y - e
        && inner.x + inner.w <= outer.x + outer.w + e
        && inner.y + inner.h <= outer.y + outer.h + e
}

/// Every layout invariant of a topology/host diagram; returns the first violation.
pub fn check_topology(svg: &str) -> Result<(), String> {
    validate(svg).map_err(|e| format!("usvg: {e}"))?;
    let doc = Document::parse(svg).map_err(|e| e.to_string())?;
    let root = doc.root_element();
    let canvas = Rect::new(0.0, 0.0, attr(root, "width"), attr(root, "height"));
    let all = boxes(&doc);
    let hosts: Vec<&BoxEl> = all.iter().filter(|b| b.class == "host").collect();
    let leaves: Vec<&BoxEl> = all.iter().filter(|b| b.class != "host").collect();
    for (i, a) in all.iter().enumerate() {
        if !within(&canvas, &a.rect) {
            return Err(format!("{} {} outside the canvas", a.class, a.id));
        }
        for b in &all[i + 1..] {
            let nested = a.class == "host" && b.host.as_deref() == Some(a.id.as_str());
            if !nested && a.rect.overlaps(&b.rect) {
                return Err(format!(
                    "{} {} overlaps {} {}",
                    a.class, a.id, b.class, b.id
                ));
            }
        }
    }
    for s in &leaves {
        if let Some(h) = &s.host {
            let hr = hosts
                .iter()
                .find(|x| &x.id == h)
                .ok_or("service in unknown host")?;
            if !within(&hr.rect, &s.rect) {
                return Err(format!("service {} sticks out of host {h}", s.id));
            }
        }
    }
    for p in doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && class_is(*n, "edge"))
    {
        let (from, to) = (
            p.attribute("data-from").unwrap_or(""),
            p.attribute("data-to").unwrap_or(""),
        );
        let own: Vec<&BoxEl> = leaves
            .iter()
            .copied()
            .filter(|b| b.members.iter().any(|m| m == from || m == to))
            .collect();
        let pts = path_points(p.attribute("d").unwrap_or(""));
        for w in pts.windows(2) {
            if (w[0].x - w[1].x).abs() > 1e-3 && (w[0].y - w[1].y).abs() > 1e-3 {
                return Err(format!("edge {from}->{to} has a diagonal segment"));
            }
            for b in &all {
                // A bundle between hosts ends on their containers.
                let is_own = own.iter().any(|o| o.id == b.id && o.class == b.class)
                    || (b.class == "host"
                        && own.iter().any(|o| o.host.as_deref() == Some(b.id.as_str())))
                    || (b.class == "host" && (b.id == from || b.id == to));
                if !is_own && cuts(&b.rect, w[0], w[1]) {
                    return Err(format!(
                        "edge {from}->{to} passes through {} {}",
                        b.class, b.id
                    ));
                }
            }
        }
    }
    labels_on_their_edges(&doc)?;
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let tb = text_bounds(t);
        let owner = t.ancestors().find(|a| {
            a.has_tag_name("g")
                && [
                    "host",
                    "service",
                    "service-summary",
                    "internet",
                    "edge-label",
                ]
                .iter()
                .any(|c| class_is(*a, c))
        });
        let outer = match owner {
            Some(g) => first_rect(g).unwrap_or(canvas),
            None => canvas,
        };
        if !within(&outer, &tb) {
            return Err(format!(
                "text {:?} ({tb:?}) does not fit its box {outer:?}",
                t.text().unwrap_or("")
            ));
        }
    }
    Ok(())
}

/// The box an edge end id names: a service or summary holding it, or the Internet node.
fn end_box(leaves: &[&BoxEl], id: &str) -> String {
    leaves
        .iter()
        .find(|b| b.members.iter().any(|m| m == id) || b.id == id)
        .map_or_else(|| id.to_string(), |b| format!("{}:{}", b.class, b.id))
}

/// Every edge as (from box, to box, d, points).
fn edges<'a>(doc: &'a Document, leaves: &[&BoxEl]) -> Vec<(String, String, &'a str, Vec<Pt>)> {
    doc.descendants()
        .filter(|n| n.has_tag_name("path") && class_is(*n, "edge"))
        .map(|p| {
            let d = p.attribute("d").unwrap_or("");
            (
                end_box(leaves, p.attribute("data-from").unwrap_or("")),
                end_box(leaves, p.attribute("data-to").unwrap_or("")),
                d,
                path_points(d),
            )
        })
        .collect()
}

/// Parallel axis-aligned segments closer than 1.5 px that overlap by more than 2 px.
fn same_track(a: (Pt, Pt), b: (Pt, Pt)) -> bool {
    let horiz = |s: (Pt, Pt)| (s.0.y - s.1.y).abs() < 1e-3;
    if horiz(a) != horiz(b) {
        return false;
    }
    let (ca, cb, a0, a1, b0, b1) = if horiz(a) {
        (
            a.0.y,
            b.0.y,
            a.0.x.min(a.1.x),
            a.0.x.max(a.1.x),
            b.0.x.min(b.1.x),
            b.0.x.max(b.1.x),
        )
    } else {
        (
            a.0.x,
            b.0.x,
            a.0.y.min(a.1.y),
            a.0.y.max(a.1.y),
            b.0.y.min(b.1.y),
            b.0.y.max(b.1.y),
        )
    };
    (ca - cb).abs() < 1.5 && a1.min(b1) - a0.max(b0) > 2.0
}

/// Pairs of edges whose ends are unrelated (no box in common) that run on one track, and
/// the first such pair.
pub fn shared_tracks(svg: &str) -> (usize, Option<String>) {
    let doc = Document::parse(svg).expect("SVG parses");
    let all_boxes = boxes(&doc);
    let leaves: Vec<&BoxEl> = all_boxes.iter().filter(|b| b.class != "host").collect();
    let all = edges(&doc, &leaves);
    let (mut n, mut first) = (0, None);
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            if a.0 == b.0 || a.0 == b.1 || a.1 == b.0 || a.1 == b.1 {
                continue;
            }
            let hit = a.3.windows(2).find(|s| {
                b.3.windows(2)
                    .any(|t| same_track((s[0], s[1]), (t[0], t[1])))
            });
            if let Some(s) = hit {
                n += 1;
                first.get_or_insert_with(|| {
                    format!(
                        "edges {}->{} and {}->{} share a track at {:?}",
                        a.0, a.1, b.0, b.1, s
                    )
                });
            }
        }
    }
    (n, first)
}

/// Every edge label's pill sits on a line of its own edge (the line runs through it or
/// along its border), and no other line touches it.
pub fn labels_on_their_edges(doc: &Document) -> Result<(), String> {
    let lines: Vec<(&str, &str, &str, Vec<Pt>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && has_class(*n, "edge"))
        .map(|p| {
            let d = p.attribute("d").unwrap_or("");
            (
                p.attribute("data-from").unwrap_or(""),
                p.attribute("data-to").unwrap_or(""),
                d,
                path_points(d),
            )
        })
        .collect();
    for g in doc.descendants().filter(|n| class_is(*n, "edge-label")) {
        let (from, to) = (
            g.attribute("data-from").unwrap_or(""),
            g.attribute("data-to").unwrap_or(""),
        );
        let r = first_rect(g).ok_or("label without a pill")?;
        // Its own line runs through the pill or along its border for a stretch.
        let on = |pts: &[Pt]| {
            pts.windows(2).any(|w| {
                let (x0, x1) = (w[0].x.min(w[1].x), w[0].x.max(w[1].x));
                let (y0, y1) = (w[0].y.min(w[1].y), w[0].y.max(w[1].y));
                let (ox, oy) = (
                    x1.min(r.x + r.w) - x0.max(r.x),
                    y1.min(r.y + r.h) - y0.max(r.y),
                );
                ox >= -0.5 && oy >= -0.5 && ox.max(oy) >= r.w.min(r.h) / 2.0
            })
        };
        let own: Vec<&str> = lines
            .iter()
            .filter(|l| l.0 == from && l.1 == to && on(&l.3))
            .map(|l| l.2)
            .collect();
        if own.is_empty() {
            return Err(format!("label of {from}->{to} is not on its edge"));
        }
        for l in lines.iter().filter(|l| !own.contains(&l.2)) {
            let through = l.3.windows(2).any(|w| {
                w[0].x.min(w[1].x) <= r.x + r.w
                    && w[0].x.max(w[1].x) >= r.x
                    && w[0].y.min(w[1].y) <= r.y + r.h
                    && w[0].y.max(w[1].y) >= r.y
            });
            if through {
                return Err(format!(
                    "label of {from}->{to} also sits on edge {}->{}",
                    l.0, l.1
                ));
            }
        }
    }
    Ok(())
}

/// Every invariant of a summary picture; returns the first violation. Boxes
/// (`summary-node`) stay inside the canvas and apart, every text fits its box (or the
/// canvas), every bundle is orthogonal, inside the canvas, passes through no box but its
/// two ends and counts at least one edge, and every count label sits on its own line.
pub fn check_summary(svg: &str) -> Result<(), String> {
    validate(svg).map_err(|e| format!("usvg: {e}"))?;
    let doc = Document::parse(svg).map_err(|e| e.to_string())?;
    let root = doc.root_element();
    let canvas = Rect::new(0.0, 0.0, attr(root, "width"), attr(root, "height"));
    let mut nodes: Vec<(String, Rect)> = Vec::new();
    for g in doc
        .descendants()
        .filter(|n| class_is(*n, "summary-node") || class_is(*n, "internet"))
    {
        let id = g.attribute("data-id").unwrap_or("").to_string();
        let r = first_rect(g).ok_or(format!("box {id} without a rect"))?;
        if !within(&canvas, &r) {
            return Err(format!("box {id} outside the canvas"));
        }
        if let Some((other, _)) = nodes.iter().find(|(_, o)| o.overlaps(&r)) {
            return Err(format!("box {id} overlaps box {other}"));
        }
        nodes.push((id, r));
    }
    for p in doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("data-kind") == Some("bundle"))
    {
        let (from, to) = (
            p.attribute("data-from").unwrap_or(""),
            p.attribute("data-to").unwrap_or(""),
        );
        let count: usize = p
            .attribute("data-count")
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        if count == 0 {
            return Err(format!("bundle {from}->{to} counts no edge"));
        }
        let pts = path_points(p.attribute("d").unwrap_or(""));
        for w in pts.windows(2) {
            if (w[0].x - w[1].x).abs() > 1e-3 && (w[0].y - w[1].y).abs() > 1e-3 {
                return Err(format!("bundle {from}->{to} has a diagonal segment"));
            }
            for (id, r) in &nodes {
                if id != from && id != to && cuts(r, w[0], w[1]) {
                    return Err(format!("bundle {from}->{to} passes through box {id}"));
                }
            }
            let ends = Rect::new(w[0].x, w[0].y, 0.0, 0.0);
            if !within(&canvas, &ends.union(&Rect::new(w[1].x, w[1].y, 0.0, 0.0))) {
                return Err(format!("bundle {from}->{to} leaves the canvas"));
            }
        }
    }
    labels_on_their_edges(&doc)?;
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let tb = text_bounds(t);
        let owner = t.ancestors().find(|a| {
            a.has_tag_name("g")
                && ["summary-node", "internet", "edge-label"]
                    .iter()
                    .any(|c| class_is(*a, c))
        });
        let outer = owner.and_then(first_rect).unwrap_or(canvas);
        if !within(&outer, &tb) {
            return Err(format!(
                "text {:?} ({tb:?}) does not fit its box {outer:?}",
                t.text().unwrap_or("")
            ));
        }
    }
    Ok(())
}

/// The ends of lines whose last stretch does not face the other end of the line (it
/// leaves or enters its box on a side turned away from the other box), and all ends.
pub fn ports_turned_away(svg: &str) -> (usize, usize) {
    let doc = Document::parse(svg).expect("SVG parses");
    let all_boxes = boxes(&doc);
    let leaves: Vec<&BoxEl> = all_boxes.iter().filter(|b| b.class != "host").collect();
    let (mut away, mut all) = (0, 0);
    for (_, _, _, p) in edges(&doc, &leaves) {
        if p.len() < 2 {
            continue;
        }
        let (a, b) = (p[0], p[p.len() - 1]);
        let v = (b.x - a.x, b.y - a.y);
        let n = p.len();
        for (s, t) in [(p[0], p[1]), (p[n - 2], p[n - 1])] {
            all += 1;
            if (t.x - s.x) * v.0 + (t.y - s.y) * v.1 < -1.0 {
                away += 1;
            }
        }
    }
    (away, all)
}

/// Length (px) of lines drawn in the margin: left of, right of or below every host.
pub fn margin_length(svg: &str) -> f32 {
    let doc = Document::parse(svg).expect("SVG parses");
    let all_boxes = boxes(&doc);
    let Some(area) = all_boxes
        .iter()
        .filter(|b| b.class == "host")
        .map(|b| b.rect)
        .reduce(|a, b| a.union(&b))
    else {
        return 0.0;
    };
    let leaves: Vec<&BoxEl> = all_boxes.iter().filter(|b| b.class != "host").collect();
    let mut len = 0.0;
    for (_, _, _, p) in edges(&doc, &leaves) {
        for w in p.windows(2) {
            let (s, t) = (w[0], w[1]);
            let l = (s.x - t.x).abs() + (s.y - t.y).abs();
            let mid = Pt::new((s.x + t.x) / 2.0, (s.y + t.y) / 2.0);
            if mid.x < area.x || mid.x > area.right() || mid.y > area.bottom() {
                len += l;
            }
        }
    }
    len
}

/// Pairs of a line from the Internet and a plain line (an end of neither shared) that run
/// side by side: parallel stretches closer than `apart` px overlapping by over 2 px.
pub fn internet_beside_links(svg: &str, apart: f32) -> (usize, Option<String>) {
    let doc = Document::parse(svg).expect("SVG parses");
    let all_boxes = boxes(&doc);
    let leaves: Vec<&BoxEl> = all_boxes.iter().filter(|b| b.class != "host").collect();
    let all = edges(&doc, &leaves);
    let public = |e: &(String, String, &str, Vec<Pt>)| {
        e.0 == "internet:internet"
            || e.1 == "internet:internet"
            || e.0 == "internet"
            || e.1 == "internet"
    };
    let near = |a: (Pt, Pt), b: (Pt, Pt)| {
        let horiz = |s: (Pt, Pt)| (s.0.y - s.1.y).abs() < 1e-3;
        let vert = |s: (Pt, Pt)| (s.0.x - s.1.x).abs() < 1e-3;
        if horiz(a) && horiz(b) {
            let o = a.0.x.max(a.1.x).min(b.0.x.max(b.1.x)) - a.0.x.min(a.1.x).max(b.0.x.min(b.1.x));
            (a.0.y - b.0.y).abs() < apart && o > 2.0
        } else if vert(a) && vert(b) {
            let o = a.0.y.max(a.1.y).min(b.0.y.max(b.1.y)) - a.0.y.min(a.1.y).max(b.0.y.min(b.1.y));
            (a.0.x - b.0.x).abs() < apart && o > 2.0
        } else {
            false
        }
    };
    let (mut n, mut first) = (0, None);
    for a in all.iter().filter(|e| public(e)) {
        for b in all.iter().filter(|e| !public(e)) {
            if a.0 == b.0 || a.0 == b.1 || a.1 == b.0 || a.1 == b.1 {
                continue;
            }
            let hit = a.3.windows(2).find_map(|s| {
                b.3.windows(2)
                    .find(|t| near((s[0], s[1]), (t[0], t[1])))
                    .map(|t| (s[0], s[1], t[0], t[1]))
            });
            if let Some(h) = hit {
                n += 1;
                first.get_or_insert_with(|| {
                    format!("{}->{} beside {}->{} at {:?}", a.0, a.1, b.0, b.1, h)
                });
            }
        }
    }
    (n, first)
}
