//! Room for ordinary clients when the connection limit is reached.
//!
//! Slow or silent sockets that never finish a request (a slowloris flood) would otherwise
//! hold every connection slot until the header timeout, again and again, while ordinary
//! clients wait outside. So at the limit the oldest connection that has not yet sent one
//! whole request, or that is blocked on a response its client does not read (`unread.rs`),
//! is closed to make room: a client that reads its answers is never pushed out, a flood
//! only ever pushes out its own sockets.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

/// One connection's place in [`Waiting`] and its stop switch.
#[derive(Debug)]
pub struct Ticket {
    id: u64,
    stop: CancellationToken,
    waiting: Arc<Waiting>,
}

impl Ticket {
    /// The connection sent a whole request head: it is no longer a candidate.
    pub fn requested(&self) {
        self.waiting.forget(self.id);
    }

    /// The connection is blocked on a response its client does not read: a candidate
    /// again, at its old place by age, until [`Ticket::flowing`].
    pub fn stalled(&self) {
        let mut queue = self.waiting.inner.lock().unwrap_or_else(|e| e.into_inner());
        queue.by_age.insert(self.id, self.stop.clone());
    }

    /// The client reads again: no longer a candidate.
    pub fn flowing(&self) {
        self.waiting.forget(self.id);
    }

    /// Resolves when the connection is to be closed.
    pub async fn stopped(&self) {
        self.stop.cancelled().await;
    }
}

impl Drop for Ticket {
    /// The connection ended.
    fn drop(&mut self) {
        self.waiting.forget(self.id);
    }
}

/// Connections that have not sent a request yet, by age. Entries leave as soon as their
/// connection sends a request or ends, so nothing of a past crowd stays behind.
#[derive(Debug, Default)]
pub struct Waiting {
    inner: Mutex<Queue>,
}

#[derive(Debug, Default)]
struct Queue {
    next: u64,
    by_age: BTreeMap<u64, CancellationToken>,
}

impl Waiting {
    /// Registers a new connection.
    pub fn register(self: &Arc<Self>) -> Ticket {
        let stop = CancellationToken::new();
        let mut queue = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let id = queue.next;
        queue.next += 1;
        queue.by_age.insert(id, stop.clone());
        Ticket {
            id,
            stop,
            waiting: self.clone(),
        }
    }

    fn forget(&self, id: u64) {
        let mut queue = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        queue.by_age.remove(&id);
    }

    /// Closes the oldest connection still without a request; false if there is none.
    pub fn evict_oldest(&self) -> bool {
        let mut queue = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match queue.by_age.pop_first() {
            Some((_, stop)) => {
                stop.cancel();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_connection_without_a_request_is_closed_first() {
        let waiting = Arc::new(Waiting::default());
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
    fn ended_connections_are_not_candidates() {
        let waiting = Arc::new(Waiting::default());
        let a = waiting.register();
        let b = waiting.register();
        drop(a);
        assert!(waiting.evict_oldest());
        assert!(b.stop.is_cancelled());
        assert!(!waiting.evict_oldest());
    }
}
