//! How input files are decoded: a UTF-8 byte order mark, as some Windows editors write
//! one, is accepted at the start of every YAML, Markdown and probe JSON input, and
//! positions in messages stay those the editor shows.

mod support;
use support::*;

const BOM: &str = "\u{feff}";

fn bommed(text: &str) -> String {
    format!("{BOM}{text}")
}

fn snapshot() -> String {
    "{\"taken_at\": \"2026-04-06T09:00:00Z\", \"probe\": \"board\", \"results\": [\
     {\"check\": \"http\", \"target\": \"https://forge.example.com/\", \"ok\": true, \"status\": 200}]}"
        .to_string()
}

/// The same project with and without a BOM on every input builds the same site.
#[test]
fn a_utf8_bom_at_the_start_of_an_input_is_accepted() {
    let settings = "title: Ops Docs\nurl: https://docs.example.com\n";
    let page = "---\ntitle: Ops\nkind: runbook\nclassification: public\n---\n\n## Hosts\n\n```fleet\ntable: status\n```\n";
    let plain = project(&[
        ("fleetdoc.yaml", settings),
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", page),
        ("content/probes/a.json", &snapshot()),
    ]);
    let with_bom = project(&[
        ("fleetdoc.yaml", &bommed(settings)),
        ("content/fleet.yaml", &bommed(FLEET)),
        ("content/ops.md", &bommed(page)),
        ("content/probes/a.json", &bommed(&snapshot())),
    ]);
    let env = [("SOURCE_DATE_EPOCH", "1775466600")];
    let a = run(&["build"], plain.path(), &env);
    assert_eq!(a.code, 0, "{}", a.stderr);
    let b = run(&["build"], with_bom.path(), &env);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert_eq!(b.stderr, a.stderr, "no new message for a BOM");
    let site = |d: &std::path::Path| tree(&d.join("site"));
    assert!(
        site(with_bom.path()) == site(plain.path()),
        "a BOM changes what is built"
    );
    let ops = read(with_bom.path().join("site/ops/index.html"));
    assert!(ops.contains("<title>Ops"), "front matter read: {ops}");
    assert!(
        ops.contains("1 / 1 public surfaces healthy at 2026-04-06 09:00 UTC"),
        "snapshot read: {ops}"
    );
}

/// A problem on the first line of a file with a BOM is reported at the column the editor
/// shows (the BOM is not a character of the line).
#[test]
fn a_bom_does_not_shift_positions_on_the_first_line() {
    let dir = project(&[
        ("fleetdoc.yaml", &bommed("titel: Ops Docs\n")),
        (
            "content/fleet.yaml",
            &bommed("hosts: {alpha: {address: 203.0.113.10, rol: x}}\n"),
        ),
    ]);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let expected = [
        "content/fleet.yaml:1:40: error: unknown key `rol` in host `alpha`; did you mean `role`?",
        "fleetdoc.yaml:1:1: error: unknown key `titel` in fleetdoc.yaml; did you mean `title`?",
    ];
    for line in expected {
        assert!(
            r.stderr.lines().any(|l| l == line),
            "expected `{line}` in\n{}",
            r.stderr
        );
    }
    assert!(!r.stderr.contains('\u{feff}'), "{}", r.stderr);
}
