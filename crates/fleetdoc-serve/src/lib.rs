//! The HTTP side of `fleetdoc serve` and `fleetdoc watch`.
//!
//! `serve` is the plain static server Traefik routes to in production; `watch` adds live
//! reload. Both must work when the site is reached through a path prefix (code-server's
//! `/proxy/<port>/` strips it, `/absproxy/<port>/` passes it through, Traefik may do
//! either), so every URL this crate produces is relative: folder redirects, the injected
//! script, the event stream address. The root crate owns the command line, the build and
//! the file watcher, and calls [`start`] or [`run_until_signal`].

mod app;
mod error;
mod evict;
mod files;
mod inject;
mod limits;
mod live;
mod memory;
mod request_path;
mod resolve;
mod server;
mod unread;
mod validators;

use std::net::IpAddr;
use std::path::PathBuf;

pub use error::ServeError;
pub use live::LiveReload;
pub use server::{start, Server};

/// What to serve, where.
#[derive(Debug, Clone)]
pub struct Config {
    /// The built site folder. Looked up on every request, so a site swapped in by an
    /// atomic rename is served at once.
    pub root: PathBuf,
    /// The address to listen on, e.g. 127.0.0.1.
    pub bind: IpAddr,
    /// The port; 0 picks any free one (see [`Server::local_addr`]).
    pub port: u16,
    /// `Some` in watch mode: live-reload endpoints and script injection.
    pub live: Option<LiveReload>,
}

/// Starts the server and blocks until SIGTERM or Ctrl-C, then stops it gracefully
/// (in-flight requests finish).
pub fn run_until_signal(cfg: Config) -> Result<(), ServeError> {
    run_until_signal_then(cfg, || {})
}

/// [`run_until_signal`], calling `bound` once the socket is bound and the server is
/// accepting (so a "serving" line is never printed for a port that was busy).
pub fn run_until_signal_then(cfg: Config, bound: impl FnOnce()) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    // Listen for the signals before serving, so none is missed.
    let signals = runtime.block_on(async { stop_signal() })?;
    let server = start(cfg)?;
    bound();
    let result = runtime.block_on(signals);
    server.shutdown();
    result
}

/// A future that completes on the first SIGTERM or Ctrl-C; the handlers are installed
/// before it is returned.
#[cfg(unix)]
fn stop_signal() -> Result<impl std::future::Future<Output = Result<(), ServeError>>, ServeError> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).map_err(ServeError::Signal)?;
    let mut int = signal(SignalKind::interrupt()).map_err(ServeError::Signal)?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => Ok(()),
            _ = int.recv() => Ok(()),
        }
    })
}

/// A future that completes on the first Ctrl-C.
#[cfg(not(unix))]
fn stop_signal() -> Result<impl std::future::Future<Output = Result<(), ServeError>>, ServeError> {
    Ok(async { tokio::signal::ctrl_c().await.map_err(ServeError::Signal) })
}
