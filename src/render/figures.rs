//! The adaptor from the fleet model to the diagram engine's vocabulary: hosts become boxes,
//! services boxes inside them colored by their observed status, public hostnames become
//! internet -> ingress -> service edges, links and `depends_on` become edges. Links in the
//! SVG are relative to `site/diagrams/`.

use crate::analyze::status::Health;
use crate::model::blocks::DiagramKind;
use crate::model::{Endpoint, Fleet, ServiceKind};
use crate::render::diagrams::DiagramRef;
use crate::render::Ctx;
use fleetdoc_diagram as dg;

pub enum Figure {
    Fleet(dg::Diagram),
    Layers(dg::LayersDiagram),
}

fn status(h: Health) -> dg::Status {
    match h {
        Health::Up => dg::Status::Up,
        Health::Down => dg::Status::Down,
        Health::Stale => dg::Status::Stale,
        Health::Unknown => dg::Status::Unknown,
        // The diagram's amber for "not sure yet", grey for "not measured as up".
        Health::Pending => dg::Status::Stale,
        Health::Maintenance => dg::Status::Unknown,
    }
}

/// The box id of service `s` on host `h`: the plain service id on its first host, and
/// `id@host` on the hosts it is replicated to.
fn box_id(fleet: &Fleet, s: usize, h: usize) -> String {
    let svc = &fleet.services[s];
    if svc.hosts.first() == Some(&h) {
        svc.id.to_string()
    } else {
        format!("{}@{}", svc.id, fleet.hosts[h].id)
    }
}

/// The box of `s` to draw an edge to: on host `near` when it runs there, else its first.
fn edge_end(fleet: &Fleet, s: usize, near: Option<usize>) -> String {
    let h = near
        .filter(|h| fleet.services[s].hosts.contains(h))
        .unwrap_or(fleet.services[s].hosts[0]);
    box_id(fleet, s, h)
}

fn details(fleet: &Fleet, s: usize) -> Vec<String> {
    let svc = &fleet.services[s];
    let mut d = vec![match svc.kind {
        ServiceKind::Timer => svc
            .schedule
            .as_ref()
            .map(|x| format!("timer, {x}"))
            .unwrap_or_else(|| "timer".into()),
        k => k.as_str().to_string(),
    }];
    if !svc.ports.is_empty() {
        d.push(
            svc.ports
                .iter()
                .map(|p| format!(":{p}"))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if let Some(p) = &svc.public {
        d.push(p.clone());
    } else if let Some(u) = &svc.unit {
        d.push(u.clone());
    }
    d
}

fn caption(ctx: &Ctx) -> Option<String> {
    let obs = &ctx.an.observed;
    Some(match obs.taken {
        Some(t) if obs.stale => format!(
            "status measured {} (stale: {} old)",
            t.format("%Y-%m-%d %H:%M UTC"),
            obs.age
                .map(crate::render::status_tables::age_text)
                .unwrap_or_default()
        ),
        Some(t) => format!("status measured {}", t.format("%Y-%m-%d %H:%M UTC")),
        None => "no probe data: status unknown".into(),
    })
}

fn host_box(fleet: &Fleet, ctx: &Ctx, h: usize) -> dg::HostBox {
    let host = &fleet.hosts[h];
    let subtitle = match &host.role {
        Some(r) => format!("{} - {r}", host.address),
        None => host.address.to_string(),
    };
    dg::HostBox {
        id: host.id.to_string(),
        label: short(&host.name),
        subtitle: Some(subtitle),
        href: ctx.host_pages.then(|| format!("../hosts/{}/", host.id)),
        region: host.region.clone(),
        services: fleet
            .services_on(h)
            .map(|(s, svc)| dg::ServiceBox {
                id: box_id(fleet, s, h),
                label: short(&svc.name),
                details: details(fleet, s),
                status: status(ctx.an.observed.service_on(s, h).shown()),
                group: svc.group.clone(),
                ingress: svc.ingress,
                href: ctx
                    .host_pages
                    .then(|| format!("../hosts/{}/#service-{}", host.id, svc.id)),
            })
            .collect(),
    }
}

/// Public traffic: internet -> each host's ingress -> each public service on it.
fn public_edges(fleet: &Fleet, hosts: &[usize], edges: &mut Vec<dg::Edge>) {
    for &h in hosts {
        let Some(ingress) = fleet.ingress_of(h) else {
            continue;
        };
        let publics: Vec<usize> = fleet
            .services_on(h)
            .filter(|(_, s)| s.public.is_some() && !s.ingress)
            .map(|(i, _)| i)
            .collect();
        if publics.is_empty() {
            continue;
        }
        edges.push(dg::Edge {
            from: dg::INTERNET.into(),
            to: box_id(fleet, ingress, h),
            label: Some("HTTPS".into()),
            kind: dg::EdgeKind::Public,
        });
        for s in publics {
            edges.push(dg::Edge {
                from: box_id(fleet, ingress, h),
                to: box_id(fleet, s, h),
                label: fleet.services[s].public.as_deref().map(short),
                kind: dg::EdgeKind::Public,
            });
        }
    }
}

pub fn build(d: &DiagramRef, ctx: &Ctx) -> Figure {
    let fleet = ctx.fleet;
    if d.kind == DiagramKind::Layers {
        let layers = fleet
            .layers
            .iter()
            .filter(|l| d.host.is_none() || l.host == d.host)
            .map(|l| dg::Layer {
                id: l.id.to_string(),
                title: short(&l.title),
                path: l.path.clone(),
                holds: l.holds.clone(),
            })
            .collect();
        return Figure::Layers(dg::LayersDiagram {
            title: short(&d.title),
            host: d.host.map(|h| short(&fleet.hosts[h].name)),
            layers,
        });
    }
    let hosts: Vec<usize> = match (d.kind, d.host) {
        (_, Some(h)) => vec![h],
        (DiagramKind::Flow, None) => (0..fleet.hosts.len())
            .filter(|&h| fleet.services_on(h).any(|(_, s)| s.public.is_some()))
            .collect(),
        _ => (0..fleet.hosts.len()).collect(),
    };
    let mut on = vec![false; fleet.hosts.len()];
    for &h in &hosts {
        on[h] = true;
    }
    let shown = |s: usize| fleet.services[s].hosts.iter().any(|&h| on[h]);
    let mut edges = Vec::new();
    public_edges(fleet, &hosts, &mut edges);
    if d.kind != DiagramKind::Flow {
        // Only the services on the drawn hosts, and the links from them, can draw an edge:
        // a host's diagram looks at its own, not at every service and link of the fleet.
        let mut candidates: Vec<usize> = hosts
            .iter()
            .flat_map(|&h| fleet.services_on(h).map(|(s, _)| s))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut links: Vec<usize> = candidates
            .iter()
            .flat_map(|&s| fleet.links_from(s))
            .collect();
        links.sort_unstable();
        links.dedup();
        for l in links.iter().map(|&i| &fleet.links[i]) {
            for &from in &l.from {
                for &to in &l.to {
                    let (Endpoint::Service(a), Endpoint::Service(b)) = (from, to) else {
                        continue;
                    };
                    if shown(a) && shown(b) {
                        let near = fleet.services[a].hosts.first().copied();
                        edges.push(dg::Edge {
                            from: edge_end(fleet, a, near),
                            to: edge_end(fleet, b, near),
                            label: l.protocol.as_deref().map(short),
                            kind: dg::EdgeKind::Link,
                        });
                    }
                }
            }
        }
        for &a in &candidates {
            let svc = &fleet.services[a];
            for &b in &svc.depends_on {
                if shown(a) && shown(b) {
                    let near = svc.hosts.first().copied();
                    edges.push(dg::Edge {
                        from: edge_end(fleet, a, near),
                        to: edge_end(fleet, b, near),
                        label: None,
                        kind: dg::EdgeKind::DependsOn,
                    });
                }
            }
        }
    }
    let kind = match d.kind {
        DiagramKind::Flow => dg::DiagramKind::Flow,
        DiagramKind::Host => dg::DiagramKind::Host,
        _ => dg::DiagramKind::Topology,
    };
    let names: Vec<&str> = hosts
        .iter()
        .map(|&h| fleet.hosts[h].name.as_str())
        .collect();
    Figure::Fleet(dg::Diagram {
        kind,
        title: short(&d.title),
        description: format!("{} of {}: hosts {}", d.title, fleet.name, names.join(", ")),
        hosts: hosts.iter().map(|&h| host_box(fleet, ctx, h)).collect(),
        edges,
        caption: caption(ctx),
        layout: layout_hints(fleet),
    })
}

/// The summary picture of topology `diagram` (drawn for `d`): the same hosts, services and
/// edges, drawn as regions and counted lines.
pub fn summary(d: &DiagramRef, diagram: dg::Diagram) -> dg::Diagram {
    dg::Diagram {
        kind: dg::DiagramKind::Summary,
        title: short(&format!("{}: summary", d.title)),
        description: format!(
            "Summary of {}: one box per region (a host without a region has its own) with its hosts, services and their status, and one line per pair of boxes that counts the links between them",
            d.title
        ),
        ..diagram
    }
}

/// The topology's layout hints, with hosts named by id.
fn layout_hints(fleet: &Fleet) -> dg::Layout {
    let l = &fleet.layout;
    let id = |h: usize| fleet.hosts[h].id.to_string();
    dg::Layout {
        columns: l.columns,
        order: l.order.iter().map(|&h| id(h)).collect(),
        pins: l.pins.iter().map(|&(h, c)| (id(h), c)).collect(),
    }
}

/// Longest label a picture draws, in characters: a longer name is cut with `…` (a
/// 1 MiB service name must not make a picture a million pixels wide).
pub const MAX_LABEL_CHARS: usize = 80;

/// A label cut to [`MAX_LABEL_CHARS`].
fn short(s: &str) -> String {
    cut(s, MAX_LABEL_CHARS)
}

/// A poster bullet or sentence, cut to a few lines' worth.
fn long(s: &str) -> String {
    cut(s, MAX_LABEL_CHARS * 4)
}

fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((at, _)) => format!("{}…", s[..at].trim_end()),
    }
}

/// Most panels a poster draws; a page with more sections gets a last panel that counts them.
pub const MAX_POSTER_PANELS: usize = 24;

/// The poster of an explainer page: its title, summary, one panel per H2 section, the
/// status line and the first diagram the page shows.
pub fn poster(
    page: &crate::model::pages::Page,
    first_diagram: Option<&DiagramRef>,
    ctx: &Ctx,
) -> dg::Poster {
    let mut panels: Vec<dg::Panel> = page
        .sections
        .iter()
        .take(MAX_POSTER_PANELS)
        .map(|s| dg::Panel {
            heading: short(&s.heading),
            bullets: if s.bullets.is_empty() {
                s.first_sentence.as_deref().map(long).into_iter().collect()
            } else {
                s.bullets.iter().map(|b| long(b)).collect()
            },
        })
        .collect();
    let more = page.sections.len().saturating_sub(MAX_POSTER_PANELS);
    if more > 0 {
        // A poster is read at a glance: the rest is named, not drawn.
        panels.pop();
        panels.push(dg::Panel {
            heading: format!("… and {} more sections", more + 1),
            bullets: vec!["Read them on the page.".into()],
        });
    }
    // A topology too wide to read on a page is too wide for a poster's panel too: the
    // poster shows the summary the page shows.
    let diagram = first_diagram.map(|d| match build(d, ctx) {
        Figure::Fleet(f) if ctx.drawing(d).summary.is_some() => {
            dg::PosterDiagram::Fleet(summary(d, f))
        }
        Figure::Fleet(f) => dg::PosterDiagram::Fleet(f),
        Figure::Layers(l) => dg::PosterDiagram::Layers(l),
    });
    dg::Poster {
        title: short(&page.title),
        summary: page.source.front.summary.clone(),
        panels,
        status_line: Some(crate::render::status_tables::summary(ctx.fleet, ctx.an)),
        status: status(crate::render::status_tables::summary_health(
            ctx.fleet, ctx.an,
        )),
        diagram,
        footer: Some(format!(
            "{} · {}",
            ctx.site_title(),
            ctx.now.format("%Y-%m-%d")
        )),
    }
}
