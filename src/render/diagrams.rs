//! Diagram references in pages: which diagram a block asks for, the file name it is written
//! under in `site/diagrams/`, and the figure that shows it on a page.

use crate::model::Fleet;
use crate::render::blocks::DiagramKind;
use crate::render::Ctx;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DiagramRef {
    pub kind: DiagramKind,
    pub host: Option<usize>,
    /// File stem under `site/diagrams/`: `topology`, `host-alpha`, `layers`, `flow`.
    pub name: String,
    pub title: String,
}

impl DiagramRef {
    pub fn new(kind: DiagramKind, host: Option<usize>, fleet: &Fleet) -> Self {
        let host_id = host.map(|h| fleet.hosts[h].id.to_string());
        let (name, title) = match (kind, &host_id) {
            (DiagramKind::Topology, None) => {
                ("topology".to_string(), format!("{} topology", fleet.name))
            }
            (DiagramKind::Topology, Some(h)) => {
                (format!("topology-{h}"), format!("Topology around {h}"))
            }
            (DiagramKind::Host, Some(h)) => (format!("host-{h}"), format!("Host {h}")),
            (DiagramKind::Host, None) => ("host".to_string(), "Host".to_string()),
            (DiagramKind::Layers, None) => ("layers".to_string(), "Layers".to_string()),
            (DiagramKind::Layers, Some(h)) => (format!("layers-{h}"), format!("Layers of {h}")),
            (DiagramKind::Flow, None) => ("flow".to_string(), "Public request flow".to_string()),
            (DiagramKind::Flow, Some(h)) => {
                (format!("flow-{h}"), format!("Public request flow on {h}"))
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

/// The figure shown on a page: the SVG inline (so links and styling work), the PNG linked.
pub fn figure_html(d: &DiagramRef, root: &str, ctx: &Ctx) -> String {
    let svg = ctx.diagram_svg(d);
    let title = crate::render::tables::esc(&d.title);
    format!(
        "<figure class=\"diagram diagram-{kind}\">\n<div class=\"diagram-svg\">{svg}</div>\n<figcaption>{title} · <a href=\"{root}diagrams/{name}.svg\">SVG</a> · <a href=\"{root}diagrams/{name}.png\">PNG</a></figcaption>\n</figure>\n",
        kind = d.kind.as_str(),
        name = d.name,
    )
}

/// Draw a diagram as SVG text.
pub fn draw(d: &DiagramRef, ctx: &Ctx) -> String {
    let _ = ctx;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"480\" height=\"60\" viewBox=\"0 0 480 60\" role=\"img\"><title>{}</title><text x=\"10\" y=\"35\" font-family=\"DejaVu Sans\" font-size=\"14\">{} (diagram renderer pending)</text></svg>",
        crate::render::tables::esc(&d.title),
        crate::render::tables::esc(&d.title)
    )
}

/// Write every diagram used anywhere in the site to `diagrams/<name>.svg` (and its PNG),
/// redrawing only when the fleet changed.
pub fn write_all(
    used: &std::collections::BTreeSet<DiagramRef>,
    ctx: &Ctx,
    fleet_key: u64,
    cache: &mut crate::render::cache::RenderCache,
    out: &mut crate::render::output::Output,
    diags: &mut crate::diag::Diagnostics,
) {
    for d in used {
        let path = format!("diagrams/{}.svg", d.name);
        let svg = cache.other(&path, fleet_key, diags, |_| ctx.diagram_svg(d).into_bytes());
        out.bytes(path, svg);
    }
}
