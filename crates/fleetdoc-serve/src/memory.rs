//! Gives memory back to the operating system once a crowd of connections is gone.
//!
//! Each open connection holds buffers of a few KiB. After thousands of them close (a
//! flood of slow sockets, a burst of clients) the C allocator keeps the freed pages for
//! reuse, so a long-running `serve` would stay at its peak size. When the number of open
//! connections falls far below a high peak, the allocator is asked to return free pages
//! (glibc's `malloc_trim`; other allocators return them by themselves or not at all).

use std::sync::atomic::{AtomicUsize, Ordering};

/// A peak below this many connections is not worth a trim.
const TRIM_PEAK: usize = 256;

/// Open connections now and the highest count since the last trim.
#[derive(Debug, Default)]
pub struct Crowd {
    open: AtomicUsize,
    peak: AtomicUsize,
}

impl Crowd {
    /// A connection was accepted.
    pub fn opened(&self) {
        let now = self.open.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(now, Ordering::Relaxed);
    }

    /// A connection closed; true when the crowd has gone (fewer than an eighth of a high
    /// peak still open) and free memory should be returned.
    pub fn closed(&self) -> bool {
        let now = self.open.fetch_sub(1, Ordering::Relaxed).saturating_sub(1);
        let peak = self.peak.load(Ordering::Relaxed);
        if peak >= TRIM_PEAK && now <= peak / 8 {
            // Only one closer wins the right to trim for this peak.
            return self
                .peak
                .compare_exchange(peak, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok();
        }
        false
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
