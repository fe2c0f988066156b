//! The public profile: `fleetdoc publish` and `fleetdoc check --public` leak nothing of an
//! internal page and no host address.

mod support;
use support::*;

const EXPLAINER: &str = "---\ntitle: How it works\nkind: explainer\nclassification: public\nsummary: The short version.\n---\n\n## Hosts\n\n```fleet\ntable: hosts\ncolumns: [name, address, role]\n```\n\n- See [the secret runbook](secret.md) for details\n\n## Topology\n\n```fleet\ndiagram: topology\n```\n";
const SECRET: &str = "---\ntitle: Secret runbook\n---\n\nThe vault key is TOPSECRET-4711.\n";

#[test]
fn publish_leaks_no_internal_page_and_no_address() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/how.md", EXPLAINER),
        ("content/secret.md", SECRET),
    ]);
    let target = tempfile::tempdir().unwrap();
    let r = run(
        &["publish", "--to", target.path().to_str().unwrap()],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "content/how.md:15:7: warning: link to `secret.md` removed from the public site"
        ),
        "{}",
        r.stderr
    );
    let files = tree(target.path());
    assert!(
        files.iter().any(|(p, _)| p.ends_with("how/index.html")),
        "{files:?}",
        files = files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert!(files.iter().any(|(p, _)| p.ends_with("poster-how.png")));
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for leak in [
            "TOPSECRET",
            "Secret runbook",
            "203.0.113.10",
            "203.0.113.20",
            "secret/",
            "host-link",
            "hosts/alpha/",
        ] {
            let at = text
                .find(leak)
                .map(|i| &text[i.saturating_sub(300)..(i + 100).min(text.len())]);
            assert!(at.is_none(), "{leak} leaked into {path}: {at:?}");
        }
    }
    let page = files
        .iter()
        .find(|(p, _)| p.ends_with("how/index.html"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap();
    assert!(
        !page.contains("the secret runbook")
            && page.contains("See (internal page) for details")
            && page.contains("<td>alpha</td>"),
        "the link to the internal page, its text included, is replaced; the address is redacted"
    );
    let index = read(target.path().join("index.json"));
    assert!(
        index.contains("How it works") && !index.contains("Secret"),
        "{index}"
    );
}

#[test]
fn check_public_lists_what_would_be_published_and_redacted() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/how.md", EXPLAINER),
        ("content/secret.md", SECRET),
    ]);
    let r = run(&["check", "--public"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("publish: content/how.md -> how/"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("withheld: content/secret.md (classification internal)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("redacted: address of host `alpha` (203.0.113.10) shown as `alpha`"),
        "{}",
        r.stdout
    );
    assert_eq!(
        run(&["check", "--public", "--strict"], dir.path(), &[]).code,
        1,
        "the removed link is a warning"
    );
}

#[test]
fn traefik_command_guards_internal_sites() {
    let settings =
        "serve:\n  hostname: docs.example.com\n  port: 8090\n  internal_allow: [10.0.0.0/8]\n";
    let dir = project(&[("fleetdoc.yaml", settings), ("content/secret.md", SECRET)]);
    let r = run(&["traefik"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Host(`docs.example.com`)")
            && r.stdout.contains("ipAllowList")
            && r.stdout.contains("10.0.0.0/8"),
        "{}",
        r.stdout
    );
    let r = run(&["traefik", "--labels"], dir.path(), &[]);
    assert!(
        r.stdout.contains("traefik.http.routers.") && r.stdout.contains("sourcerange=10.0.0.0/8"),
        "{}",
        r.stdout
    );
    let dir = project(&[("content/secret.md", SECRET)]);
    let r = run(&["traefik"], dir.path(), &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("serve.hostname"), "{}", r.stderr);
}

const SPELLINGS_FLEET: &str = "\
fleet:
  name: Test Fleet
hosts:
  alpha:
    address: 203.0.113.10
  gamma:
    address: 2001:DB8:0:0::42
  delta:
    address: db.internal.example
  epsilon:
    address: db
services:
  web:
    host: alpha
    kind: docker
    port: 8080
";

const SPELLINGS_PAGE: &str = "---\ntitle: Where things are\nkind: explainer\nclassification: public\nsummary: At 203.0.113.10:8080.\n---\n\n\
Reach 203.0.113.10:8080 or http://203.0.113.10:8080/ or ::ffff:203.0.113.10.\n\n\
The v6 side is [2001:db8::42]:443, also 2001:0DB8:0000:0000:0000:0000:0000:0042 and 2001:DB8:0:0::42.\n\n\
![the database](db.internal.example.png) and [notes](notes.txt.gz), [more](utf16.txt).\n\n\
Log in with `ssh admin@db` or open http://db:5432/. The db is small.\n";

/// The target's files and what a reader gets out of them: the bytes, gunzipped data and
/// UTF-16 text, each lowercased.
fn readable(dir: &std::path::Path) -> Vec<(String, String)> {
    use std::io::Read;
    let mut out = Vec::new();
    for (path, bytes) in tree(dir) {
        out.push((path.clone(), path.to_ascii_lowercase()));
        out.push((
            path.clone(),
            String::from_utf8_lossy(&bytes).to_ascii_lowercase(),
        ));
        let mut gz = String::new();
        if flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut gz)
            .is_ok()
        {
            out.push((path.clone(), gz.to_ascii_lowercase()));
        }
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        out.push((
            path.clone(),
            String::from_utf16_lossy(&units).to_ascii_lowercase(),
        ));
    }
    out
}

#[test]
fn publish_leaks_no_address_written_with_a_port_in_another_spelling_or_inside_a_file() {
    let dir = project(&[
        ("content/fleet.yaml", SPELLINGS_FLEET),
        ("content/where.md", SPELLINGS_PAGE),
    ]);
    std::fs::copy(
        dir.path().join("content/where.md"),
        dir.path().join("content/db.internal.example.png"),
    )
    .unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, b"db at 203.0.113.10:5432\n").unwrap();
    std::fs::write(
        dir.path().join("content/notes.txt.gz"),
        gz.finish().unwrap(),
    )
    .unwrap();
    let utf16: Vec<u8> = "web on [2001:db8::42]:443\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(dir.path().join("content/utf16.txt"), utf16).unwrap();
    let target = tempfile::tempdir().unwrap();
    let r = run(
        &["publish", "--to", target.path().to_str().unwrap()],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (path, text) in readable(target.path()) {
        for leak in [
            "203.0.113.10",
            "2001:db8::42",
            "2001:0db8",
            "2001:db8:0:0::42",
            "db.internal.example",
            "admin@db",
            "//db:",
        ] {
            let at = text
                .find(leak)
                .map(|i| &text[i.saturating_sub(100)..(i + 60).min(text.len())]);
            assert!(at.is_none(), "{leak} leaked into {path}: {at:?}");
        }
    }
    let page = tree(target.path())
        .into_iter()
        .find(|(p, _)| p.ends_with("where/index.html"))
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .expect("the page is published");
    assert!(
        page.contains("alpha:8080")
            && page.contains("[gamma]:443")
            && page.contains("ssh admin@epsilon")
            && page.contains("The db is small."),
        "{page}"
    );
}

#[test]
fn check_public_lists_every_address_left_in_the_public_site_with_its_position() {
    let dir = project(&[
        ("content/fleet.yaml", SPELLINGS_FLEET),
        (
            "content/where.md",
            "---\ntitle: Where\nclassification: public\n---\n\nNothing here.\n",
        ),
        (
            "fleetdoc.yaml",
            "title: Ops at 203.0.113.10:8080 and [2001:db8::42]:443\n",
        ),
    ]);
    let r = run(&["check", "--public"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for find in [
        ": error: the public site would publish `203.0.113.10` here",
        ": error: the public site would publish `2001:db8::42` here",
        "index.json (the brainstorming index):",
    ] {
        assert!(r.stderr.contains(find), "{find} not in {}", r.stderr);
    }
    assert!(
        r.stderr
            .lines()
            .any(|l| l.starts_with("site/where/index.html:") && !l.contains(":1:1:")),
        "every find with its line and column: {}",
        r.stderr
    );
}
