//! `fleetdoc sync`: generated regions inside a hand-written README stay equal to the
//! fleet; `--check` writes nothing and fails naming the stale region at its line.

mod support;
use support::*;

const README: &str = "\
# Platform

Hand-written introduction, kept as it is.

## Hosts

<!-- fleetdoc:begin table: hosts columns: [id, address, role] -->
<!-- fleetdoc:end -->

Text between the regions.

```markdown
<!-- fleetdoc:begin table: links -->
this fenced example is not a region
```

## Services on alpha

<!-- fleetdoc:begin
  table: services
  host: alpha
  columns: [name, kind, ports, public]
-->
stale text that sync replaces
<!-- fleetdoc:end -->

The end.
";

const SYNCED: &str = "\
# Platform

Hand-written introduction, kept as it is.

## Hosts

<!-- fleetdoc:begin table: hosts columns: [id, address, role] -->
| ID | Address | Role |
|---|---|---|
| alpha | 203.0.113.10 | Primary |
| beta | 203.0.113.20 | Testbed |
<!-- fleetdoc:end -->

Text between the regions.

```markdown
<!-- fleetdoc:begin table: links -->
this fenced example is not a region
```

## Services on alpha

<!-- fleetdoc:begin
  table: services
  host: alpha
  columns: [name, kind, ports, public]
-->
| Name | Kind | Ports | Public |
|---|---|---|---|
| traefik | docker (ingress) | 80, 443 |  |
| forge | docker | 3000 | forge.example.com |
<!-- fleetdoc:end -->

The end.
";

fn repo_with_readme() -> tempfile::TempDir {
    project(&[
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", PAGE),
        ("README.md", README),
    ])
}

#[test]
fn sync_fills_both_regions_and_keeps_the_hand_written_text() {
    let dir = repo_with_readme();
    let r = run(&["sync", "README.md"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(read(dir.path().join("README.md")), SYNCED);
    assert!(
        r.stderr.contains("2 regions, 2 refreshed in 1 file"),
        "{}",
        r.stderr
    );
    // A second run finds nothing to do, and --check agrees.
    let again = run(&["sync", "README.md"], dir.path(), &[]);
    assert!(
        again.stderr.contains("2 regions, 0 refreshed in 0 files"),
        "{}",
        again.stderr
    );
    let check = run(&["sync", "--check", "README.md"], dir.path(), &[]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn sync_check_fails_at_the_stale_regions_line_and_writes_nothing() {
    let dir = repo_with_readme();
    assert_eq!(run(&["sync", "README.md"], dir.path(), &[]).code, 0);
    // The topology changes: alpha's role. Only the hosts region is stale now.
    let fleet = FLEET.replace("role: Primary", "role: Primary stack");
    std::fs::write(dir.path().join("content/fleet.yaml"), fleet).unwrap();
    let check = run(&["sync", "--check", "README.md"], dir.path(), &[]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert_eq!(
        check.stderr,
        "README.md:7:1: error: region `table: hosts columns: [id, address, role]` is stale; \
         run `fleetdoc sync README.md` to refresh it\nfleetdoc: 1 error, 0 warnings\n"
    );
    assert_eq!(read(dir.path().join("README.md")), SYNCED, "--check wrote");
    let r = run(&["sync", "README.md"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        read(dir.path().join("README.md")),
        SYNCED.replace("| Primary |", "| Primary stack |")
    );
    assert_eq!(
        run(&["sync", "--check", "README.md"], dir.path(), &[]).code,
        0
    );
}

#[test]
fn sync_reports_bad_regions_at_their_lines() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        (
            "docs/ops.md",
            "# Ops\n\n<!-- fleetdoc:begin table: hostz -->\n<!-- fleetdoc:end -->\n\n<!-- fleetdoc:begin summary: status -->\nnever closed\n",
        ),
    ]);
    let r = run(&["sync", "--check", "docs/ops.md"], dir.path(), &[]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert!(
        lines[0].starts_with("docs/ops.md:3:")
            && lines[0].contains("unknown table `hostz`; did you mean `hosts`?"),
        "{}",
        r.stderr
    );
    assert!(
        lines[1].starts_with("docs/ops.md:6:1: error: this fleetdoc region never ends"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_diagram_region_links_the_built_sites_png_from_the_files_folder() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        (
            "docs/overview.md",
            "# Overview\n\n<!-- fleetdoc:begin diagram: topology -->\n<!-- fleetdoc:end -->\n\n<!-- fleetdoc:begin summary: status -->\n<!-- fleetdoc:end -->\n",
        ),
    ]);
    let r = run(&["sync", "docs/overview.md"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        read(dir.path().join("docs/overview.md")),
        "# Overview\n\n<!-- fleetdoc:begin diagram: topology -->\n![Test Fleet topology](../site/diagrams/topology.png)\n<!-- fleetdoc:end -->\n\n<!-- fleetdoc:begin summary: status -->\nNo probe data yet: public surface health is unknown.\n<!-- fleetdoc:end -->\n"
    );
}

#[test]
fn sync_keeps_the_files_owner_group_and_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = repo_with_readme();
    let readme = dir.path().join("README.md");
    // Another user's file (as root, which CI runs as); elsewhere the test says skipped.
    if std::os::unix::fs::chown(&readme, Some(65534), Some(65534)).is_err() {
        eprintln!("skipped: giving a file to another user needs root");
        return;
    }
    std::fs::set_permissions(&readme, std::fs::Permissions::from_mode(0o640)).unwrap();
    let r = run(&["sync", "README.md"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(read(&readme), SYNCED);
    let meta = std::fs::metadata(&readme).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534), "owner changed");
    assert_eq!(meta.permissions().mode() & 0o7777, 0o640, "mode changed");
}

/// Markers in an indented code block, and in a fenced block indented inside a list item,
/// were taken for regions: a table was injected into the README's example.
#[test]
fn markers_in_indented_code_and_in_a_list_items_code_block_are_text() {
    let readme = "\
# Using fleetdoc

1. Put a region in your README:

   ```markdown
   <!-- fleetdoc:begin table: hosts -->
   <!-- fleetdoc:end -->
   ```

2. Or, as an indented example:

        <!-- fleetdoc:begin table: links -->
        <!-- fleetdoc:end -->

The end.
";
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", PAGE),
        ("README.md", readme),
    ]);
    let r = run(&["sync", "README.md"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(read(dir.path().join("README.md")), readme);
    assert!(
        r.stderr.contains("0 regions, 0 refreshed in 0 files"),
        "{}",
        r.stderr
    );
}

/// A CRLF file got LF lines in its regions, and an up-to-date CRLF file always failed
/// `--check`.
#[test]
fn a_crlf_readme_keeps_its_line_endings_and_passes_check_once_synced() {
    let crlf = README.replace('\n', "\r\n");
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", PAGE),
        ("README.md", &crlf),
    ]);
    let r = run(&["sync", "README.md"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(dir.path().join("README.md")).unwrap();
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        SYNCED.replace('\n', "\r\n")
    );
    let check = run(&["sync", "--check", "README.md"], dir.path(), &[]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

/// A symlinked README was replaced by a regular file.
#[test]
fn sync_writes_through_a_symlinked_readme_to_its_target() {
    let dir = repo_with_readme();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::rename(
        dir.path().join("README.md"),
        dir.path().join("docs/README.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink("docs/README.md", dir.path().join("README.md")).unwrap();
    let r = run(&["sync", "README.md"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let link = std::fs::symlink_metadata(dir.path().join("README.md")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    assert_eq!(read(dir.path().join("docs/README.md")), SYNCED);
}

/// A misspelt key on a one-line marker was read as part of the value before it.
#[test]
fn a_misspelt_key_on_a_one_line_marker_is_named_with_the_key_it_means() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", PAGE),
        (
            "README.md",
            "<!-- fleetdoc:begin table: services hots: alpha -->\n<!-- fleetdoc:end -->\n",
        ),
    ]);
    let r = run(&["sync", "README.md"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("did you mean `host`"), "{}", r.stderr);
}

/// A `badge:` region links the service's status badge: beside the built site without
/// `url:`, absolute under it (so a README on a forge shows the live badge); a misspelt
/// service is an error at the marker's line with the closest id.
#[test]
fn a_badge_region_links_the_services_badge() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        (
            "docs/status.md",
            "# Status\n\n<!-- fleetdoc:begin badge: forge -->\n<!-- fleetdoc:end -->\n",
        ),
        (
            "README.md",
            "# Ops\n\n<!-- fleetdoc:begin badge: froge -->\n<!-- fleetdoc:end -->\n",
        ),
    ]);
    let r = run(&["sync", "docs/status.md"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        read(dir.path().join("docs/status.md")),
        "# Status\n\n<!-- fleetdoc:begin badge: forge -->\n![forge: unknown, no uptime data](../site/badges/forge.svg)\n<!-- fleetdoc:end -->\n"
    );
    std::fs::write(
        dir.path().join("fleetdoc.yaml"),
        "url: https://docs.example.com\n",
    )
    .unwrap();
    let r = run(&["sync", "docs/status.md"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(read(dir.path().join("docs/status.md"))
        .contains("![forge: unknown, no uptime data](https://docs.example.com/badges/forge.svg)"));
    let r = run(&["sync", "README.md"], dir.path(), &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("README.md:3:"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("no service `froge`; did you mean `forge`?"),
        "{}",
        r.stderr
    );
}
