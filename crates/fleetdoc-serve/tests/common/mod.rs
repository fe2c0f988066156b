//! Helpers shared by the integration tests: throwaway sites, a started server, raw
//! HTTP on a TcpStream (for paths an HTTP client would normalise), an event-stream
//! reader, and the rule for tests that need an external program.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::time::Duration;

use fleetdoc_serve::{start, Config, LiveReload, Server};
use futures_util::{Stream, StreamExt};

pub const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// A site folder inside a temp dir (the temp dir also has room for things outside it).
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::create_dir_all(site.root()).expect("site dir");
        site
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn write(&self, rel: &str, contents: &str) {
        let path = self.root().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("parent dir");
        }
        std::fs::write(path, contents).expect("write site file");
    }

    /// A small site with pages at several depths, assets and a 404 page.
    pub fn sample() -> Site {
        let site = Site::new();
        site.write(
            "index.html",
            "<!doctype html><html><head><link rel=\"stylesheet\" href=\"style.css\"></head>\
             <body><h1 id=\"title\">Fleet home</h1></body></html>",
        );
        site.write(
            "a/b/index.html",
            "<!doctype html><html><head><link rel=\"stylesheet\" href=\"../../style.css\"></head>\
             <body><h1 id=\"title\">Runbook B</h1><img src=\"../../diagrams/fleet.svg\"></body></html>",
        );
        site.write("style.css", "body { color: #123; }\n");
        site.write("app.js", "console.log('x');\n");
        site.write(
            "diagrams/fleet.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>",
        );
        site.write("index.json", "{\"pages\":[]}");
        site.write("sitemap.xml", "<?xml version=\"1.0\"?><urlset/>");
        site.write("robots.txt", "User-agent: *\n");
        site.write("fonts/doc.woff2", "wOF2");
        site.write("diagrams/fleet.png", "\u{89}PNG");
        site.write(
            "404.html",
            "<!doctype html><html><body><h1>Page not in the fleet docs</h1></body></html>",
        );
        site
    }
}

pub fn serve(root: &Path, live: Option<LiveReload>) -> Server {
    start(Config {
        root: root.to_path_buf(),
        bind: LOOPBACK,
        port: 0,
        live,
    })
    .expect("server starts")
}

/// A parsed raw HTTP/1.1 response.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `method target` exactly as written (no normalisation) and reads the answer.
pub fn raw_request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    extra: &[(&str, &str)],
) -> RawResponse {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut request =
        format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in extra {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read answer");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    RawResponse {
        status,
        headers,
        body,
    }
}

pub fn get(addr: SocketAddr, target: &str) -> RawResponse {
    raw_request(addr, "GET", target, &[])
}

/// One Server-Sent Event.
#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent {
    pub event: String,
    pub data: String,
    pub retry: Option<u64>,
}

/// Reads events from a streaming response.
pub struct EventReader {
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Vec<u8>>> + Send>>,
    buf: String,
}

impl EventReader {
    pub async fn connect(url: &str) -> EventReader {
        let response = reqwest::get(url).await.expect("event stream request");
        assert_eq!(response.status(), 200, "event stream status for {url}");
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        let body = response.bytes_stream().map(|r| r.map(|b| b.to_vec()));
        EventReader {
            body: Box::pin(body),
            buf: String::new(),
        }
    }

    /// The next event with a name, or `None` when the stream ended; panics after 20 s.
    pub async fn next(&mut self) -> Option<SseEvent> {
        tokio::time::timeout(Duration::from_secs(20), self.next_inner())
            .await
            .expect("an event within 20 s")
    }

    async fn next_inner(&mut self) -> Option<SseEvent> {
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                if let Some(event) = parse_block(&block) {
                    return Some(event);
                }
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.buf.push_str(&String::from_utf8_lossy(&chunk)),
                Some(Err(_)) | None => return None,
            }
        }
    }
}

fn parse_block(block: &str) -> Option<SseEvent> {
    let mut event = None;
    let mut data: Vec<&str> = Vec::new();
    let mut retry = None;
    for line in block.lines() {
        if let Some(v) = line.strip_prefix("event:") {
            event = Some(v.trim_start().to_owned());
        } else if let Some(v) = line.strip_prefix("data:") {
            data.push(v.strip_prefix(' ').unwrap_or(v));
        } else if let Some(v) = line.strip_prefix("retry:") {
            retry = v.trim().parse().ok();
        }
    }
    event.map(|event| SseEvent {
        event,
        data: data.join("\n"),
        retry,
    })
}

/// A free loopback port (bound then released).
pub fn free_port() -> u16 {
    TcpListener::bind((LOOPBACK, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Finds `program` on PATH. When it is missing the test fails under CI and is skipped
/// (with a message) elsewhere: the caller returns on `None`.
pub fn require_program(program: &str, install: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!("{program} is required under CI but not installed ({install})");
        }
        println!("skipped: {program} not installed ({install})");
    }
    found
}

/// Polls `addr` until something accepts connections; panics after `limit`.
pub fn wait_for_port(addr: SocketAddr, limit: Duration) {
    let start = std::time::Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(
            start.elapsed() < limit,
            "nothing listened on {addr} within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Kills and reaps a child process when dropped.
pub struct ChildGuard(pub std::process::Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
