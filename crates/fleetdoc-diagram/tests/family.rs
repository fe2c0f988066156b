//! The fleets users actually run (2 to 8 hosts, `common::common_fleet`): the hosts of such
//! a fleet are arranged against the whole drawing's crossings and length (see README:
//! "Hosts"). A handful of seeded fleets of the family guard that result cheaply: their
//! crossings stay within the recorded bound (the comparison benchmark draws fifty of
//! them against Graphviz and Mermaid), no two unrelated edges share a track, every edge
//! finds a route, and every drawing keeps the layout invariants.

mod check;
mod common;
use common::*;
use fleetdoc_diagram::*;

/// Seeds drawn here, and the crossings fleetdoc draws on them in all (with hosts in the
/// order of stable keys and 90 px per crossing in the router they drew 72; before group
/// members were placed under their partners, 59; before boxes were swapped against the
/// routed drawing, 42).
const SEEDS: std::ops::RangeInclusive<u64> = 1..=10;
const CROSSINGS_AT_MOST: usize = 35;

#[test]
fn common_fleets_are_arranged_against_their_crossings() {
    let mut total = 0;
    let mut each = Vec::new();
    for seed in SEEDS {
        let d = common_fleet(seed);
        let (svg, stats) = render_with_stats(&d);
        assert_eq!(check::check_topology(&svg.text), Ok(()), "fleet {seed}");
        assert_eq!(
            stats.shared_tracks, 0,
            "fleet {seed}: unrelated edges on one track"
        );
        assert_eq!(stats.unrouted, 0, "fleet {seed}");
        total += stats.crossings;
        each.push(stats.crossings);
    }
    assert!(
        total <= CROSSINGS_AT_MOST,
        "{total} crossings on the seeded common fleets (each: {each:?}), at most {CROSSINGS_AT_MOST}"
    );
}

#[test]
fn common_fleets_are_drawn_the_same_whatever_order_hosts_are_declared_in() {
    for seed in [3, 7] {
        let d = common_fleet(seed);
        let mut r = d.clone();
        r.hosts.reverse();
        assert_eq!(render(&d).text, render(&r).text, "fleet {seed}");
    }
}

/// Fleets 38 and 48 of the family: a group's members were laid out in input order, so a
/// member joined to the right-hand column sat on the left and its line crossed its
/// neighbour's (2 and 3 crossings where Graphviz draws 0). Each member now sits under the
/// column of the boxes it is joined to.
#[test]
fn group_members_sit_under_the_boxes_they_link_to() {
    for seed in [38, 48] {
        let d = common_fleet(seed);
        let (svg, stats) = render_with_stats(&d);
        assert_eq!(check::check_topology(&svg.text), Ok(()), "fleet {seed}");
        assert_eq!(stats.crossings, 0, "fleet {seed}: crossings");
        assert_eq!(stats.shared_tracks, 0, "fleet {seed}: shared tracks");
    }
}

/// Fleet 11 of the family: two unrelated lines ran on one track (the nudger found no free
/// track for one of them in the channel they shared).
#[test]
fn fleet_11_puts_no_unrelated_edges_on_one_track() {
    let d = common_fleet(11);
    let (svg, stats) = render_with_stats(&d);
    let (n, first) = check::shared_tracks(&svg.text);
    assert_eq!((n, stats.shared_tracks), (0, 0), "{first:?}");
}

/// Fleets 13 and 17 of the family: every host's boxes were ordered from that host's lines
/// alone, and the drawing kept 4 and 2 crossings where Graphviz draws 2 and 1. Boxes at the
/// ends of crossing lines are now swapped with their neighbours against the routed drawing
/// (`src/swaps.rs`).
#[test]
fn boxes_at_crossing_lines_are_swapped_against_the_whole_drawing() {
    for (seed, dot) in [(13, 2), (17, 1)] {
        let d = common_fleet(seed);
        let (svg, stats) = render_with_stats(&d);
        assert_eq!(check::check_topology(&svg.text), Ok(()), "fleet {seed}");
        assert!(
            stats.crossings <= dot,
            "fleet {seed}: {} crossings, dot draws {dot}",
            stats.crossings
        );
    }
}

/// Line ends on the side of a box turned away from the other end of the line (the line
/// leaves against the direction it is going), over the seeded fleets, and the most allowed
/// (before ports paid for that, 42 of 478 ends; see README: "Edges").
const PORTS_AWAY_AT_MOST: usize = 30;

#[test]
fn ports_face_the_other_end_of_their_line() {
    let (mut away, mut all) = (0, 0);
    for seed in SEEDS {
        let svg = render(&common_fleet(seed));
        let (a, n) = check::ports_turned_away(&svg.text);
        away += a;
        all += n;
    }
    assert!(
        away <= PORTS_AWAY_AT_MOST,
        "{away} of {all} line ends turned away from the other end, at most {PORTS_AWAY_AT_MOST}"
    );
}

/// Pairs of a line from the Internet and an unrelated plain link running side by side
/// (parallel, under 8.5 px apart: on one track or the next) over the whole family of 50
/// fleets (before the router charged for it, 39), and the most allowed. Not yet 0: where
/// one channel is the only way down, the two still run in it side by side.
const INTERNET_BESIDE_LINKS_AT_MOST: usize = 25;

#[test]
fn internet_lines_keep_apart_from_plain_links() {
    let mut n = 0;
    let mut first = None;
    for seed in 1..=50 {
        let svg = render(&common_fleet(seed));
        let (k, f) = check::internet_beside_links(&svg.text, 8.5);
        n += k;
        if first.is_none() {
            first = f.map(|f| format!("fleet {seed}: {f}"));
        }
    }
    assert!(
        n <= INTERNET_BESIDE_LINKS_AT_MOST,
        "{n} pairs side by side, at most {INTERNET_BESIDE_LINKS_AT_MOST}; first: {first:?}"
    );
}
