//! Live reload for `watch`: the state of the last rebuild and the event stream tabs follow.
//!
//! The root crate's watcher calls [`LiveReload::reloaded`] or [`LiveReload::failed`] after
//! each rebuild; every open tab listens on `/__fleetdoc/events` (Server-Sent Events).
//! A tab that connects, or reconnects after a server restart, is first told the current
//! state: `ready` with the current build id (the tab reloads if its page came from an
//! older build) or `error` with the diagnostics of the broken build. After that it gets
//! `reload` after each good rebuild and `error` after each failed one.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// How long a browser waits before reconnecting after the stream drops.
const RETRY: Duration = Duration::from_millis(1000);
/// Comment lines that keep idle proxies from closing the stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The handle the build loop uses to tell open tabs what happened.
///
/// Cheap to clone; all clones share one state.
#[derive(Clone)]
pub struct LiveReload {
    inner: Arc<Inner>,
}

struct Inner {
    /// Distinguishes this process's builds from those of an earlier run.
    epoch: u64,
    state: watch::Sender<BuildState>,
}

#[derive(Clone, Debug)]
struct BuildState {
    /// Incremented by every successful rebuild.
    generation: u64,
    /// Diagnostics of the last rebuild when it failed; `None` when it succeeded.
    failure: Option<Arc<[String]>>,
}

impl LiveReload {
    /// A fresh state: the current site is good and no tab needs reloading.
    pub fn new() -> Self {
        let epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or_default()
            ^ u64::from(std::process::id());
        let (state, _) = watch::channel(BuildState {
            generation: 0,
            failure: None,
        });
        LiveReload {
            inner: Arc::new(Inner { epoch, state }),
        }
    }

    /// A rebuild succeeded and the new site is in place: open tabs reload.
    pub fn reloaded(&self) {
        self.inner.state.send_modify(|s| {
            s.generation += 1;
            s.failure = None;
        });
    }

    /// A rebuild failed: every open page shows `diagnostics` (one problem per line, as
    /// `file:line:col: message`) until the next successful rebuild.
    pub fn failed(&self, diagnostics: Vec<String>) {
        let lines: Arc<[String]> = diagnostics.into();
        self.inner.state.send_modify(|s| s.failure = Some(lines));
    }

    /// The id of the current build, embedded in served pages.
    pub(crate) fn build_id(&self) -> String {
        self.token(self.inner.state.borrow().generation)
    }

    fn token(&self, generation: u64) -> String {
        format!("{:x}-{generation}", self.inner.epoch)
    }

    /// The event stream for one tab; it ends when `shutdown` is cancelled.
    pub(crate) fn events(
        &self,
        shutdown: CancellationToken,
    ) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
        let this = self.clone();
        let rx = self.inner.state.subscribe();
        let stream = stream::unfold((rx, true), move |(mut rx, first)| {
            let this = this.clone();
            let shutdown = shutdown.clone();
            async move {
                if first {
                    let now = rx.borrow_and_update().clone();
                    let event = match now.failure {
                        Some(lines) => error_event(&lines),
                        None => Event::default()
                            .event("ready")
                            .data(this.token(now.generation)),
                    };
                    return Some((Ok(event.retry(RETRY)), (rx, false)));
                }
                tokio::select! {
                    _ = shutdown.cancelled() => None,
                    changed = rx.changed() => {
                        changed.ok()?;
                        let now = rx.borrow_and_update().clone();
                        let event = match now.failure {
                            Some(lines) => error_event(&lines),
                            None => Event::default()
                                .event("reload")
                                .data(this.token(now.generation)),
                        };
                        Some((Ok(event), (rx, false)))
                    }
                }
            }
        });
        Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
    }
}

impl Default for LiveReload {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for LiveReload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveReload")
            .field("state", &*self.inner.state.borrow())
            .finish()
    }
}

/// An `error` event: one diagnostic per data line. Carriage returns are dropped so a
/// diagnostic cannot end its data line early and forge other fields.
fn error_event(lines: &[String]) -> Event {
    let text = lines
        .iter()
        .map(|l| l.replace('\r', ""))
        .collect::<Vec<_>>()
        .join("\n");
    Event::default().event("error").data(text)
}

/// The browser side, served at `/__fleetdoc/livereload.js`.
pub(crate) const CLIENT_SCRIPT: &str = include_str!("livereload.js");
