//! The site folder is replaced in one step: a reader looking at it while builds swap new
//! sites in always finds a whole site, never no site.

use fleetdoc::render::output::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const SWAPS: usize = 300;

fn output(round: usize) -> Output {
    let mut out = Output::default();
    out.bytes("index.html", format!("<p>round {round}</p>\n"));
    out.bytes("a/index.html", format!("<p>a {round}</p>\n"));
    out
}

#[test]
fn the_site_folder_never_disappears_during_a_swap() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    fleetdoc::write::write_site(&site, &output(0)).expect("first write");
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (done, index) = (done.clone(), site.join("index.html"));
        std::thread::spawn(move || {
            let (mut looks, mut misses) = (0u64, 0u64);
            while !done.load(Ordering::Relaxed) {
                looks += 1;
                if std::fs::metadata(&index).is_err() {
                    misses += 1;
                }
            }
            (looks, misses)
        })
    };
    for round in 1..=SWAPS {
        fleetdoc::write::write_site(&site, &output(round)).expect("write");
    }
    done.store(true, Ordering::Relaxed);
    let (looks, misses) = reader.join().expect("reader");
    assert_eq!(
        misses, 0,
        "the site was missing {misses} times in {looks} looks"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| n != "site")
        .collect();
    assert!(left.is_empty(), "temporary folders left: {left:?}");
}
