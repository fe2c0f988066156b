//! Stable hashing for cache keys: the same value hashes the same within and across runs.

use std::hash::{BuildHasher, Hash};

/// Hash anything hashable; deterministic within and across runs (foldhash with a fixed
/// seed: several times faster than SipHash over page texts, and as well distributed).
pub fn key_of<T: Hash + ?Sized>(parts: &T) -> u64 {
    foldhash::quality::FixedState::with_seed(0x5eed_f1ee_7d0c).hash_one(parts)
}
