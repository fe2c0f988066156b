//! fleetdoc keeps a server fleet's documentation true. The pipeline is visible in the module
//! list: `load` (settings, topology, probes, pages) -> `model` (one validated,
//! cross-referenced fleet) -> `analyze` (status, drift, redundancy, reachability) ->
//! `render` (Markdown with fleet blocks, diagrams, templates) -> `write` (atomic output).
//! See ARCHITECTURE.md.

pub mod analyze;
pub mod base;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod diag;
pub mod discover;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod publish;
pub mod render;
pub mod traefik;
pub mod watch;
pub mod write;
