//! A diagram that lives in git must not be redrawn from scratch by a small edit: a service
//! added to a host of the 40-host fleet moves no box outside that host's row or column; one
//! added, removed or renamed in one host moves no box outside that host's column (a
//! renamed service whose name widens its host moves the columns to the right over), the
//! order hosts are declared in does not matter, and the author's layout hints (columns,
//! order, pins) are followed.

mod check;
mod common;
use check::{boxes, BoxEl};
use common::*;
use fleetdoc_diagram::*;

fn drawn(d: &Diagram) -> (String, Vec<BoxEl>) {
    let svg = render(d).text;
    let doc = roxmltree::Document::parse(&svg).expect("SVG parses");
    let b = boxes(&doc);
    (svg.clone(), b)
}

fn host_rect<'a>(b: &'a [BoxEl], id: &str) -> &'a BoxEl {
    b.iter()
        .find(|x| x.class == "host" && x.id == id)
        .unwrap_or_else(|| panic!("host {id} drawn"))
}

/// The hosts whose left edge (`column`) or top edge (row) is that of host `host`.
fn line_of<'a>(before: &'a [BoxEl], host: &str, column: bool) -> Vec<&'a str> {
    let at = |b: &BoxEl| if column { b.rect.x } else { b.rect.y };
    let x = at(host_rect(before, host));
    before
        .iter()
        .filter(|b| b.class == "host" && (at(b) - x).abs() < 0.01)
        .map(|b| b.id.as_str())
        .collect()
}

/// Boxes of `before` that moved in `after` and lie outside the column (or row) of host
/// `host`, plus how many boxes were compared.
fn moved_outside(
    before: &[BoxEl],
    after: &[BoxEl],
    host: &str,
    column: bool,
) -> (Vec<String>, usize) {
    let line = line_of(before, host, column);
    let outside = |b: &&BoxEl| {
        let h = if b.class == "host" {
            Some(b.id.as_str())
        } else {
            b.host.as_deref()
        };
        !h.is_some_and(|h| line.contains(&h))
    };
    let mut moved = Vec::new();
    let mut compared = 0;
    for b in before.iter().filter(outside) {
        compared += 1;
        let same = after
            .iter()
            .find(|a| a.class == b.class && a.id == b.id)
            .is_some_and(|a| a.rect == b.rect);
        if !same {
            moved.push(format!("{} {}", b.class, b.id));
        }
    }
    (moved, compared)
}

fn moved_outside_column(before: &[BoxEl], after: &[BoxEl], host: &str) -> (Vec<String>, usize) {
    moved_outside(before, after, host, true)
}

fn service(id: &str, label: &str) -> ServiceBox {
    ServiceBox {
        id: id.into(),
        label: label.into(),
        details: vec!["docker".into(), ":9100".into()],
        ..ServiceBox::default()
    }
}

/// The host keeps its height (the service fits the free place in its last row of boxes), so
/// nothing outside it moves: none in other rows, none in other columns.
#[test]
fn one_service_added_to_one_host_of_the_40_host_fleet_moves_no_box_outside_its_row_or_column() {
    let base = big_fleet(40, 400, 7);
    let (_, before) = drawn(&base);
    for host in ["host-0", "host-17", "host-39"] {
        let mut d = base.clone();
        let h = d.hosts.iter_mut().find(|h| h.id == host).expect("host");
        h.services
            .push(service(&format!("{host}-extra"), "node exporter"));
        let (_, after) = drawn(&d);
        assert!(
            after.iter().any(|b| b.id == format!("{host}-extra")),
            "the new service is drawn"
        );
        for (column, line) in [(false, "row"), (true, "column")] {
            let (moved, compared) = moved_outside(&before, &after, host, column);
            assert!(
                compared > 250,
                "most boxes lie outside one {line}: {compared}"
            );
            assert!(
                moved.is_empty(),
                "adding a service to {host} moved {} of {compared} boxes outside its {line}: {:?}",
                moved.len(),
                &moved[..moved.len().min(5)]
            );
        }
    }
}

#[test]
fn one_service_removed_or_renamed_moves_no_box_outside_its_column() {
    let base = big_fleet(40, 400, 7);
    let (_, before) = drawn(&base);
    let mut removed = base.clone();
    removed.hosts[21].services.remove(2);
    let mut renamed = base.clone();
    // A new name that fits the box width the host already has (a name wider than every
    // box of its host widens the host, and then the columns to its right move over).
    renamed.hosts[5].services[1].label = "billing API".into();
    for (d, host, what) in [
        (removed, "host-21", "removing"),
        (renamed, "host-5", "renaming"),
    ] {
        let (_, after) = drawn(&d);
        let (moved, compared) = moved_outside_column(&before, &after, host);
        assert!(
            moved.is_empty(),
            "{what} a service in {host} moved {} of {compared} boxes outside its column: {:?}",
            moved.len(),
            &moved[..moved.len().min(5)]
        );
    }
}

#[test]
fn the_order_hosts_are_declared_in_does_not_change_the_drawing() {
    let d = example_topology();
    let mut reversed = d.clone();
    reversed.hosts.reverse();
    assert_eq!(render(&d).text, render(&reversed).text);
    let big = big_fleet(12, 60, 3);
    let mut shuffled = big.clone();
    shuffled.hosts.rotate_left(5);
    shuffled.hosts.swap(1, 7);
    assert_eq!(render(&big).text, render(&shuffled).text);
}

#[test]
fn layout_hints_set_columns_order_and_pins() {
    let mut d = example_topology();
    d.layout = Layout {
        columns: Some(1),
        order: vec!["gamma".into(), "no-such-host".into()],
        pins: vec![],
    };
    let (_, b) = drawn(&d);
    let (g, a, be) = (
        host_rect(&b, "gamma").rect,
        host_rect(&b, "alpha").rect,
        host_rect(&b, "beta").rect,
    );
    assert!(
        (g.x - a.x).abs() < 0.01 && (a.x - be.x).abs() < 0.01,
        "one column"
    );
    assert!(g.y < a.y && a.y < be.y, "gamma first, then by key");

    d.layout = Layout {
        columns: Some(3),
        order: vec![],
        pins: vec![("alpha".into(), 7), ("gone".into(), 0)],
    };
    let (_, b) = drawn(&d);
    let (g, a, be) = (
        host_rect(&b, "gamma").rect,
        host_rect(&b, "alpha").rect,
        host_rect(&b, "beta").rect,
    );
    // Unpinned hosts fill the columns; a pin past the last column means the last one.
    assert!(
        a.x > g.x && a.x >= be.x,
        "alpha pinned to the last column: {a:?} {g:?} {be:?}"
    );
    assert_eq!(
        check::check_topology(&render(&d).text),
        Ok(()),
        "a pinned layout keeps every invariant"
    );
}
