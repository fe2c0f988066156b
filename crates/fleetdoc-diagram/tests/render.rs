//! What a user of the drawings notices: PNG size, escaping, links, determinism, posters that
//! fit their text, flow rows, layers, and hostile input turned into named errors.

mod check;
mod common;
use common::*;
use fleetdoc_diagram::*;
use roxmltree::Document;

fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[test]
fn png_is_exactly_twice_the_svg_size() {
    let svg = render(&example_topology());
    let png = rasterize(&svg.text, 2.0).expect("rasterize");
    assert_eq!(
        png_size(&png),
        ((svg.width * 2.0) as u32, (svg.height * 2.0) as u32)
    );
}

#[test]
fn example_diagrams_keep_every_layout_invariant() {
    for d in [example_topology(), example_host()] {
        check::check_topology(&render(&d).text).unwrap_or_else(|e| panic!("{}: {e}", d.title));
    }
}

#[test]
fn same_input_gives_byte_identical_svg() {
    assert_eq!(
        render(&example_topology()).text,
        render(&example_topology()).text
    );
    let p = example_poster(Some(PosterDiagram::Layers(example_layers())));
    assert_eq!(render_poster(&p).text, render_poster(&p).text);
}

#[test]
fn names_with_markup_are_escaped_and_survive() {
    let svg = render(&example_topology()).text;
    assert!(svg.contains("Webhook receivers &lt;ci&gt;"));
    assert!(svg.contains("Docs &amp; runbooks"));
    assert!(!svg.contains("<ci>"));
    let doc = Document::parse(&svg).expect("well-formed XML");
    assert!(doc
        .descendants()
        .any(|n| n.text() == Some("Webhook receivers <ci>")));
}

#[test]
fn linked_services_are_wrapped_in_anchors_and_markings_are_absolute() {
    let svg = render(&example_topology()).text;
    let doc = Document::parse(&svg).expect("xml");
    let forge = doc
        .descendants()
        .find(|n| {
            n.attribute("class") == Some("service") && n.attribute("data-id") == Some("forge")
        })
        .expect("forge box");
    let a = forge.parent_element().expect("parent");
    assert!(a.has_tag_name("a") && a.attribute("href") == Some("../services/forge/"));
    assert!(
        !svg.contains("transform"),
        "no transform anywhere in a diagram"
    );
    let edges = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("edge"))
        .count();
    assert_eq!(edges, example_edges().len(), "one path per edge");
    assert!(
        doc.descendants().any(|n| n.has_tag_name("title"))
            && doc.descendants().any(|n| n.has_tag_name("desc"))
    );
}

#[test]
fn every_status_has_its_own_shape_as_well_as_color() {
    let svg = render(&example_topology()).text;
    for s in ["up", "down", "stale", "unknown"] {
        assert!(
            svg.contains(&format!("class=\"status status-{s}\"")),
            "badge for {s}"
        );
    }
}

#[test]
fn large_fleets_collapse_groups_into_summaries() {
    let (svg, stats) = render_with_stats(&big_fleet(40, 400, 3));
    assert!(stats.collapsed);
    let doc = Document::parse(&svg.text).expect("xml");
    let summary = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("service-summary"))
        .expect("a summary box");
    assert!(summary
        .attribute("data-members")
        .is_some_and(|m| m.split(' ').count() >= 2));
    let (small, stats) = render_with_stats(&example_topology());
    assert!(!stats.collapsed && !small.text.contains("service-summary"));
}

#[test]
fn flow_has_one_hostname_per_public_route() {
    let svg = render(&example_flow()).text;
    let doc = Document::parse(&svg).expect("xml");
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("hostname"))
        .filter_map(|n| n.attribute("data-id"))
        .collect();
    assert_eq!(names.len(), 6);
    for h in [
        "forge.example.com",
        "vscode.example.com",
        "docs.example.com",
    ] {
        assert!(names.contains(&h), "{h} in {names:?}");
        assert!(svg.contains(&format!("data-hostname=\"{h}\"")));
    }
    assert!(svg.contains("data-from=\"forge\" data-to=\"alpha\" data-kind=\"runs-on\""));
}

#[test]
fn layers_are_stacked_in_order_with_their_paths() {
    let l = example_layers();
    let svg = render_layers(&l).text;
    let doc = Document::parse(&svg).expect("xml");
    let ys: Vec<f32> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("layer"))
        .map(|g| {
            g.descendants()
                .find(|r| r.has_tag_name("rect"))
                .and_then(|r| r.attribute("y"))
                .and_then(|y| y.parse().ok())
                .unwrap_or(f32::NAN)
        })
        .collect();
    assert_eq!(ys.len(), l.layers.len());
    assert!(ys.windows(2).all(|w| w[0] < w[1]), "top to bottom: {ys:?}");
    assert!(svg.contains("/opt/platform/apps"));
}

#[test]
fn poster_is_card_sized_and_every_panel_text_fits() {
    let mut p = example_poster(Some(PosterDiagram::Fleet(example_topology())));
    p.panels.push(Panel {
        heading: "A".repeat(200),
        bullets: vec!["word ".repeat(300)],
    });
    let svg = render_poster(&p);
    assert!(svg.width >= 1200.0 && svg.height >= 630.0);
    assert!(
        !svg.text.contains("class=\"host\""),
        "a poster carries no diagram markings"
    );
    let doc = Document::parse(&svg.text).expect("xml");
    let mut ellipses = 0;
    for g in doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("panel"))
    {
        let r = g
            .descendants()
            .find(|n| n.has_tag_name("rect"))
            .expect("panel box");
        let num = |k: &str| {
            r.attribute(k)
                .and_then(|v| v.parse::<f32>().ok())
                .unwrap_or(f32::NAN)
        };
        let (x, y, w, h) = (num("x"), num("y"), num("width"), num("height"));
        for t in g.descendants().filter(|n| n.has_tag_name("text")) {
            let s = t.text().unwrap_or("");
            ellipses += usize::from(s.ends_with('\u{2026}'));
            let size: f32 = t
                .attribute("font-size")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0);
            let tx: f32 = t.attribute("x").and_then(|v| v.parse().ok()).unwrap_or(0.0);
            let ty: f32 = t.attribute("y").and_then(|v| v.parse().ok()).unwrap_or(0.0);
            let tw = text_width(s, size, t.attribute("font-weight") == Some("bold"));
            assert!(
                tx >= x && tx + tw <= x + w && ty <= y + h - 4.0 && ty - size >= y,
                "{s:?} overflows its panel"
            );
        }
    }
    assert!(ellipses >= 2, "shortened text is marked with an ellipsis");
    let png = rasterize(&svg.text, 2.0).expect("poster rasterizes");
    assert_eq!(
        png_size(&png),
        ((svg.width * 2.0) as u32, (svg.height * 2.0) as u32)
    );
}

#[test]
fn hostile_svg_sizes_and_scales_are_named_errors() {
    let huge =
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="1000000000" height="1000000000"></svg>"#;
    assert!(matches!(
        rasterize(huge, 2.0),
        Err(RenderError::ImageTooLarge { .. })
    ));
    let wide = r#"<svg xmlns="http://www.w3.org/2000/svg" width="20000" height="10"></svg>"#;
    assert!(matches!(
        rasterize(wide, 1.0),
        Err(RenderError::ImageTooLarge { .. })
    ));
    assert!(matches!(rasterize("<svg", 2.0), Err(RenderError::Parse(_))));
    for s in [0.0, -1.0, f32::NAN, f32::INFINITY, 100.0] {
        assert!(matches!(
            rasterize(&render(&example_host()).text, s),
            Err(RenderError::InvalidScale(_))
        ));
    }
    let big = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><!--{}--></svg>",
        "x".repeat(MAX_SVG_BYTES)
    );
    assert!(matches!(
        rasterize(&big, 1.0),
        Err(RenderError::SvgTooLarge { .. })
    ));
}

#[test]
fn text_width_uses_the_real_font_metrics() {
    // DejaVu Sans: 'M' advances 1767 of 2048 units; the bold face is wider.
    assert!((text_width("M", 20.0, false) - 1767.0 * 20.0 / 2048.0).abs() < 0.01);
    assert!(
        text_width("forge.example.com", 13.0, true) > text_width("forge.example.com", 13.0, false)
    );
    assert!(text_width("WWW", 12.0, false) > 2.0 * text_width("iii", 12.0, false));
    let lines = wrap("a few words that will need wrapping", 12.0, false, 80.0);
    assert!(lines.len() > 1 && lines.iter().all(|l| text_width(l, 12.0, false) <= 80.0));
}

#[test]
fn empty_inputs_still_draw() {
    for kind in [DiagramKind::Topology, DiagramKind::Host, DiagramKind::Flow] {
        let svg = render(&Diagram {
            kind,
            ..Diagram::default()
        });
        assert!(validate(&svg.text).is_ok());
    }
    assert!(validate(&render_layers(&LayersDiagram::default()).text).is_ok());
    assert!(validate(&render_poster(&Poster::default()).text).is_ok());
}

#[test]
fn poster_status_line_takes_the_color_of_the_fleet_status() {
    let pill = |status: Status| {
        let svg = render_poster(&Poster {
            status,
            ..common::example_poster(None)
        })
        .text;
        let at = svg
            .find("<g class=\"status-line\">")
            .expect("status line drawn");
        let dot = &svg[at..];
        let dot = &dot[dot.find("<circle").expect("dot")..];
        dot[..dot.find("/>").expect("end")].to_string()
    };
    let up = pill(Status::Up);
    let down = pill(Status::Down);
    let stale = pill(Status::Stale);
    assert!(
        up != down && down != stale && up != stale,
        "{up} / {down} / {stale}"
    );
    assert!(
        down.contains("fill=\"#d1453b\""),
        "a down fleet's dot is red: {down}"
    );
}

#[test]
fn layers_name_the_host_once() {
    let with = |title: &str| {
        render_layers(&LayersDiagram {
            title: title.into(),
            host: Some("VPS Alpha".into()),
            layers: Vec::new(),
        })
        .text
    };
    assert!(with("Folder layers").contains(">on VPS Alpha</text>"));
    let named = with("Folder layers of VPS Alpha");
    assert!(!named.contains(">on VPS Alpha</text>"), "{named}");
}

/// The smallest text a reader of the SVG finds: every `<text>`'s `font-size`, times the
/// scale of each nested `<svg>` it sits in (a poster's diagram is drawn smaller).
fn smallest_text_in(svg: &str) -> Option<f32> {
    let doc = Document::parse(svg).expect("xml");
    let num = |n: roxmltree::Node, a: &str| n.attribute(a).and_then(|v| v.parse::<f32>().ok());
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|t| {
            let mut size = num(t, "font-size").expect("font-size");
            for a in t.ancestors().filter(|a| a.has_tag_name("svg")) {
                let vb: Vec<f32> = a
                    .attribute("viewBox")
                    .unwrap_or_default()
                    .split_whitespace()
                    .filter_map(|v| v.parse().ok())
                    .collect();
                if a.parent_element().is_some() && vb.len() == 4 {
                    let (w, h) = (num(a, "width").unwrap(), num(a, "height").unwrap());
                    size *= (w / vb[2]).min(h / vb[3]);
                }
            }
            size
        })
        .reduce(f32::min)
}

#[test]
fn every_drawing_reports_the_smallest_text_it_draws() {
    let topology = render(&example_topology());
    let drawings = [
        ("topology", topology.clone()),
        ("host", render(&example_host())),
        ("flow", render(&example_flow())),
        ("layers", render_layers(&example_layers())),
        (
            "poster",
            render_poster(&example_poster(Some(PosterDiagram::Fleet(
                example_topology(),
            )))),
        ),
        (
            "card",
            render_card(&example_poster(Some(PosterDiagram::Layers(
                example_layers(),
            )))),
        ),
        ("big fleet", render(&big_fleet(40, 400, 7))),
    ];
    for (name, svg) in &drawings {
        let found = smallest_text_in(&svg.text).expect("the drawing has text");
        let said = svg.min_text.expect("min_text reported");
        assert!(
            (said - found).abs() < 0.01,
            "{name}: reports {said} px, the SVG's smallest text is {found} px"
        );
    }
    // Service details, edge labels and the caption are 11 px.
    assert_eq!(topology.min_text, Some(11.0));
    // A 1007 px topology keeps 9 px text down to 824 px wide.
    assert_eq!(
        topology.readable_width(MIN_READABLE_PX),
        (topology.width * 9.0 / 11.0).ceil()
    );
    // A poster scales its diagram down: its smallest text is the diagram's, scaled.
    let poster = &drawings[4].1;
    assert!(poster.min_text.unwrap() < 11.0, "{:?}", poster.min_text);
    // No text: no smallest size, and the drawing's own width is its readable width.
    let bare = Svg {
        text: String::new(),
        width: 300.4,
        height: 10.0,
        min_text: None,
    };
    assert_eq!(bare.readable_width(9.0), 301.0);
}

fn summary_of(d: &Diagram) -> (Svg, LayoutStats) {
    render_with_stats(&Diagram {
        kind: DiagramKind::Summary,
        title: format!("{}: summary", d.title),
        ..d.clone()
    })
}

#[test]
fn a_topology_is_summarized_when_collapsed_or_too_wide_to_read() {
    // The example fleet: 1007 px, readable down to 824 px.
    let example = example_topology();
    assert!(!summarizes(&example, &render(&example)));
    // 400 services: groups collapse, so the page shows the summary.
    let big = big_fleet(40, 400, 7);
    assert!(summarizes(&big, &render(&big)));
    // 120 services are not collapsed, but 20 hosts in 4 regions are 3412 px wide: kept at
    // 9 px text they need 2792 px, over SUMMARIZE_OVER_PX.
    let wide = big_fleet(20, 120, 7);
    let svg = render(&wide);
    assert!(svg.readable_width(MIN_READABLE_PX) > SUMMARIZE_OVER_PX);
    assert!(summarizes(&wide, &svg));
    // Only topologies: a host diagram always shows its detail.
    let host = Diagram {
        kind: DiagramKind::Host,
        ..big.clone()
    };
    assert!(!summarizes(&host, &render(&big)));
}

#[test]
fn a_summary_counts_every_host_service_status_and_edge() {
    let d = big_fleet(40, 400, 7);
    let (svg, stats) = summary_of(&d);
    check::check_summary(&svg.text).unwrap_or_else(|e| panic!("{e}"));
    let doc = Document::parse(&svg.text).expect("xml");
    let nodes: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("summary-node"))
        .collect();
    let num = |n: &roxmltree::Node, a: &str| -> usize { n.attribute(a).unwrap().parse().unwrap() };
    // One box per region, in order, each with its hosts and services.
    let ids: Vec<&str> = nodes
        .iter()
        .map(|n| n.attribute("data-id").unwrap())
        .collect();
    assert_eq!(ids, ["region-0", "region-1", "region-2", "region-3"]);
    assert!(nodes
        .iter()
        .all(|n| n.attribute("data-kind") == Some("region")));
    assert_eq!(
        nodes.iter().map(|n| num(n, "data-hosts")).sum::<usize>(),
        40
    );
    assert_eq!(
        nodes.iter().map(|n| num(n, "data-services")).sum::<usize>(),
        400
    );
    // Counts per status add up to the box's services, and match the input.
    for (k, node) in nodes.iter().enumerate() {
        let counts: Vec<(String, usize)> = node
            .descendants()
            .filter(|c| c.attribute("class") == Some("count"))
            .map(|c| {
                let text = c.descendants().find(|t| t.has_tag_name("text")).unwrap();
                let n = text
                    .text()
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                (c.attribute("data-status").unwrap().to_string(), n)
            })
            .collect();
        assert_eq!(
            counts.iter().map(|c| c.1).sum::<usize>(),
            num(node, "data-services"),
            "{counts:?}"
        );
        let region = format!("region-{k}");
        for (status, n) in &counts {
            let want = d
                .hosts
                .iter()
                .filter(|h| h.region.as_deref() == Some(region.as_str()))
                .flat_map(|h| &h.services)
                .filter(|s| s.status.word() == status)
                .count();
            assert_eq!(*n, want, "{region} {status}");
        }
    }
    // Every edge is in one bundle or inside one box; one line per pair of boxes.
    let bundles: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.attribute("data-kind") == Some("bundle"))
        .collect();
    let counted: usize = bundles.iter().map(|b| num(b, "data-count")).sum::<usize>()
        + nodes
            .iter()
            .map(|n| num(n, "data-links-inside"))
            .sum::<usize>();
    assert_eq!(counted, d.edges.len());
    let mut pairs: Vec<(&str, &str)> = bundles
        .iter()
        .map(|b| {
            let (f, t) = (
                b.attribute("data-from").unwrap(),
                b.attribute("data-to").unwrap(),
            );
            (f.min(t), f.max(t))
        })
        .collect();
    let all = pairs.len();
    pairs.sort();
    pairs.dedup();
    assert_eq!(pairs.len(), all, "one line per pair");
    // The Internet reaches every region; each line says its count.
    assert_eq!(
        bundles
            .iter()
            .filter(|b| b.attribute("data-from") == Some("internet"))
            .count(),
        4
    );
    assert_eq!(stats.dropped_labels, 0);
    for b in &bundles {
        let n = num(b, "data-count");
        let text = if n == 1 {
            "1 link".to_string()
        } else {
            format!("{n} links")
        };
        assert!(svg.text.contains(&format!(">{text}</text>")), "{text}");
    }
}

#[test]
fn a_summary_stays_readable_on_a_phone() {
    // A 390 px phone's text column is 324 px wide; the summary keeps 9 px text within it.
    for d in [
        big_fleet(40, 400, 7),
        example_topology(),
        big_fleet(12, 150, 3),
    ] {
        let (svg, _) = summary_of(&d);
        assert!(
            svg.readable_width(MIN_READABLE_PX) <= 324.0,
            "{}: {} px",
            d.title,
            svg.readable_width(MIN_READABLE_PX)
        );
        assert_eq!(svg.min_text, Some(11.0));
    }
}

#[test]
fn a_summary_box_of_a_host_links_its_page() {
    let (svg, _) = summary_of(&example_topology());
    // alpha and beta have pages, gamma has none.
    assert!(svg.text.contains("<a href=\"../hosts/alpha/\">\n<g class=\"summary-node\" data-id=\"alpha\" data-kind=\"host\""));
    assert!(svg.text.contains("<a href=\"../hosts/beta/\">"));
    assert!(!svg.text.contains("hosts/gamma"));
    // Edges both ways between alpha and gamma: one line, no arrowhead.
    let doc = Document::parse(&svg.text).unwrap();
    let both = doc
        .descendants()
        .find(|n| {
            n.attribute("data-kind") == Some("bundle")
                && n.attribute("data-from") == Some("alpha")
                && n.attribute("data-to") == Some("gamma")
        })
        .expect("alpha-gamma bundle");
    assert_eq!(both.attribute("data-count"), Some("2"));
    assert_eq!(both.attribute("marker-end"), None);
}

#[test]
fn empty_and_hostile_summaries_still_draw() {
    for d in [
        Diagram::default(),
        Diagram {
            hosts: vec![HostBox {
                id: "h<1>".into(),
                label: "a & b ".repeat(40),
                region: Some("\"r\" & <r>".repeat(20)),
                ..HostBox::default()
            }],
            edges: vec![Edge {
                from: "nowhere".into(),
                to: INTERNET.into(),
                label: None,
                kind: EdgeKind::Link,
            }],
            ..Diagram::default()
        },
    ] {
        let (svg, _) = summary_of(&d);
        check::check_summary(&svg.text).unwrap_or_else(|e| panic!("{e}"));
    }
}
