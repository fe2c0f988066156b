//! Bounded soak tests on loopback: `serve` under many concurrent clients and thousands of
//! slow sockets, and `watch` under rapid saves and a replaced `content/` folder. Real
//! processes, real sockets, real files; counts are fixed, nothing is timed.

mod support;
use support::*;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const CLIENTS: usize = 1000;
const SLOW: usize = 2000;

/// Raises this process's open-file soft limit to the hard one and returns it.
fn open_file_limit() -> u64 {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    let raised = Rlimit {
        current: limit.maximum,
        maximum: limit.maximum,
    };
    let now = if setrlimit(Resource::Nofile, raised).is_ok() {
        limit.maximum
    } else {
        limit.current
    };
    now.unwrap_or(u64::MAX)
}

/// Resident memory of process `pid` in KiB (Linux); `None` elsewhere.
fn resident_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    s
}

/// Opens `n` connections, sends a whole request on each, then reads every answer: `n`
/// clients in flight at once as the server sees them. Returns how many got a 200.
fn concurrent_clients(port: u16, n: usize) -> usize {
    let mut streams: Vec<TcpStream> = (0..n).map(|_| connect(port)).collect();
    for s in &mut streams {
        s.write_all(b"GET /ops/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .expect("send");
    }
    streams
        .into_iter()
        .filter(|s| {
            let mut raw = Vec::new();
            let _ = (&*s).read_to_end(&mut raw);
            raw.starts_with(b"HTTP/1.1 200")
        })
        .count()
}

#[test]
fn serve_keeps_answering_under_slow_sockets_and_concurrent_clients() {
    // The test holds both ends' worth of sockets only on its own side; keep room.
    let fds = open_file_limit();
    let budget = usize::try_from(fds.saturating_sub(200)).unwrap_or(usize::MAX);
    let (slow_n, clients_n) = if budget >= SLOW + CLIENTS {
        (SLOW, CLIENTS)
    } else {
        eprintln!("note: open-file limit {fds}: attack scaled down to fit");
        (budget * 2 / 3, budget / 3)
    };
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/ops.md", PAGE)]);
    assert_eq!(run(&["build"], dir.path(), &[]).code, 0);
    let port = free_port();
    let child = Command::new(bin())
        .args(["serve", "--port", &port.to_string()])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start fleetdoc serve");
    let pid = child.id();
    let _guard = ChildGuard(child);
    wait_until("serve to answer", || {
        http::get(port, "localhost", "/ops/").is_ok_and(|r| r.status == 200)
    });
    // Warm up (buffers, threads), then take the baseline.
    assert_eq!(concurrent_clients(port, 100), 100);
    let before = resident_kib(pid);

    // Slow sockets: half send a request head that never ends, half nothing at all.
    let mut slow: Vec<TcpStream> = (0..slow_n).map(|_| connect(port)).collect();
    for s in slow.iter_mut().step_by(2) {
        s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            .expect("send");
    }
    // Ordinary requests are answered meanwhile, one by one and many at once.
    for _ in 0..20 {
        let r = http::get(port, "localhost", "/ops/").expect("ordinary request");
        assert_eq!(r.status, 200);
    }
    assert_eq!(concurrent_clients(port, clients_n), clients_n);
    let during = resident_kib(pid);
    drop(slow);

    // After the attack: still answering, memory back near where it was.
    assert_eq!(concurrent_clients(port, 100), 100);
    wait_until("the slow sockets to be let go", || {
        http::get(port, "localhost", "/ops/").is_ok_and(|r| r.status == 200)
    });
    if let (Some(before), Some(during)) = (before, during) {
        let mut after = resident_kib(pid).unwrap_or(u64::MAX);
        // Freed memory goes back to the system lazily; look a few times.
        for _ in 0..40 {
            if after <= 2 * before {
                break;
            }
            std::thread::sleep(Duration::from_millis(250));
            after = resident_kib(pid).unwrap_or(u64::MAX);
        }
        eprintln!("resident memory: {before} KiB before, {during} KiB during, {after} KiB after");
        assert!(
            after <= 2 * before,
            "memory after the attack ({after} KiB) is over twice the baseline ({before} KiB)"
        );
    }
}

/// Whether the server has closed `s` (without waiting: an open, silent socket has
/// nothing to read).
fn closed_by_server(s: &TcpStream) -> bool {
    s.set_nonblocking(true).expect("nonblocking");
    let mut buf = [0u8; 1];
    match (&*s).read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    }
}

/// A small connection cap for the test (set through the environment, docs/deploy.md),
/// and a flood of silent sockets well beyond it.
const CAP: usize = 64;
const FLOOD: usize = 4 * CAP;

#[test]
fn a_flood_beyond_the_connection_cap_pushes_out_only_its_own_sockets() {
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/ops.md", PAGE)]);
    assert_eq!(run(&["build"], dir.path(), &[]).code, 0);
    let port = free_port();
    let child = Command::new(bin())
        .args(["serve", "--port", &port.to_string()])
        .env("FLEETDOC_MAX_CONNECTIONS", CAP.to_string())
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start fleetdoc serve");
    let _guard = ChildGuard(child);
    wait_until("serve to answer", || {
        http::get(port, "localhost", "/ops/").is_ok_and(|r| r.status == 200)
    });
    let flood: Vec<TcpStream> = (0..FLOOD).map(|_| connect(port)).collect();
    // An ordinary client is answered while the flood is still there...
    let r = http::get(port, "localhost", "/ops/").expect("ordinary request");
    assert_eq!(r.status, 200);
    // ...because the oldest silent sockets made room, not because the flood timed out
    // (the header timeout would have closed every one of them).
    let open: Vec<bool> = flood.iter().map(|s| !closed_by_server(s)).collect();
    let still = open.iter().filter(|o| **o).count();
    assert!(
        still >= CAP - 2,
        "only {still} of {FLOOD} flood sockets still open when the ordinary request was answered"
    );
    assert!(open[FLOOD - 1], "the newest flood socket was closed first");
    assert!(!open[0], "the oldest flood socket is still open");
}

fn page(text: &str) -> String {
    format!("---\ntitle: Plain\n---\n\n{text}\n")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).expect("copy");
        }
    }
}

#[test]
fn watch_hears_edits_after_content_is_replaced_or_moved_back() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/plain.md", &page("first version")),
    ]);
    let root = dir.path();
    let w = start_watch(root);
    let served = |path: &str, text: &str| {
        http::get(w.port, "localhost", path).is_ok_and(|r| r.status == 200 && r.body.contains(text))
    };
    wait_until("the first page", || served("/plain/", "first version"));
    let backup = tempfile::tempdir().expect("backup");
    copy_dir(&root.join("content"), backup.path());
    std::fs::write(backup.path().join("plain.md"), page("from the backup")).expect("write");

    // `rm -rf content && cp -r backup content`, then an edit.
    std::fs::remove_dir_all(root.join("content")).expect("rm");
    copy_dir(backup.path(), &root.join("content"));
    wait_until("the replaced folder", || {
        served("/plain/", "from the backup")
    });
    std::fs::write(
        root.join("content/plain.md"),
        page("edited after rm and cp"),
    )
    .expect("edit");
    wait_until("an edit in the replaced folder", || {
        served("/plain/", "edited after rm and cp")
    });

    // `mv content away && cp -r away content`, then an edit and a new page.
    std::fs::rename(root.join("content"), root.join("content.away")).expect("mv");
    copy_dir(&root.join("content.away"), &root.join("content"));
    std::fs::remove_dir_all(root.join("content.away")).expect("rm");
    std::fs::write(root.join("content/plain.md"), page("edited after mv")).expect("edit");
    wait_until("an edit after the move", || {
        served("/plain/", "edited after mv")
    });
    std::fs::write(root.join("content/fresh.md"), "# Fresh\n\nA new page.\n").expect("new");
    wait_until("a new page after the move", || {
        served("/fresh/", "A new page.")
    });
}

#[test]
fn watch_serves_every_later_edit_after_rapid_saves_and_a_replaced_content() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/plain.md", &page("save 0")),
    ]);
    let root = dir.path();
    let w = start_watch(root);
    let served = |path: &str, text: &str| {
        http::get(w.port, "localhost", path).is_ok_and(|r| r.status == 200 && r.body.contains(text))
    };
    // 200 saves as fast as they can be written; the last one wins.
    for i in 1..=200 {
        std::fs::write(root.join("content/plain.md"), page(&format!("save {i}."))).expect("save");
    }
    wait_until("the last rapid save", || served("/plain/", "save 200."));
    // The folder replaced under the running watch.
    let copy = tempfile::tempdir().expect("copy");
    copy_dir(&root.join("content"), copy.path());
    std::fs::remove_dir_all(root.join("content")).expect("rm");
    copy_dir(copy.path(), &root.join("content"));
    // Every later edit is served, one after the other.
    for i in 1..=5 {
        let text = format!("later edit {i}.");
        std::fs::write(root.join("content/plain.md"), page(&text)).expect("edit");
        wait_until("a later edit", || served("/plain/", &text));
    }
}
