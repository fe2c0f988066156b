//! The uptime bars of a service over 24 h, 7 d, 30 d and 90 d as inline SVG, no script:
//! one bar per slot, colored up, partial (some checks failed), down, maintenance (a
//! half-height bar in the accent colour: nothing counted, a declared window covers the slot), or
//! no data (a short grey bar, never shown as up). Each drawing's `aria-label` says its figures, and the
//! uptime over the span is written beside it as text.

use crate::analyze::uptime_bars::{SlotState, SpanBars};
use crate::render::availability::percent;
use crate::render::tables::esc;
use serde::Serialize;

/// Width of a slot and the bar inside it, in px.
const STEP: usize = 4;
const BAR: usize = 3;
const HEIGHT: usize = 16;

/// One span as the templates show it.
#[derive(Serialize)]
pub struct SpanView {
    /// `24 h`.
    pub label: &'static str,
    /// `99.95%`, or `None` without data.
    pub uptime: Option<String>,
    pub svg: String,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What the drawing says, in words: `Forge, last 24 hours: 99.3% up; 22 hours up, 1 partly
/// down, 1 down, none without data`.
pub fn text(name: &str, bars: &SpanBars) -> String {
    let (_, hours) = bars.span.slots();
    let (one, many) = match hours {
        1 => ("hour", "hours"),
        24 => ("day", "days"),
        h if h % 24 == 0 => ("3-day slot", "3-day slots"),
        _ => ("6-hour slot", "6-hour slots"),
    };
    let uptime = match bars.uptime() {
        Some(u) => format!("{} up", percent(u)),
        None => "no data".into(),
    };
    let mut parts = vec![format!(
        "{} up",
        plural(bars.count(SlotState::Up), one, many)
    )];
    for (state, words) in [
        (SlotState::Partial, "partly down"),
        (SlotState::Down, "down"),
        (SlotState::Maintenance, "in maintenance"),
        (SlotState::NoData, "without data"),
    ] {
        let n = bars.count(state);
        if n > 0 {
            parts.push(format!("{n} {words}"));
        }
    }
    format!(
        "{name}, {}: {uptime}; {}",
        bars.span.words(),
        parts.join(", ")
    )
}

/// One span's bars, oldest on the left.
pub fn svg(name: &str, bars: &SpanBars) -> String {
    let w = bars.slots.len() * STEP;
    let mut s = format!(
        "<svg class=\"uptime-bars\" width=\"{w}\" height=\"{HEIGHT}\" viewBox=\"0 0 {w} {HEIGHT}\" role=\"img\" aria-label=\"{}\">",
        esc(&text(name, bars))
    );
    for (i, slot) in bars.slots.iter().enumerate() {
        let state = slot.state();
        let (y, h) = match state {
            SlotState::NoData => (HEIGHT - 4, 4),
            SlotState::Maintenance => (HEIGHT / 2, HEIGHT / 2),
            _ => (0, HEIGHT),
        };
        s.push_str(&format!(
            "<rect class=\"{}\" x=\"{}\" y=\"{y}\" width=\"{BAR}\" height=\"{h}\"/>",
            state.as_str(),
            i * STEP
        ));
    }
    s.push_str("</svg>");
    s
}

/// Every span of a service, for a template.
pub fn views(name: &str, spans: &[SpanBars]) -> Vec<SpanView> {
    spans
        .iter()
        .map(|b| SpanView {
            label: b.span.label(),
            uptime: b.uptime().map(percent),
            svg: svg(name, b),
        })
        .collect()
}

/// The spans as one table cell's HTML (the status table's `uptime_bars` column): each
/// span's label, bars and figure on a line of its own.
pub fn cell_html(name: &str, spans: &[SpanBars]) -> String {
    let mut h = String::from("<span class=\"uptime-spans\">");
    for v in views(name, spans) {
        h.push_str(&format!(
            "<span class=\"uptime-span\"><span class=\"uptime-label\">{}</span> {} <span class=\"uptime-figure\">{}</span></span>",
            v.label,
            v.svg,
            v.uptime.as_deref().unwrap_or("no data")
        ));
    }
    h.push_str("</span>");
    h
}
