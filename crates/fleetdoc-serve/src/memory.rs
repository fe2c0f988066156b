//! Gives memory back to the operating system once a crowd of connections is gone.
//!
//! Each open connection holds buffers of a few KiB. After thousands of them close (a
//! flood of slow sockets, a burst of clients) the C allocator keeps the freed pages for
//! reuse, so a long-running `serve` would stay at its peak size. A janitor looks once a
//! [`TICK`]: when many connections came and went since its last look and hardly any are
//! open now, it asks the allocator to return free pages (glibc's `malloc_trim`; other
//! allocators return them by themselves or not at all).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How often the janitor looks.
pub const TICK: Duration = Duration::from_secs(1);
/// Fewer connections than this since the last trim are not worth one.
const TRIM_AFTER: usize = 64;
/// At most this many may be open for a trim: every open one pins its pages.
const QUIET: usize = 4;

/// Open connections now, and how many were opened since the last trim.
#[derive(Debug, Default)]
pub struct Crowd {
    open: AtomicUsize,
    opened: AtomicUsize,
}

impl Crowd {
    /// A connection was accepted.
    pub fn opened(&self) {
        self.open.fetch_add(1, Ordering::Relaxed);
        self.opened.fetch_add(1, Ordering::Relaxed);
    }

    /// A connection closed.
    pub fn closed(&self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
    }

    /// True when a crowd came and went since the last call that returned true.
    pub fn gone(&self) -> bool {
        if self.open.load(Ordering::Relaxed) > QUIET {
            return false;
        }
        let since = self.opened.load(Ordering::Relaxed);
        since >= TRIM_AFTER
            && self
                .opened
                .compare_exchange(since, 0, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
    }
}

/// Returns the allocator's free pages to the operating system (blocking; call it off the
/// request threads).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trim_follows_a_crowd_that_has_gone() {
        let crowd = Crowd::default();
        for _ in 0..100 {
            crowd.opened();
        }
        assert!(!crowd.gone(), "still open");
        for _ in 0..97 {
            crowd.closed();
        }
        assert!(crowd.gone());
        assert!(!crowd.gone(), "one trim per crowd");
    }
}
