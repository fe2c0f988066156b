//! The model stage: one validated, cross-referenced fleet and the site's pages, built from
//! what the load stage read. Later stages take these types and never look at files again.

pub mod blocks;
pub mod changes;
pub mod columns;
pub mod commands;
pub mod fleet;
pub mod ids;
pub mod incidents;
pub mod layout;
pub mod links;
pub mod maintenance;
pub mod pages;
pub mod public;
pub mod resilience;
pub mod site;
pub mod topology;

pub use fleet::*;
pub use ids::Id;
