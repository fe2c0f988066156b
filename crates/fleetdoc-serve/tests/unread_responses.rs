//! Write timeout: clients that pipeline requests and never read the answers neither hold
//! their connections forever nor keep ordinary clients out at the connection limit. Its
//! own test binary, so the shorter write timeout and connection limit it sets through the
//! environment reach only this server.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::{get, serve, Site};

const WRITE_TIMEOUT_S: u64 = 3;
const LIMIT: usize = 16;
const BIG: usize = 1 << 20;
const PIPELINED: usize = 40;

/// A client that asks for the big file `PIPELINED` times in one go and reads nothing.
fn flood(addr: SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).expect("connect");
    let one = format!("GET /big.txt HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    s.write_all(one.repeat(PIPELINED).as_bytes()).expect("send");
    s
}

/// Reads what the server sent before it closed; `None` if it is still open after `wait`.
fn bytes_before_close(s: &mut TcpStream, wait: Duration) -> Option<usize> {
    let end = Instant::now() + wait;
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0;
    loop {
        let left = end.checked_duration_since(Instant::now())?;
        s.set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .expect("timeout");
        match s.read(&mut buf) {
            Ok(0) => return Some(total),
            Ok(n) => total += n,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return Some(total),
            Err(_) => return None,
        }
    }
}

#[test]
fn responses_never_read_close_their_connection_and_make_room_at_the_limit() {
    std::env::set_var("FLEETDOC_WRITE_TIMEOUT", WRITE_TIMEOUT_S.to_string());
    std::env::set_var("FLEETDOC_MAX_CONNECTIONS", LIMIT.to_string());
    let site = Site::sample();
    site.write("big.txt", &"x".repeat(BIG));
    let server = serve(&site.root(), None);
    let addr = server.local_addr();

    // More flooding clients than the limit: each blocks the server on a full socket.
    let mut floods: Vec<TcpStream> = (0..LIMIT + 8).map(|_| flood(addr)).collect();
    std::thread::sleep(Duration::from_millis(500));
    // Ordinary requests are answered at once, not after the write timeout: connections
    // blocked on unread responses make room.
    for _ in 0..10 {
        let start = Instant::now();
        assert_eq!(get(addr, "/style.css").status, 200);
        assert!(
            start.elapsed() < Duration::from_secs(WRITE_TIMEOUT_S - 1),
            "an ordinary request waited {:?}",
            start.elapsed()
        );
    }
    // After the write timeout every flooding connection has been closed, long before all
    // the answers it asked for were sent.
    std::thread::sleep(Duration::from_secs(WRITE_TIMEOUT_S + 1));
    for (i, s) in floods.iter_mut().enumerate() {
        let sent = bytes_before_close(s, Duration::from_secs(2));
        assert!(
            sent.is_some_and(|n| n < PIPELINED * BIG / 2),
            "flooding client {i} still open, or served in full: {sent:?}"
        );
    }
    assert_eq!(get(addr, "/style.css").status, 200);
}
