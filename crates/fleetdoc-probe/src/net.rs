//! TCP connections: name resolution, connecting to each resolved address in turn, and short
//! plain-language errors ("connection refused"). Used by tcp checks and by http checks.

use std::io;
use std::time::{Duration, Instant};

use tokio::net::{lookup_host, TcpStream};

use crate::outcome::{millis_since, timed_out, Outcome};
use crate::text::clean;

/// Connects to `host:port` (host without brackets), trying every resolved address.
pub async fn connect(host: &str, port: u16) -> Result<TcpStream, String> {
    let addrs: Vec<_> = lookup_host((host, port))
        .await
        .map_err(|e| format!("cannot resolve {}: {}", clean(host), clean(&e.to_string())))?
        .collect();
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => return Ok(stream),
            Err(e) => last = Some(e),
        }
    }
    Err(match last {
        Some(e) => describe(&e),
        None => format!("cannot resolve {}: no addresses", clean(host)),
    })
}

/// A plain-language connect error.
fn describe(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
        io::ErrorKind::TimedOut => "timed out".to_string(),
        io::ErrorKind::ConnectionReset => "connection reset".to_string(),
        _ => clean(&err.to_string()),
    }
}

/// Splits `host:port` or `[v6]:port` into a host (without brackets) and a non-zero port.
pub fn split_host_port(addr: &str) -> Result<(&str, u16), String> {
    let bad = || format!("invalid address {:?} (expected host:port)", clean(addr));
    let (host, port) = addr.rsplit_once(':').ok_or_else(bad)?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let port: u16 = port.parse().map_err(|_| bad())?;
    if host.is_empty() || port == 0 {
        return Err(bad());
    }
    Ok((host, port))
}

/// The tcp check: can a connection be opened within `limit`?
pub async fn check(addr: &str, limit: Duration) -> Outcome {
    let (host, port) = match split_host_port(addr) {
        Ok(hp) => hp,
        Err(e) => return Outcome::failed(e),
    };
    let started = Instant::now();
    match tokio::time::timeout(limit, connect(host, port)).await {
        Ok(Ok(_stream)) => Outcome {
            ok: true,
            latency_ms: Some(millis_since(started)),
            ..Outcome::default()
        },
        Ok(Err(e)) => Outcome::failed(e),
        Err(_) => Outcome::failed(timed_out(limit)),
    }
}

#[cfg(test)]
mod tests {
    use super::split_host_port;

    #[test]
    fn host_and_port_are_split() {
        assert_eq!(
            split_host_port("203.0.113.10:7777"),
            Ok(("203.0.113.10", 7777))
        );
        assert_eq!(split_host_port("[::1]:443"), Ok(("::1", 443)));
        assert_eq!(
            split_host_port("relay.example.com:80"),
            Ok(("relay.example.com", 80))
        );
    }

    #[test]
    fn bad_addresses_are_refused() {
        for bad in ["203.0.113.10", ":80", "host:0", "host:http", "host:70000"] {
            assert!(split_host_port(bad).is_err(), "{bad} accepted");
        }
    }
}
