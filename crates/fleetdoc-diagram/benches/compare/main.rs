//! Comparison harness: the project's own generated fleets (3 hosts / 20 services and
//! 40 hosts / 400 services, in regions, with public routes and cross-host links) written as
//! Graphviz DOT, Mermaid and fleetdoc input, each tool run in this same run, and every
//! output measured by one geometry counter (`geometry.rs`): crossings, pairs of edges on one
//! track, edges through a box, aspect, area, time.
//!
//! Then a family of 50 common fleets (`common::common_fleet`, 2 to 8 hosts), every tool
//! given boxes of the same size, summed up as median, worst and sum per tool.
//!
//! `cargo bench -p fleetdoc-diagram --bench compare` (`-- family`: only the family,
//! `-- large`: only the two fleets). Tools: `dot` from Debian's graphviz;
//! `mmdc` (Mermaid's CLI) with Debian's chromium, both installed by
//! `benches/compare/setup.sh` into `target/bench-tools/`. A missing tool is reported as
//! skipped. The inputs and outputs are left in `target/bench-compare/` for inspection.

#[path = "../../tests/common/mod.rs"]
mod common;
mod geometry;

use common::{median, ms};
use fleetdoc_diagram::*;
use geometry::{measure, path_points, Drawing, Figures};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target")
}

/// A host: id, region, and its boxes (id, label) in order.
type HostBoxes = (String, Option<String>, Vec<(String, String)>);

/// Boxes per host, in order, the edges between boxes (self-edges dropped), and counted
/// bundles between hosts or regions (the same rule as fleetdoc's summarized topology).
struct Graph {
    hosts: Vec<HostBoxes>,
    edges: Vec<(String, String)>,
    bundles: Vec<(Bundled, Bundled, usize)>,
    /// Box sizes (px) fleetdoc drew, by box id: given to dot as fixed node sizes in the
    /// family of common fleets, so every tool routes between boxes of the same size.
    sizes: BTreeMap<String, (f32, f32)>,
    /// Detail lines per box (joined by `<br/>`), added to Mermaid's labels in the family.
    details: BTreeMap<String, String>,
}

/// One end of a bundle: a host (index) or a region (name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Bundled {
    Host(usize),
    Region(String),
}

fn graph(d: &Diagram, collapsed: bool) -> Graph {
    let mut node = common::node_of(d, collapsed);
    node.insert(INTERNET.into(), INTERNET.into());
    let hosts = d
        .hosts
        .iter()
        .map(|h| {
            let mut boxes: Vec<(String, String)> = Vec::new();
            for s in &h.services {
                let n = node[&s.id].clone();
                if boxes.iter().any(|b| b.0 == n) {
                    continue;
                }
                let label = if n == s.id {
                    s.label.clone()
                } else {
                    n.rsplit('/').next().unwrap_or("").to_string()
                };
                boxes.push((n, label));
            }
            (h.id.clone(), h.region.clone(), boxes)
        })
        .collect();
    // Above the collapse threshold fleetdoc draws links between hosts as counted bundles:
    // between the two hosts in one region, between the two regions otherwise.
    let host_of = |id: &str| {
        d.hosts
            .iter()
            .position(|h| h.services.iter().any(|s| s.id == id))
    };
    let mut bundles: BTreeMap<(Bundled, Bundled), usize> = BTreeMap::new();
    let mut edges = Vec::new();
    for e in &d.edges {
        let (Some(f), Some(t)) = (node.get(&e.from), node.get(&e.to)) else {
            continue;
        };
        if f == t {
            continue;
        }
        match (host_of(&e.from), host_of(&e.to)) {
            (Some(a), Some(b)) if collapsed && a != b && e.kind != EdgeKind::Public => {
                let (ra, rb) = (&d.hosts[a].region, &d.hosts[b].region);
                let key = match (ra, rb) {
                    (Some(x), Some(y)) if x != y => (
                        Bundled::Region(x.min(y).clone()),
                        Bundled::Region(x.max(y).clone()),
                    ),
                    _ => (Bundled::Host(a.min(b)), Bundled::Host(a.max(b))),
                };
                *bundles.entry(key).or_default() += 1;
            }
            _ => edges.push((f.clone(), t.clone())),
        }
    }
    let bundles = bundles.into_iter().map(|((a, b), n)| (a, b, n)).collect();
    Graph {
        hosts,
        edges,
        bundles,
        sizes: BTreeMap::new(),
        details: BTreeMap::new(),
    }
}

fn regions(g: &Graph) -> Vec<Option<String>> {
    let mut v: Vec<Option<String>> = g.hosts.iter().map(|h| h.1.clone()).collect();
    v.sort();
    v.dedup();
    v
}

fn to_dot(g: &Graph) -> String {
    // Edges between clusters need `compound`; dot 2.43 ranks them only with `newrank` ("trouble
    // in init_rank" otherwise). Without bundles the graph keeps dot's defaults.
    let compound = if g.bundles.is_empty() {
        ""
    } else {
        " compound=true; newrank=true;"
    };
    let mut out = format!("digraph fleet {{\n  rankdir=TB;{compound} node [shape=box, fontname=\"DejaVu Sans\", fontsize=13];\n  \"internet\" [label=\"Internet\"];\n");
    for (ri, r) in regions(g).iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_r{ri} {{ label=\"{}\";",
            r.as_deref().unwrap_or("")
        );
        for (hi, (id, _, boxes)) in g.hosts.iter().enumerate().filter(|h| &h.1 .1 == r) {
            let _ = writeln!(out, "    subgraph cluster_{hi} {{ label=\"{id}\";");
            for (n, label) in boxes {
                let size = g.sizes.get(n).map_or(String::new(), |(w, h)| {
                    format!(
                        ", width={:.3}, height={:.3}, fixedsize=true",
                        w / 72.0,
                        h / 72.0
                    )
                });
                let _ = writeln!(out, "      \"{n}\" [label=\"{label}\"{size}];");
            }
            out.push_str("    }\n");
        }
        out.push_str("  }\n");
    }
    for (f, t) in &g.edges {
        let _ = writeln!(out, "  \"{f}\" -> \"{t}\";");
    }
    // A bundle is an edge between the clusters' first boxes, clipped at the clusters.
    let rs = regions(g);
    let at = |b: &Bundled| -> (String, String) {
        let hi = match b {
            Bundled::Host(h) => *h,
            Bundled::Region(r) => g
                .hosts
                .iter()
                .position(|h| h.1.as_ref() == Some(r))
                .unwrap_or(0),
        };
        let cluster = match b {
            Bundled::Host(h) => format!("cluster_{h}"),
            Bundled::Region(r) => format!(
                "cluster_r{}",
                rs.iter().position(|x| x.as_ref() == Some(r)).unwrap_or(0)
            ),
        };
        (
            g.hosts[hi]
                .2
                .first()
                .map(|b| b.0.clone())
                .unwrap_or_default(),
            cluster,
        )
    };
    for (a, b, n) in &g.bundles {
        let ((na, ca), (nb, cb)) = (at(a), at(b));
        let _ = writeln!(
            out,
            "  \"{na}\" -> \"{nb}\" [ltail={ca}, lhead={cb}, dir=none, label=\"{n} links\"];"
        );
    }
    out.push_str("}\n");
    out
}

/// Mermaid ids are `n<index>` of the box names (the names hold `/` and `-`). Hosts are
/// subgraphs `h<index>` in region order; with bundles, regions are subgraphs `r<index>`
/// around them and a bundle is a line between two subgraphs.
fn to_mermaid(g: &Graph, ids: &BTreeMap<String, String>) -> String {
    let mut out = String::from("flowchart TB\n  n0([\"Internet\"])\n");
    let nest = !g.bundles.is_empty();
    for (ri, r) in regions(g).iter().enumerate() {
        if nest {
            let _ = writeln!(out, "  subgraph r{ri}[\"{}\"]", r.as_deref().unwrap_or(""));
        }
        for (hi, (id, _, boxes)) in g.hosts.iter().enumerate().filter(|h| &h.1 .1 == r) {
            let _ = writeln!(out, "  subgraph h{hi}[\"{id}\"]");
            for (n, label) in boxes {
                let more = g
                    .details
                    .get(n)
                    .map_or(String::new(), |d| format!("<br/>{d}"));
                let _ = writeln!(out, "    {}[\"{label}{more}\"]", ids[n]);
            }
            out.push_str("  end\n");
        }
        if nest {
            out.push_str("  end\n");
        }
    }
    for (f, t) in &g.edges {
        let _ = writeln!(out, "  {} --> {}", ids[f], ids[t]);
    }
    let rs = regions(g);
    let sub = |b: &Bundled| match b {
        Bundled::Host(h) => format!("h{h}"),
        Bundled::Region(r) => format!(
            "r{}",
            rs.iter().position(|x| x.as_ref() == Some(r)).unwrap_or(0)
        ),
    };
    for (a, b, n) in &g.bundles {
        let _ = writeln!(out, "  {} ---|\"{n} links\"| {}", sub(a), sub(b));
    }
    out
}

/// The fleet as a fleetdoc topology file (what a user would write for the same fleet).
fn to_fleetdoc_yaml(d: &Diagram) -> String {
    let mut out = String::from("fleet:\n  name: Generated fleet\nhosts:\n");
    for (i, h) in d.hosts.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}:\n    address: 198.51.100.{}\n    region: {}",
            h.id,
            1 + i % 250,
            h.region.as_deref().unwrap_or("none")
        );
    }
    out.push_str("services:\n");
    for h in &d.hosts {
        for s in &h.services {
            let _ = write!(out, "  {}:\n    host: {}\n    kind: docker\n", s.id, h.id);
            if s.ingress {
                out.push_str("    ingress: true\n");
            }
            if let Some(g) = &s.group {
                let _ = writeln!(out, "    group: {g}");
            }
            if let Some(p) = s.details.iter().find(|x| x.ends_with(".example.com")) {
                let _ = writeln!(out, "    public: {p}");
            }
        }
    }
    out.push_str("links:\n");
    for e in d.edges.iter().filter(|e| e.kind != EdgeKind::Public) {
        let _ = writeln!(out, "  - from: {}\n    to: {}", e.from, e.to);
    }
    out
}

fn fleetdoc_drawing(svg: &Svg) -> Drawing {
    let doc = roxmltree::Document::parse(&svg.text).expect("own SVG parses");
    let mut boxes = Vec::new();
    let mut members: BTreeMap<String, String> = BTreeMap::new();
    for g in doc.descendants().filter(|n| n.has_tag_name("g")) {
        let class = g.attribute("class").unwrap_or("");
        if !["service", "service-summary", "internet"].contains(&class) {
            continue;
        }
        let Some(r) = g.descendants().find(|c| c.has_tag_name("rect")) else {
            continue;
        };
        let f = |k: &str| r.attribute(k).and_then(|v| v.parse().ok()).unwrap_or(0.0);
        let id = g.attribute("data-id").unwrap_or(INTERNET).to_string();
        for m in g.attribute("data-members").map_or(vec![id.clone()], |m| {
            m.split(' ').map(String::from).collect()
        }) {
            members.insert(m, id.clone());
        }
        members.insert(id.clone(), id.clone());
        boxes.push((id, Rect::new(f("x"), f("y"), f("width"), f("height"))));
    }
    let edges = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("class") == Some("edge"))
        .map(|p| {
            let end = |k: &str| {
                let v = p.attribute(k).unwrap_or("");
                members.get(v).cloned().unwrap_or_else(|| v.to_string())
            };
            (
                end("data-from"),
                end("data-to"),
                path_points(p.attribute("d").unwrap_or("")),
            )
        })
        .collect();
    Drawing {
        width: svg.width,
        height: svg.height,
        boxes,
        edges,
    }
}

/// Splits a `dot -Tplain` line into fields, keeping quoted names whole.
fn fields(line: &str) -> Vec<String> {
    let mut v = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    v.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        v.push(cur);
    }
    v
}

fn dot_drawing(plain: &str) -> Drawing {
    let mut d = Drawing {
        width: 0.0,
        height: 0.0,
        boxes: vec![],
        edges: vec![],
    };
    let num = |s: &str| s.parse::<f32>().unwrap_or(0.0) * 72.0;
    for line in plain.lines() {
        let f = fields(line);
        match f.first().map(String::as_str) {
            Some("graph") if f.len() >= 4 => {
                d.width = num(&f[2]);
                d.height = num(&f[3]);
            }
            Some("node") if f.len() >= 6 => {
                let (x, y, w, h) = (num(&f[2]), num(&f[3]), num(&f[4]), num(&f[5]));
                d.boxes
                    .push((f[1].clone(), Rect::new(x - w / 2.0, y - h / 2.0, w, h)));
            }
            Some("edge") if f.len() > 4 => {
                let n: usize = f[3].parse().unwrap_or(0);
                let ctrl: Vec<Pt> = (0..n)
                    .filter_map(|i| {
                        Some(Pt {
                            x: num(f.get(4 + 2 * i)?),
                            y: num(f.get(5 + 2 * i)?),
                        })
                    })
                    .collect();
                let mut poly = vec![];
                for c in ctrl.windows(4).step_by(3) {
                    for k in 0..=8 {
                        let t = k as f32 / 8.0;
                        let u = 1.0 - t;
                        let b = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
                        poly.push(Pt {
                            x: b[0] * c[0].x + b[1] * c[1].x + b[2] * c[2].x + b[3] * c[3].x,
                            y: b[0] * c[0].y + b[1] * c[1].y + b[2] * c[2].y + b[3] * c[3].y,
                        });
                    }
                }
                d.edges.push((f[1].clone(), f[2].clone(), poly));
            }
            _ => {}
        }
    }
    d
}

/// The sum of `translate(x, y)` transforms on `n` and its ancestors.
fn offset(n: roxmltree::Node) -> Pt {
    let mut p = Pt { x: 0.0, y: 0.0 };
    for a in n.ancestors() {
        if let Some(t) = a.attribute("transform") {
            if let Some(rest) = t.trim().strip_prefix("translate(") {
                let nums: Vec<f32> = rest
                    .trim_end_matches(')')
                    .split([',', ' '])
                    .filter_map(|s| s.trim().parse().ok())
                    .collect();
                p.x += nums.first().copied().unwrap_or(0.0);
                p.y += nums.get(1).copied().unwrap_or(0.0);
            }
        }
    }
    p
}

fn mermaid_drawing(svg: &str, names: &BTreeMap<String, String>) -> Option<Drawing> {
    let doc = roxmltree::Document::parse(svg).ok()?;
    let root = doc.root_element();
    let vb: Vec<f32> = root
        .attribute("viewBox")?
        .split([' ', ','])
        .filter_map(|s| s.parse().ok())
        .collect();
    let mut d = Drawing {
        width: *vb.get(2)?,
        height: *vb.get(3)?,
        boxes: vec![],
        edges: vec![],
    };
    for g in doc.descendants().filter(|n| {
        n.has_tag_name("g")
            && n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|w| w == "node"))
    }) {
        // flowchart-n12-34 -> n12
        // [my-svg-]flowchart-n12-34
        let Some(id) = g
            .attribute("id")
            .and_then(|i| Some(&i[i.find("flowchart-")? + "flowchart-".len()..]))
        else {
            continue;
        };
        let id = id.rsplit_once('-').map_or(id, |(a, _)| a);
        let Some(shape) = g
            .descendants()
            .find(|c| c.has_tag_name("rect") || c.has_tag_name("path"))
        else {
            continue;
        };
        let o = offset(shape);
        let rect = if shape.has_tag_name("rect") {
            let f = |k: &str| {
                shape
                    .attribute(k)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0.0)
            };
            Rect::new(o.x + f("x"), o.y + f("y"), f("width"), f("height"))
        } else {
            let pts = path_points(shape.attribute("d").unwrap_or(""));
            let (x0, y0, x1, y1) = pts
                .iter()
                .fold((f32::MAX, f32::MAX, f32::MIN, f32::MIN), |b, p| {
                    (b.0.min(p.x), b.1.min(p.y), b.2.max(p.x), b.3.max(p.y))
                });
            Rect::new(o.x + x0, o.y + y0, x1 - x0, y1 - y0)
        };
        d.boxes
            .push((names.get(id).cloned().unwrap_or(id.into()), rect));
    }
    for p in doc.descendants().filter(|n| {
        n.has_tag_name("path")
            && n.attribute("class")
                .is_some_and(|c| c.contains("flowchart-link"))
    }) {
        // [my-svg-]L_n1_n2_0
        let id = p.attribute("id").unwrap_or("");
        let id = id.find("L_").map_or(id, |at| &id[at..]);
        let parts: Vec<&str> = id.split('_').collect();
        if parts.len() < 3 {
            continue;
        }
        let o = offset(p);
        let pts = path_points(p.attribute("d").unwrap_or(""))
            .into_iter()
            .map(|q| Pt {
                x: q.x + o.x,
                y: q.y + o.y,
            })
            .collect();
        let name = |s: &str| names.get(s).cloned().unwrap_or(s.into());
        d.edges.push((name(parts[1]), name(parts[2]), pts));
    }
    Some(d)
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> Option<T>) -> Option<(Duration, T)> {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f()?);
        times.push(t.elapsed());
    }
    Some((median(times), last?))
}

fn row(name: &str, f: &Figures, t: Duration, shared_note: &str) {
    println!(
        "| {name} ({} boxes, {} edges read back) | {} | {}{shared_note} | {} | {:.0} px | {:.0} | {:.1}:1 | {:.1} Mpx | {} |",
        f.boxes,
        f.edges,
        f.crossings,
        if shared_note.is_empty() {
            f.shared_all
        } else {
            f.shared_unrelated
        },
        f.through_boxes,
        f.length,
        f.bends,
        f.aspect,
        f.area_mpx,
        ms(t)
    );
}

fn mmdc() -> Option<(PathBuf, PathBuf)> {
    let tools = target_dir().join("bench-tools");
    let bin = tools.join("node_modules/.bin/mmdc");
    let conf = tools.join("puppeteer.json");
    (bin.is_file() && conf.is_file()).then_some((bin, conf))
}

/// One fleet drawn by every tool: what the counter found in each (None: tool missing or
/// failed) and how long each took.
struct Run {
    stats: LayoutStats,
    fleetdoc: (Figures, Duration),
    dot: Option<(Figures, Duration)>,
    mermaid: Option<(Figures, Duration, bool)>,
}

/// Draws `d` with fleetdoc, dot and Mermaid, writing every input and output under `out`
/// as `name.*`. `same_boxes`: dot gets fleetdoc's box sizes and Mermaid its detail lines.
fn run(d: &Diagram, name: &str, out: &Path, same_boxes: bool, runs: usize) -> Option<Run> {
    let (t_fd, (svg, stats)) = timed(runs, || Some(render_with_stats(d)))?;
    let mut g = graph(d, stats.collapsed);
    let drawn = fleetdoc_drawing(&svg);
    if same_boxes {
        g.sizes = drawn
            .boxes
            .iter()
            .map(|(id, r)| (id.clone(), (r.w, r.h)))
            .collect();
        for h in &d.hosts {
            for s in &h.services {
                g.details.insert(s.id.clone(), s.details.join(" · "));
            }
        }
    }
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    ids.insert(INTERNET.into(), "n0".into());
    for (_, _, boxes) in &g.hosts {
        for (n, _) in boxes {
            let k = ids.len();
            ids.entry(n.clone()).or_insert(format!("n{k}"));
        }
    }
    let names: BTreeMap<String, String> = ids.iter().map(|(k, v)| (v.clone(), k.clone())).collect();
    std::fs::write(out.join(format!("{name}.svg")), &svg.text).expect("write");
    std::fs::write(out.join(format!("{name}.yaml")), to_fleetdoc_yaml(d)).expect("write");
    let dot_file = out.join(format!("{name}.dot"));
    std::fs::write(&dot_file, to_dot(&g)).expect("write");
    let mmd_file = out.join(format!("{name}.mmd"));
    std::fs::write(&mmd_file, to_mermaid(&g, &ids)).expect("write");
    let fleetdoc = (measure(&drawn), t_fd);

    let dot = timed(if runs > 1 { 3 } else { 1 }, || {
        let o = Command::new("dot")
            .arg("-Tplain")
            .arg(&dot_file)
            .output()
            .ok()?;
        o.status
            .success()
            .then(|| String::from_utf8_lossy(&o.stdout).into_owned())
    })
    .map(|(t, plain)| {
        std::fs::write(out.join(format!("{name}.dot.plain")), &plain).expect("write");
        (measure(&dot_drawing(&plain)), t)
    });

    let mermaid = mmdc().and_then(|(bin, conf)| {
        let config = out.join("mermaid.json");
        let draw = |input: &Path| {
            let svg_out = input.with_extension("mmd.svg");
            timed(1, || {
                let o = Command::new(&bin)
                    .args(["--quiet", "-p"])
                    .arg(&conf)
                    .arg("-c")
                    .arg(&config)
                    .arg("-i")
                    .arg(input)
                    .arg("-o")
                    .arg(&svg_out)
                    .output()
                    .ok()?;
                if !o.status.success() {
                    let err = String::from_utf8_lossy(&o.stderr);
                    eprintln!(
                        "mmdc failed on {}: {}",
                        input.display(),
                        err.trim().lines().next().unwrap_or("")
                    );
                    return None;
                }
                std::fs::read_to_string(&svg_out).ok()
            })
            .and_then(|(t, s)| Some((t, mermaid_drawing(&s, &names)?)))
        };
        match draw(&mmd_file) {
            Some((t, m)) => Some((measure(&m), t, true)),
            None => {
                // Mermaid 11's layout fails on the 40-host fleet with host subgraphs;
                // the same graph without them still gives its routing to compare.
                let flat_file = out.join(format!("{name}-flat.mmd"));
                let flat: String = to_mermaid(&g, &ids)
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("subgraph") && l.trim() != "end")
                    .map(|l| format!("{l}\n"))
                    .collect();
                std::fs::write(&flat_file, flat).expect("write");
                draw(&flat_file).map(|(t, m)| (measure(&m), t, false))
            }
        }
    });
    Some(Run {
        stats,
        fleetdoc,
        dot,
        mermaid,
    })
}

/// Fleets of the family of common fleets drawn (seeds 1..=FAMILY).
const FAMILY: u64 = 50;

/// Median, worst and sum of one figure over the family, per tool; `worst_high`: a higher
/// value is worse.
fn spread(v: &[f32], worst_high: bool) -> (f32, f32, f32) {
    let mut s = v.to_vec();
    s.sort_by(f32::total_cmp);
    let med = if s.is_empty() {
        0.0
    } else if s.len() % 2 == 1 {
        s[s.len() / 2]
    } else {
        (s[s.len() / 2 - 1] + s[s.len() / 2]) / 2.0
    };
    let worst = if worst_high {
        s.last().copied().unwrap_or(0.0)
    } else {
        s.first().copied().unwrap_or(0.0)
    };
    (med, worst, s.iter().sum())
}

fn family(out: &Path) {
    let dir = out.join("family");
    std::fs::create_dir_all(&dir).expect("output dir");
    std::fs::copy(out.join("mermaid.json"), dir.join("mermaid.json")).expect("copy config");
    let mut runs: Vec<(u64, usize, usize, Run)> = Vec::new();
    for seed in 1..=FAMILY {
        let d = common::common_fleet(seed);
        let services = d.hosts.iter().map(|h| h.services.len()).sum();
        if let Some(r) = run(&d, &format!("fleet-{seed}"), &dir, true, 1) {
            eprintln!(
                "fleet {seed}: {} hosts, {services} services, {} edges: crossings fleetdoc {}, dot {}, Mermaid {}",
                d.hosts.len(),
                d.edges.len(),
                r.fleetdoc.0.crossings,
                r.dot.as_ref().map_or("-".into(), |x| x.0.crossings.to_string()),
                r.mermaid.as_ref().map_or("-".into(), |x| x.0.crossings.to_string()),
            );
            runs.push((seed, d.hosts.len(), services, r));
        }
    }
    let n = runs.len();
    println!(
        "\nfamily of common fleets: {n} fleets (common_fleet seeds 1..={FAMILY}), {}-{} hosts, {}-{} services, {} edges in all",
        runs.iter().map(|r| r.1).min().unwrap_or(0),
        runs.iter().map(|r| r.1).max().unwrap_or(0),
        runs.iter().map(|r| r.2).min().unwrap_or(0),
        runs.iter().map(|r| r.2).max().unwrap_or(0),
        runs.iter().map(|r| r.3.fleetdoc.0.edges).sum::<usize>(),
    );
    type Pick = fn(&Figures) -> f32;
    let figures: [(&str, Pick, bool); 7] = [
        ("crossings", |f| f.crossings as f32, true),
        (
            "unrelated pairs on one track",
            |f| f.shared_unrelated as f32,
            true,
        ),
        ("edges through a box", |f| f.through_boxes as f32, true),
        ("edge length (px)", |f| f.length, true),
        ("bends", |f| f.bends, true),
        ("aspect", |f| f.aspect, true),
        ("area (Mpx)", |f| f.area_mpx, true),
    ];
    println!("| figure | fleetdoc median / worst / sum | dot median / worst / sum | Mermaid median / worst / sum |");
    println!("|---|---|---|---|");
    let tools: [fn(&Run) -> Option<&Figures>; 3] = [
        |r| Some(&r.fleetdoc.0),
        |r| r.dot.as_ref().map(|x| &x.0),
        |r| r.mermaid.as_ref().map(|x| &x.0),
    ];
    for (label, pick, high) in figures {
        let mut line = format!("| {label} |");
        for tool in tools {
            let v: Vec<f32> = runs.iter().filter_map(|r| tool(&r.3)).map(pick).collect();
            if v.len() < n {
                line.push_str(" skipped |");
                continue;
            }
            let (m, w, s) = spread(&v, high);
            let fmt = |x: f32| {
                if label == "aspect" {
                    format!("{x:.1}:1")
                } else if label.starts_with("area") {
                    format!("{x:.2}")
                } else {
                    format!("{:.0}", x)
                }
            };
            let sum = if label == "aspect" {
                "-".to_string()
            } else {
                fmt(s)
            };
            let _ = write!(line, " {} / {} / {} |", fmt(m), fmt(w), sum);
        }
        println!("{line}");
    }
    let times: [fn(&Run) -> Option<Duration>; 3] = [
        |r| Some(r.fleetdoc.1),
        |r| r.dot.as_ref().map(|x| x.1),
        |r| r.mermaid.as_ref().map(|x| x.1),
    ];
    let mut line = "| time (ms) |".to_string();
    for t in times {
        let v: Vec<f32> = runs
            .iter()
            .filter_map(|r| t(&r.3))
            .map(|d| d.as_secs_f32() * 1000.0)
            .collect();
        let (m, w, s) = spread(&v, true);
        let _ = write!(line, " {m:.1} / {w:.1} / {s:.0} |");
    }
    println!("{line}");
    for (k, tool) in [("dot", tools[1]), ("Mermaid", tools[2])] {
        let pairs: Vec<(usize, usize)> = runs
            .iter()
            .filter_map(|r| Some((r.3.fleetdoc.0.crossings, tool(&r.3)?.crossings)))
            .collect();
        if pairs.is_empty() {
            continue;
        }
        let le = pairs.iter().filter(|(a, b)| a <= b).count();
        let lt = pairs.iter().filter(|(a, b)| a < b).count();
        println!(
            "fleetdoc crossings <= {k}'s on {le} of {} fleets ({:.0} %), fewer on {lt}",
            pairs.len(),
            100.0 * le as f32 / pairs.len() as f32
        );
    }
    let both: Vec<bool> = runs
        .iter()
        .filter_map(|r| {
            let f = r.3.fleetdoc.0.crossings;
            Some(f <= tools[1](&r.3)?.crossings && f <= tools[2](&r.3)?.crossings)
        })
        .collect();
    if !both.is_empty() {
        let le = both.iter().filter(|b| **b).count();
        println!(
            "fleetdoc crossings <= both dot's and Mermaid's on {le} of {} fleets ({:.0} %)",
            both.len(),
            100.0 * le as f32 / both.len() as f32
        );
    }
    // The largest fleet the family allows: layout + SVG of 8 hosts with 60 services.
    let d = common::big_fleet(8, 60, 5);
    if let Some((t, _)) = timed(RUNS, || Some(render_with_stats(&d))) {
        println!("60 services on 8 hosts (big_fleet(8, 60, 5)): fleetdoc layout + SVG {}, median of {RUNS}", ms(t));
    }
    if runs
        .iter()
        .any(|r| r.3.mermaid.as_ref().is_some_and(|m| !m.2))
    {
        println!("(Mermaid drew some fleets only without host subgraphs)");
    }
}

fn main() {
    let out = target_dir().join("bench-compare");
    std::fs::create_dir_all(&out).expect("output dir");
    std::fs::write(
        out.join("mermaid.json"),
        r#"{"maxTextSize": 10000000, "maxEdges": 100000}"#,
    )
    .expect("write Mermaid config");
    let only_family = std::env::args().any(|a| a == "family");
    let skip_family = std::env::args().any(|a| a == "large");
    if !only_family {
        for (hosts, services, seed) in [(3usize, 20usize, 11u64), (40, 400, 7)] {
            let d = common::big_fleet(hosts, services, seed);
            let name = format!("fleet-{hosts}x{services}");
            let Some(r) = run(&d, &name, &out, false, RUNS) else {
                continue;
            };
            let g = graph(&d, r.stats.collapsed);
            println!(
                "\n{name}: {hosts} hosts, {} services, {} boxes drawn, {} edges + {} counted bundles of {} links{}",
                d.hosts.iter().map(|h| h.services.len()).sum::<usize>(),
                g.hosts.iter().map(|h| h.2.len()).sum::<usize>() + 1,
                g.edges.len(),
                g.bundles.len(),
                g.bundles.iter().map(|b| b.2).sum::<usize>(),
                if r.stats.collapsed {
                    " (groups collapsed to summary boxes and links between hosts bundled, the same for every tool)"
                } else {
                    ""
                }
            );
            println!("| tool | crossings | pairs on one track | edges through a box | edge length | bends | aspect | area | time |");
            println!("|---|---|---|---|---|---|---|---|---|");
            let fd = &r.fleetdoc.0;
            row(
                "fleetdoc (unrelated ends only)",
                fd,
                r.fleetdoc.1,
                &format!(" ({} any ends)", fd.shared_all),
            );
            match &r.dot {
                Some((f, t)) => row("dot (all pairs)", f, *t, ""),
                None => {
                    println!("| dot | skipped: dot not installed (run benches/compare/setup.sh) |")
                }
            }
            match &r.mermaid {
                Some((f, t, true)) => row("Mermaid (all pairs)", f, *t, ""),
                Some((f, t, false)) => row("Mermaid, no host subgraphs (all pairs)", f, *t, ""),
                None => println!("| Mermaid | skipped or failed: mmdc not installed (run benches/compare/setup.sh) |"),
            }
            let stats = &r.stats;
            println!(
                "fleetdoc layout figures: crossings {}, shared tracks {}, bends {}, dropped labels {}, unrouted {}",
                stats.crossings, stats.shared_tracks, stats.bends, stats.dropped_labels, stats.unrouted
            );
        }
    }
    if !skip_family {
        family(&out);
    }
}
