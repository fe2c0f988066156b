//! Reading a JSON API over HTTP(S): one GET whose body is returned, within a time limit
//! and a size limit. It is how fleetdoc asks the tools that already know the fleet
//! (Traefik's API, Prometheus, Gatus, Uptime Kuma) what they see, on the same hyper and
//! rustls stack as the http check, with certificates verified against the system's trust
//! store (see `tls.rs`) plus the CA certificates of a [`Trust`], or not at all when it is
//! insecure. Errors are short sentences; a refused certificate says why and names the
//! command-line options every fetching command offers (`--ca FILE`, `--insecure`).

use std::time::Duration;

use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper::header::{ACCEPT, CONNECTION, HOST, USER_AGENT};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::rustls::pki_types::ServerName;

use crate::http::Target;
use crate::net;
use crate::outcome::{chain, timed_out};
use crate::tls::{TlsSetup, Trust};

/// Largest body read from an API, in bytes (32 MB).
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// One answer: its status and its body.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub status: u16,
    pub body: Vec<u8>,
}

/// How fetches connect: their time limit and the certificates they trust. Built once per
/// command (the trust store is read once) and used for every GET of it.
#[derive(Debug, Clone)]
pub struct Client {
    timeout: Duration,
    tls: TlsSetup,
}

impl Client {
    /// A client whose GETs each end within `timeout` and trust what `trust` says.
    pub fn new(timeout: Duration, trust: &Trust) -> Result<Client, String> {
        Ok(Client {
            timeout,
            tls: TlsSetup::for_trust(trust)?,
        })
    }

    /// The time limit of each GET.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// GETs `url` (http or https) and returns the status and body; errors are short
    /// sentences ("connection refused", "timed out after 10s", "answer over 32 MB",
    /// "certificate not trusted: unknown issuer ...").
    pub fn get(&self, url: &str) -> Result<Fetched, String> {
        let timeout = self.timeout;
        let work = || -> Result<Fetched, String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the HTTP runtime: {e}"))?;
            let result = runtime.block_on(async {
                match tokio::time::timeout(timeout, get_async(url, &self.tls)).await {
                    Ok(r) => r,
                    Err(_) => Err(timed_out(timeout)),
                }
            });
            runtime.shutdown_background();
            result
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            return std::thread::scope(|s| {
                s.spawn(work)
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            });
        }
        work()
    }
}

async fn get_async(url: &str, tls: &TlsSetup) -> Result<Fetched, String> {
    let target = Target::parse(url)?;
    let tcp = net::connect(&target.host, target.port).await?;
    if !target.https {
        return exchange(tcp, &target).await;
    }
    let (connector, recorder) = tls.connector()?;
    let name = ServerName::try_from(target.host.clone())
        .map_err(|_| "invalid URL: bad host name".to_string())?;
    match connector.connect(name, tcp).await {
        Ok(stream) => exchange(stream, &target).await,
        Err(e) => Err(match recorder.rejected() {
            Some(why) => format!(
                "certificate not trusted: {why}; to trust it, give its CA certificate with \
                 --ca FILE (PEM), or accept any certificate with --insecure"
            ),
            None => format!("TLS handshake failed: {}", chain(&e)),
        }),
    }
}

async fn exchange<S>(io: S, target: &Target) -> Result<Fetched, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| format!("HTTP setup failed: {}", chain(&e)))?;
    let driver = tokio::spawn(async move {
        let _ = conn.await;
    });
    let request = Request::get(target.path.as_str())
        .header(HOST, target.authority.as_str())
        .header(USER_AGENT, concat!("fleetdoc/", env!("CARGO_PKG_VERSION")))
        .header(ACCEPT, "application/json")
        .header(CONNECTION, "close")
        .body(Empty::<Bytes>::new())
        .map_err(|e| format!("invalid request: {}", chain(&e)))?;
    let result = async {
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("no HTTP response: {}", chain(&e)))?;
        let status = response.status().as_u16();
        let body = Limited::new(response.into_body(), MAX_BODY_BYTES)
            .collect()
            .await
            .map_err(|e| {
                if e.is::<http_body_util::LengthLimitError>() {
                    format!("answer over {} MB", MAX_BODY_BYTES / (1024 * 1024))
                } else {
                    format!("answer cut short: {e}")
                }
            })?
            .to_bytes()
            .to_vec();
        Ok(Fetched { status, body })
    }
    .await;
    driver.abort();
    result
}
