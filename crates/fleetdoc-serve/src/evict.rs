//! Room for ordinary clients when the connection limit is reached.
//!
//! Slow or silent sockets that never finish a request (a slowloris flood) would otherwise
//! hold every connection slot until the header timeout, again and again, while ordinary
//! clients wait outside. So at the limit the oldest connection that has not yet sent one
//! whole request is closed to make room: a client that got its first answer is never
//! pushed out, a flood only ever pushes out its own sockets.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

/// One connection's standing: whether it sent a request yet, and its stop switch (also
/// thrown when it ends by itself, so finished entries are recognised and dropped).
#[derive(Clone, Debug, Default)]
pub struct Ticket {
    requested: Arc<AtomicBool>,
    stop: CancellationToken,
}

impl Ticket {
    /// The connection sent a whole request head: it is no longer a candidate.
    pub fn requested(&self) {
        self.requested.store(true, Ordering::Relaxed);
    }

    /// Resolves when the connection is to be closed.
    pub async fn stopped(&self) {
        self.stop.cancelled().await;
    }

    /// The connection ended.
    pub fn finished(&self) {
        self.stop.cancel();
    }

    fn candidate(&self) -> bool {
        !self.requested.load(Ordering::Relaxed) && !self.stop.is_cancelled()
    }
}

/// Connections that have not sent a request yet, oldest first.
#[derive(Debug, Default)]
pub struct Waiting {
    queue: Mutex<VecDeque<Ticket>>,
}

impl Waiting {
    /// Registers a new connection.
    pub fn register(&self) -> Ticket {
        let ticket = Ticket::default();
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        queue.push_back(ticket.clone());
        // Entries of answered or closed connections leave from the front on eviction;
        // drop them here too so the queue stays about as long as the open connections.
        if queue.len() > 64 && queue.len().is_power_of_two() {
            queue.retain(Ticket::candidate);
        }
        ticket
    }

    /// Closes the oldest connection still without a request; false if there is none.
    pub fn evict_oldest(&self) -> bool {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(ticket) = queue.pop_front() {
            if ticket.candidate() {
                ticket.stop.cancel();
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_connection_without_a_request_is_closed_first() {
        let waiting = Waiting::default();
        let (a, b, c) = (waiting.register(), waiting.register(), waiting.register());
        b.requested();
        assert!(waiting.evict_oldest());
        assert!(a.stop.is_cancelled());
        // `b` sent a request: never a candidate; `c` is next.
        assert!(waiting.evict_oldest());
        assert!(!b.stop.is_cancelled() && c.stop.is_cancelled());
        assert!(!waiting.evict_oldest());
    }

    #[test]
    fn finished_connections_are_not_candidates() {
        let waiting = Waiting::default();
        let a = waiting.register();
        let b = waiting.register();
        a.finished();
        assert!(waiting.evict_oldest());
        assert!(b.stop.is_cancelled());
    }
}
