//! What `serve` refuses and the bounds it keeps against hostile clients: hidden files,
//! odd Range headers, clients that never finish their request.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{get, raw_request, serve, Site};

#[test]
fn dotfiles_are_not_served() {
    let site = Site::sample();
    site.write(".env", "SECRET_TOKEN=1");
    site.write(".git/config", "[remote] SECRET_TOKEN");
    site.write("sub/.env", "SECRET_TOKEN=2");
    site.write(
        ".well-known/security.txt",
        "Contact: mailto:security@example.com\n",
    );
    let server = serve(&site.root(), None);
    let addr = server.local_addr();
    for target in [
        "/.env",
        "/.git/config",
        "/sub/.env",
        "/%2eenv",
        "/absproxy/1234/.env",
        "/.git/",
    ] {
        let answer = get(addr, target);
        assert_eq!(answer.status, 404, "{target}");
        assert!(!answer.text().contains("SECRET_TOKEN"), "{target} leaked");
        assert!(
            answer.text().contains("Page not in the fleet docs"),
            "{target}"
        );
    }
    // RFC 8615's well-known folder stays reachable.
    assert_eq!(get(addr, "/.well-known/security.txt").status, 200);
}

#[test]
fn multi_range_and_unparsable_range_get_the_whole_file() {
    let site = Site::sample();
    site.write("data.txt", "0123456789");
    let server = serve(&site.root(), None);
    let addr = server.local_addr();
    for range in [
        "bytes=0-1,3-4",
        "bytes=abc",
        "bytes=0-1,0-5",
        "pages=1-2",
        "bytes=5-2",
    ] {
        let answer = raw_request(addr, "GET", "/data.txt", &[("Range", range)]);
        assert_eq!(answer.status, 200, "{range}");
        assert_eq!(answer.text(), "0123456789", "{range}");
    }
    // One satisfiable range is still a 206, one past the end a 416.
    let part = raw_request(addr, "GET", "/data.txt", &[("Range", "bytes=2-4")]);
    assert_eq!((part.status, part.text().as_str()), (206, "234"));
    let past = raw_request(addr, "GET", "/data.txt", &[("Range", "bytes=20-")]);
    assert_eq!(past.status, 416);
}

/// Reads until the server closes the connection; `false` if it is still open after
/// `wait` (well beyond the server's header timeout).
fn closed_by_server(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).expect("timeout");
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

#[test]
fn slowloris_sockets_are_closed_after_the_header_timeout() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    let addr = server.local_addr();
    // A request head that never ends, and a connection that never sends a byte.
    let mut slow = TcpStream::connect(addr).expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-a: ")
        .expect("send");
    let mut silent = TcpStream::connect(addr).expect("connect");
    // Meanwhile ordinary requests are answered.
    assert_eq!(get(addr, "/style.css").status, 200);
    assert!(
        closed_by_server(&mut slow, Duration::from_secs(40)),
        "slow head kept open"
    );
    assert!(
        closed_by_server(&mut silent, Duration::from_secs(40)),
        "silent socket kept open"
    );
}

#[test]
fn idle_keep_alive_connections_are_closed() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    let addr = server.local_addr();
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .write_all(b"GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("send");
    // The answer arrives, then the idle connection is closed by the server.
    assert!(
        closed_by_server(&mut stream, Duration::from_secs(40)),
        "idle connection kept open"
    );
}

#[test]
fn an_oversized_request_head_is_refused() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    let addr = server.local_addr();
    let big = "x".repeat(64 * 1024);
    let answer = raw_request(addr, "GET", "/style.css", &[("X-Big", &big)]);
    assert_eq!(answer.status, 431);
}

#[test]
fn a_link_inside_the_site_to_a_dotfile_is_not_served() {
    let site = Site::sample();
    site.write(".env", "SECRET_TOKEN=1");
    site.write(".git/config", "[remote] SECRET_TOKEN");
    std::os::unix::fs::symlink(site.root().join(".env"), site.root().join("env.txt")).unwrap();
    std::os::unix::fs::symlink(site.root().join(".git"), site.root().join("git")).unwrap();
    let server = serve(&site.root(), None);
    let addr = server.local_addr();
    for target in ["/env.txt", "/git/config"] {
        let answer = get(addr, target);
        assert_eq!(answer.status, 404, "{target}");
        assert!(!answer.text().contains("SECRET_TOKEN"), "{target} leaked");
    }
}

#[test]
fn a_path_of_thousands_of_slashes_gets_a_small_400_not_a_huge_404() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    let addr = server.local_addr();
    // The 404 page's <base> used to repeat `../` once per slash: 92 KB for this path.
    let slashes = format!("{}missing", "/".repeat(30_000));
    let answer = get(addr, &slashes);
    assert_eq!(answer.status, 400);
    assert!(answer.body.len() < 1024, "{} bytes", answer.body.len());
    // As deep as the documented limit still gets the 404 page.
    let deep = format!("{}missing", "a/".repeat(127));
    assert_eq!(get(addr, &format!("/{deep}")).status, 404);
}

/// A request for `/style.css` whose head (request line, headers, the blank line) is
/// exactly `size` bytes.
fn head_of(addr: std::net::SocketAddr, size: usize) -> u16 {
    let fixed =
        format!("GET /style.css HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nX-Big: \r\n\r\n");
    let big = "x".repeat(size - fixed.len());
    let answer = raw_request(addr, "GET", "/style.css", &[("X-Big", &big)]);
    answer.status
}

#[test]
fn the_request_head_limit_is_the_documented_32_kib() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    let addr = server.local_addr();
    assert_eq!(head_of(addr, 32 * 1024), 200);
    for size in [32 * 1024 + 1, 40_000, 47_000] {
        assert_eq!(head_of(addr, size), 431, "a head of {size} bytes");
    }
}
