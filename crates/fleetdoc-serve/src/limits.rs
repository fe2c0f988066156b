//! The limits `serve` and `watch` set on every connection, so that slow or idle clients
//! cannot hold the server's sockets, file descriptors or memory.
//!
//! Each value is enforced by hyper or tokio, not by parsing here. docs/deploy.md lists
//! them for operators; a reverse proxy in front (Traefik) usually sets its own as well.

use std::time::Duration;

/// The longest a client may take to send a request's headers, counted from the moment
/// the server starts waiting for them. It also bounds an idle keep-alive connection: the
/// wait for the next request is a header read like the first.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest a response may wait for its client to read it: when no byte of it can be
/// written for this long (the client's buffers are full and it does not read), the
/// connection is closed. Meanwhile, at the connection limit, it may be closed for a
/// newcomer (see `unread.rs`).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// The environment variable that sets another write timeout, in whole seconds (a positive
/// number), for a test.
pub const WRITE_TIMEOUT_VAR: &str = "FLEETDOC_WRITE_TIMEOUT";

/// [`WRITE_TIMEOUT`], or the value of [`WRITE_TIMEOUT_VAR`].
pub fn write_timeout() -> Duration {
    std::env::var(WRITE_TIMEOUT_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| *n > 0)
        .map_or(WRITE_TIMEOUT, Duration::from_secs)
}

/// Connections served at once, unless [`MAX_CONNECTIONS_VAR`] says otherwise. At the
/// limit, the oldest connection that never sent a request is closed for a newcomer (see
/// `evict.rs`); if there is none, the operating system queues newcomers meanwhile.
pub const MAX_CONNECTIONS: usize = 4096;

/// The environment variable that sets another connection limit (a positive number), for
/// a small container or a test.
pub const MAX_CONNECTIONS_VAR: &str = "FLEETDOC_MAX_CONNECTIONS";

/// The largest request head accepted (request line and headers, with their line ends), and
/// the read buffer of one connection; a larger head is answered `431 Request Header Fields
/// Too Large`. Both bounds are set: the buffer alone let a head of up to about 48 KB through
/// (a read may fill more than the buffer asked for).
pub const MAX_HEAD_BYTES: usize = 32 * 1024;

/// The deepest request path accepted, counted in `/` (empty segments too, since a browser
/// counts them when it resolves relative links); a deeper one is answered `400`. The site's
/// 404 page repeats `../` once per level, so this also bounds that page's size.
pub const MAX_PATH_DEPTH: usize = 128;

/// Threads that look up and read the site's files at once.
pub const BLOCKING_THREADS: usize = 16;

/// File descriptors kept free for the site's files, beyond one per connection.
const SPARE_FDS: u64 = 64;

/// How many connections this process can serve at once: [`MAX_CONNECTIONS`] (or the
/// value of [`MAX_CONNECTIONS_VAR`]), unless the open-file limit is lower. The soft limit is first raised to the hard one, as servers
/// commonly do, since a low default (often 1024) would otherwise be the real cap.
pub fn connection_limit() -> usize {
    let wanted = std::env::var(MAX_CONNECTIONS_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(MAX_CONNECTIONS);
    #[cfg(unix)]
    {
        use rustix::process::{getrlimit, setrlimit, Resource};
        let mut limit = getrlimit(Resource::Nofile);
        if limit.current < limit.maximum {
            let raised = rustix::process::Rlimit {
                current: limit.maximum,
                maximum: limit.maximum,
            };
            if setrlimit(Resource::Nofile, raised).is_ok() {
                limit = raised;
            }
        }
        if let Some(fds) = limit.current {
            let usable = fds.saturating_sub(SPARE_FDS).max(16);
            return wanted.min(usize::try_from(usable).unwrap_or(wanted));
        }
    }
    wanted
}
