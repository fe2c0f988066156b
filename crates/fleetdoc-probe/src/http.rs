//! The http check: one GET over HTTP or HTTPS, recording the status, the time to the
//! response head and, for HTTPS, the certificate's expiry. Healthy means a 2xx/3xx status
//! over a trusted certificate (or any certificate in insecure mode). Redirects are not
//! followed: a 3xx is itself an answer.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::Empty;
use hyper::body::Bytes;
use hyper::header::{ACCEPT, CONNECTION, HOST, USER_AGENT};
use hyper::http::uri::Authority;
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::rustls::pki_types::ServerName;

use crate::limits::STATUS_RANGE;
use crate::net;
use crate::outcome::{chain, millis_since, timed_out, Outcome};
use crate::tls::{Recorder, TlsSetup};

const AGENT: &str = concat!("fleetdoc-probe/", env!("CARGO_PKG_VERSION"));

/// Checks `url` within `limit`.
pub async fn check(url: &str, tls: &TlsSetup, limit: Duration) -> Outcome {
    let target = match Target::parse(url) {
        Ok(t) => t,
        Err(e) => return Outcome::failed(e),
    };
    let secure = if target.https {
        match tls.connector() {
            Ok(pair) => Some(pair),
            Err(e) => return Outcome::failed(e),
        }
    } else {
        None
    };
    let recorder = secure.as_ref().map(|(_, r)| Arc::clone(r));
    let mut outcome = match tokio::time::timeout(limit, get(&target, secure)).await {
        Ok(outcome) => outcome,
        Err(_) => Outcome::failed(timed_out(limit)),
    };
    if let Some(recorder) = recorder {
        // Known even when the certificate was refused or the server then went silent.
        outcome.tls_expires = recorder.seen().expires;
    }
    outcome
}

/// A parsed http(s) URL.
pub(crate) struct Target {
    pub(crate) https: bool,
    pub(crate) authority: Authority,
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) path: String,
}

impl Target {
    pub(crate) fn parse(url: &str) -> Result<Self, String> {
        let uri: Uri = url
            .parse()
            .map_err(|e| format!("invalid URL: {}", chain(&e)))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err("invalid URL: expected http:// or https://".to_string()),
        };
        let authority = uri
            .authority()
            .cloned()
            .ok_or_else(|| "invalid URL: no host".to_string())?;
        if authority.as_str().contains('@') {
            return Err("invalid URL: credentials in URLs are not supported".to_string());
        }
        let host = authority.host();
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host)
            .to_string();
        let port = authority.port_u16().unwrap_or(if https { 443 } else { 80 });
        let path = uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "/".to_string());
        Ok(Target {
            https,
            authority,
            host,
            port,
            path,
        })
    }
}

async fn get(
    target: &Target,
    secure: Option<(tokio_rustls::TlsConnector, Arc<Recorder>)>,
) -> Outcome {
    let started = Instant::now();
    let tcp = match net::connect(&target.host, target.port).await {
        Ok(stream) => stream,
        Err(e) => return Outcome::failed(e),
    };
    let Some((connector, recorder)) = secure else {
        return exchange(tcp, target, started).await;
    };
    let name = match ServerName::try_from(target.host.clone()) {
        Ok(name) => name,
        Err(_) => return Outcome::failed("invalid URL: bad host name"),
    };
    match connector.connect(name, tcp).await {
        Ok(stream) => exchange(stream, target, started).await,
        Err(e) => Outcome::failed(match recorder.rejected() {
            Some(why) => format!("certificate not trusted: {why}"),
            None => format!("TLS handshake failed: {}", chain(&e)),
        }),
    }
}

/// Sends the request over an open connection and reads the response head.
async fn exchange<S>(io: S, target: &Target, started: Instant) -> Outcome
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = match hyper::client::conn::http1::handshake(TokioIo::new(io)).await {
        Ok(pair) => pair,
        Err(e) => return Outcome::failed(format!("HTTP setup failed: {}", chain(&e))),
    };
    let driver = tokio::spawn(async move {
        // The connection ends with the check; its own errors surface through the request.
        let _ = conn.await;
    });
    let request = Request::get(target.path.as_str())
        .header(HOST, target.authority.as_str())
        .header(USER_AGENT, AGENT)
        .header(ACCEPT, "*/*")
        .header(CONNECTION, "close")
        .body(Empty::<Bytes>::new());
    let outcome = match request {
        Err(e) => Outcome::failed(format!("invalid request: {}", chain(&e))),
        Ok(request) => match sender.send_request(request).await {
            Err(e) => Outcome::failed(format!("no HTTP response: {}", chain(&e))),
            Ok(response) => judge(response.status(), millis_since(started)),
        },
    };
    driver.abort();
    outcome
}

fn judge(status: hyper::StatusCode, latency_ms: u64) -> Outcome {
    let code = status.as_u16();
    if !STATUS_RANGE.contains(&code) {
        return Outcome {
            latency_ms: Some(latency_ms),
            ..Outcome::failed(format!("invalid HTTP status {code}"))
        };
    }
    let ok = status.is_success() || status.is_redirection();
    Outcome {
        ok,
        status: Some(code),
        latency_ms: Some(latency_ms),
        error: (!ok).then(|| format!("HTTP status {status}")),
        ..Outcome::default()
    }
}

#[cfg(test)]
mod tests {
    use super::Target;

    #[test]
    fn urls_are_split_into_connection_parts() {
        let t = Target::parse("https://forge.example.com/api/v1?x=1").unwrap();
        assert!(t.https);
        assert_eq!((t.host.as_str(), t.port), ("forge.example.com", 443));
        assert_eq!(t.path, "/api/v1?x=1");
        let t = Target::parse("http://[::1]:8080").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("::1", 8080, "/")
        );
    }

    #[test]
    fn unusable_urls_are_refused() {
        for bad in [
            "ftp://example.com/",
            "forge.example.com",
            "https://user:pw@example.com/",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad} accepted");
        }
    }
}
