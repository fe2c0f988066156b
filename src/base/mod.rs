//! Helpers every stage may use: stable hashing for cache keys, GitHub-style heading slugs,
//! "did you mean" suggestions and the folding of relative paths. They depend on nothing
//! else in the crate, so no stage has to import a later one to reach them.

pub mod addresses;
pub mod hash;
pub mod memory;
pub mod paths;
pub mod slo;
pub mod slug;
pub mod suggest;
