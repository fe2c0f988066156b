//! Handing freed memory back to the system in the middle of a build.
//!
//! A build frees most of what it loaded (every page's source, once the page is written)
//! before it makes the lists of every page (topic list, feed, sitemap), which are large at
//! thousands of pages. glibc's allocator keeps freed memory for later requests, but the
//! lists' requests are served from new memory (other threads' arenas, larger blocks), so
//! the two added up: at 10,000 pages a third of the build's peak was memory already freed.

/// Returns the memory freed so far to the system (glibc's `malloc_trim`); a no-op with
/// another allocator. It walks the allocator's free lists: about a millisecond for each
/// 10 MB freed.
pub fn give_back_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases pages of free memory; it takes the allocator's
    // locks like any allocation does.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Blocks of 128 KiB and more get their own mapping from the system, for the whole run, so
/// freeing one gives its memory back at once. glibc starts there too, but raises the line
/// to the size of each such block freed (up to 32 MiB), and then serves large blocks from
/// the heap, where memory freed around them stays with the process. At 10,000 pages the
/// build's peak was 10 MiB lower with the line kept. A no-op with another allocator; the
/// binary calls it first thing (`main.rs`).
pub fn map_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` sets a parameter of the allocator; it takes the allocator's locks
    // like any allocation does.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
