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
