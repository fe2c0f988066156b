//! Starting, running and stopping the HTTP server on its own thread and runtime.
//!
//! [`start`] binds synchronously, so a taken port is reported before it returns, then
//! serves on a background tokio runtime. The accept loop is hyper's own HTTP/1 server
//! with the bounds of [`crate::limits`]: header and idle time, write time (`unread.rs`),
//! connection count, head size; at the connection limit a socket that never sent a
//! request, or whose client does not read its response, makes room
//! ([`crate::evict`]). Stopping is graceful: no new connections are
//! accepted, live-reload streams end, in-flight requests finish (bounded by
//! [`GRACE`]), then the thread is joined.

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::{service_fn, Service as _};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::app::{router, App};
use crate::evict::Waiting;
use crate::limits::{
    connection_limit, write_timeout, BLOCKING_THREADS, HEADER_TIMEOUT, MAX_HEAD_BYTES,
};
use crate::memory::{release_free_memory, Crowd, TICK};
use crate::unread::Unread;
use crate::{Config, ServeError};

/// The longest a stop waits for in-flight requests.
const GRACE: Duration = Duration::from_secs(10);

/// A running server. Dropping it stops it too.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    shutdown: CancellationToken,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, lets in-flight requests finish, and waits for the server thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shutdown.cancel();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Binds `cfg.bind:cfg.port` now and serves `cfg.root` in the background.
pub fn start(cfg: crate::Config) -> Result<Server, ServeError> {
    let Config {
        root,
        bind,
        port,
        live,
    } = cfg;
    let wanted = SocketAddr::new(bind, port);
    let listener = TcpListener::bind(wanted).map_err(|e| ServeError::from_bind(wanted, e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::from_bind(wanted, e))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| ServeError::from_bind(addr, e))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // File lookups and reads run on blocking threads; a few suffice for a static site,
        // and hundreds (the default cap is 512) would each cost memory under a crowd.
        .max_blocking_threads(BLOCKING_THREADS)
        .thread_name("fleetdoc-serve")
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let shutdown = CancellationToken::new();
    let app = App {
        root: Arc::new(root),
        live,
        shutdown: shutdown.clone(),
    };
    let thread = std::thread::Builder::new()
        .name("fleetdoc-serve".into())
        .spawn(move || runtime.block_on(serve(listener, app)))
        .map_err(ServeError::Runtime)?;
    Ok(Server {
        addr,
        shutdown,
        thread: Some(thread),
    })
}

async fn serve(listener: TcpListener, app: App) {
    let shutdown = app.shutdown.clone();
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot serve: {e}");
            return;
        }
    };
    let service = TowerToHyperService::new(router(app));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(MAX_HEAD_BYTES)
        .max_header_size(MAX_HEAD_BYTES)
        .keep_alive(true);
    let slots = Arc::new(Semaphore::new(connection_limit()));
    let write_limit = write_timeout();
    let graceful = GracefulShutdown::new();
    let crowd = Arc::new(Crowd::default());
    tokio::spawn(janitor(crowd.clone(), shutdown.clone()));
    let waiting = Arc::new(Waiting::default());
    loop {
        // A free slot first, then a connection: at the limit, the oldest connection that
        // never sent a request makes room (see `evict.rs`); if every one has, newcomers
        // wait in the operating system's queue instead of costing memory here.
        if slots.available_permits() == 0 {
            waiting.evict_oldest();
        }
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = shutdown.cancelled() => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors or a connection reset before accept: wait a
                    // moment rather than spin, then go on serving.
                    if !is_connection_error(&e) {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
            },
            () = shutdown.cancelled() => break,
        };
        let _ = stream.set_nodelay(true);
        let ticket = Arc::new(waiting.register());
        let marks = ticket.clone();
        let first = AtomicBool::new(true);
        let app_service = service.clone();
        let per_connection = service_fn(move |req| {
            if first.swap(false, Ordering::Relaxed) {
                marks.requested();
            }
            app_service.call(req)
        });
        let stream = Unread::new(stream, write_limit, ticket.clone());
        let conn = http.serve_connection(TokioIo::new(stream), per_connection);
        let conn = graceful.watch(conn);
        let crowd = crowd.clone();
        crowd.opened();
        tokio::spawn(async move {
            tokio::select! {
                _ = conn => {}
                () = ticket.stopped() => {}
            }
            drop(ticket);
            drop(slot);
            crowd.closed();
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(GRACE) => {}
    }
}

/// Returns freed memory after a crowd of connections (see `memory.rs`), until the stop.
async fn janitor(crowd: Arc<Crowd>, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(TICK);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if crowd.gone() {
                    let _ = tokio::task::spawn_blocking(release_free_memory).await;
                }
            }
            () = shutdown.cancelled() => return,
        }
    }
}

fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    )
}
