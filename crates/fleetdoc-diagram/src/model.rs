//! The input vocabulary of the engine: what a fleet diagram, a layers diagram and a poster
//! are made of. The engine knows nothing about YAML or files; the caller builds these values
//! from its own fleet model and hands them to `render*`.

/// Live state of a service as probes last saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Status {
    /// The last check succeeded and is fresh.
    Up,
    /// The last check failed.
    Down,
    /// The last result is older than the freshness window.
    Stale,
    /// No probe result matched this service.
    #[default]
    Unknown,
}

impl Status {
    /// Lower-case word used in SVG classes and legends.
    pub fn word(self) -> &'static str {
        match self {
            Status::Up => "up",
            Status::Down => "down",
            Status::Stale => "stale",
            Status::Unknown => "unknown",
        }
    }

    /// How alarming a status is, for summarising several services as one: higher wins.
    pub(crate) fn severity(self) -> u8 {
        match self {
            Status::Up => 0,
            Status::Unknown => 1,
            Status::Stale => 2,
            Status::Down => 3,
        }
    }
}

/// One service, drawn as a box inside its host.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceBox {
    /// Unique id; edges refer to it.
    pub id: String,
    /// Display name, the bold first line.
    pub label: String,
    /// Small lines under the label, e.g. `["docker", ":3000", "forge.example.com"]`.
    pub details: Vec<String>,
    /// Probe status.
    pub status: Status,
    /// Services sharing a group are drawn together under a small group label.
    pub group: Option<String>,
    /// This service is the host's reverse proxy (drawn with the accent color).
    pub ingress: bool,
    /// Link target of the box (relative to the page, given by the caller).
    pub href: Option<String>,
}

/// One host, drawn as a container holding its services.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HostBox {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub label: String,
    /// Second header line, e.g. `203.0.113.10 - Primary stack`.
    pub subtitle: Option<String>,
    /// Services running on this host, in display order.
    pub services: Vec<ServiceBox>,
    /// Link target of the host title.
    pub href: Option<String>,
    /// The host's region: hosts of one region are drawn in columns of their own.
    pub region: Option<String>,
}

/// What an edge means; each kind has its own stroke in the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// Public traffic: internet -> ingress -> public service.
    Public,
    /// Declared cross-service communication.
    Link,
    /// A `depends_on` relation.
    DependsOn,
}

impl EdgeKind {
    /// Lower-case word used in SVG classes and legends.
    pub fn word(self) -> &'static str {
        match self {
            EdgeKind::Public => "public",
            EdgeKind::Link => "link",
            EdgeKind::DependsOn => "depends-on",
        }
    }
}

/// The id an edge uses for public traffic coming from outside the fleet.
pub const INTERNET: &str = "internet";

/// A directed connection between two services (or from [`INTERNET`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Service id, or [`INTERNET`].
    pub from: String,
    /// Service id, or [`INTERNET`].
    pub to: String,
    /// Short text drawn on the edge, e.g. a hostname or a protocol.
    pub label: Option<String>,
    /// Meaning and stroke.
    pub kind: EdgeKind,
}

/// Which drawing a [`Diagram`] asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiagramKind {
    /// Every host with its services and all edges.
    #[default]
    Topology,
    /// One host in detail (the caller passes one host).
    Host,
    /// Public request flow in columns: hostname -> ingress -> service -> host.
    Flow,
    /// The topology summed up for a page too narrow for its detail: one box per region
    /// (or per host without a region) with counts, the Internet node, and one counted line
    /// per pair of boxes (see [`crate::summarizes`]).
    Summary,
}

/// A fleet diagram.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagram {
    /// Topology, host or flow.
    pub kind: DiagramKind,
    /// Visible heading and the SVG `<title>`.
    pub title: String,
    /// The SVG `<desc>` (for screen readers).
    pub description: String,
    /// Hosts in display order.
    pub hosts: Vec<HostBox>,
    /// Edges between services (or from [`INTERNET`]).
    pub edges: Vec<Edge>,
    /// Small text in a corner, e.g. `status measured 2026-04-06 09:00 UTC`.
    pub caption: Option<String>,
    /// The author's hints for placing hosts.
    pub layout: Layout,
}

/// Hints for placing hosts in a topology. Hosts are otherwise ordered by stable keys
/// (region, ingress first, id), never by the order they were declared in, and flow down
/// columns; a hint that names a host not in the diagram is ignored here (the caller
/// validates hints against its fleet).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// Number of host columns (instead of the one that comes closest to 16:10).
    pub columns: Option<usize>,
    /// Host ids drawn first, in this order.
    pub order: Vec<String>,
    /// Hosts pinned to a column (0-based; a column past the last means the last, and with
    /// `columns` set every column it asks for exists): (host id, column). A pinned host goes
    /// to the bottom of its column.
    pub pins: Vec<(String, usize)>,
}

/// One folder layer of a host (explainers).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layer {
    /// Unique id.
    pub id: String,
    /// Display name, e.g. `Command center`.
    pub title: String,
    /// Folder, e.g. `/home/ops/devops-center`.
    pub path: Option<String>,
    /// What the layer holds, drawn as chips.
    pub holds: Vec<String>,
}

/// A host's folder layers stacked top to bottom.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LayersDiagram {
    /// Visible heading and `<title>`.
    pub title: String,
    /// Host the layers belong to, shown beside the title.
    pub host: Option<String>,
    /// Layers, top first.
    pub layers: Vec<Layer>,
}

/// One poster panel, from one H2 section of a page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Panel {
    /// The section heading.
    pub heading: String,
    /// The first bullets, or one sentence.
    pub bullets: Vec<String>,
}

/// A diagram a poster can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum PosterDiagram {
    /// A topology, host or flow diagram.
    Fleet(Diagram),
    /// A layers diagram.
    Layers(LayersDiagram),
}

/// An infographic summing up an explainer page (also its card image).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Poster {
    /// Page title.
    pub title: String,
    /// Page summary.
    pub summary: Option<String>,
    /// One panel per H2 section.
    pub panels: Vec<Panel>,
    /// e.g. `9 / 9 public surfaces healthy`.
    pub status_line: Option<String>,
    /// What the status line says, overall: its dot and border take this status's color.
    pub status: Status,
    /// A diagram scaled into its own panel.
    pub diagram: Option<PosterDiagram>,
    /// Small last line, e.g. the site name and date.
    pub footer: Option<String>,
}

/// A rendered SVG document and its size in CSS pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Svg {
    /// The SVG document.
    pub text: String,
    /// Width in px.
    pub width: f32,
    /// Height in px.
    pub height: f32,
    /// The smallest text it draws, as font size in px at 100 % (a diagram nested into a
    /// poster counts at the scale it is drawn at); `None` when it draws no text.
    pub min_text: Option<f32>,
}

/// The smallest text, in CSS px, a page shows a drawing's labels at (fleetdoc's phone
/// rule: a page may shrink a drawing only as far as keeps its smallest text this big).
pub const MIN_READABLE_PX: f32 = 9.0;

impl Svg {
    /// The narrowest width, in whole px, this drawing may be shown at for its smallest
    /// text to stay at least `px` px tall: `ceil(width * px / min_text)`; its own width
    /// when it draws no text.
    pub fn readable_width(&self, px: f32) -> f32 {
        match self.min_text {
            Some(m) if m > 0.0 && px > 0.0 => (self.width * px / m).ceil(),
            _ => self.width.ceil(),
        }
    }
}
