//! Reading the results of a snapshot one value at a time. Snapshots come from any tool, and
//! one bad number (`"latency_ms": -5`, `"status": 99999`) must not throw away everything
//! else a probe saw: a bad optional value is left out, a result without a usable `check`,
//! `target` or `ok` is skipped, and each problem becomes one warning at the value's own
//! line and column (found from where serde_json's raw value sits in the file).

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::limits::{MAX_LATENCY_MS, STATUS_RANGE};
use crate::snapshot::{CheckKind, CheckResult, Position, SnapshotWarning, ValueProblem};
use crate::text::clean;

/// Longest piece of a bad value quoted in a warning, in characters.
const QUOTE_CHARS: usize = 40;

/// Byte offset of a raw value inside the text it was parsed from.
pub(crate) fn offset(text: &[u8], raw: &RawValue) -> usize {
    (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// Line starts of a text, to turn byte offsets into positions.
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(text: &[u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { starts }
    }

    pub(crate) fn position(&self, offset: usize) -> Position {
        let line = self.starts.partition_point(|s| *s <= offset);
        let start = self.starts[line.saturating_sub(1)];
        Position {
            line: line.max(1),
            column: offset - start + 1,
        }
    }
}

/// One result as written: every field kept raw, so each is judged on its own. Unknown
/// fields written by other tools are ignored.
#[derive(Deserialize)]
struct WireResult<'a> {
    #[serde(borrow, default)]
    check: Option<&'a RawValue>,
    #[serde(borrow, default)]
    host: Option<&'a RawValue>,
    #[serde(borrow, default)]
    target: Option<&'a RawValue>,
    #[serde(borrow, default)]
    name: Option<&'a RawValue>,
    #[serde(borrow, default)]
    checked_at: Option<&'a RawValue>,
    #[serde(borrow, default)]
    ok: Option<&'a RawValue>,
    #[serde(borrow, default)]
    status: Option<&'a RawValue>,
    #[serde(borrow, default)]
    latency_ms: Option<&'a RawValue>,
    #[serde(borrow, default)]
    tls_expires: Option<&'a RawValue>,
    #[serde(borrow, default)]
    state: Option<&'a RawValue>,
    #[serde(borrow, default)]
    error: Option<&'a RawValue>,
}

/// Reads every raw result; returns the usable ones and one warning per problem, in file order.
pub(crate) fn results(
    text: &[u8],
    lines: &Lines,
    raw: &[&RawValue],
) -> (Vec<CheckResult>, Vec<SnapshotWarning>) {
    let mut reader = Reader {
        text,
        lines,
        warnings: Vec::new(),
        index: 0,
    };
    let mut out = Vec::with_capacity(raw.len());
    for (index, r) in raw.iter().enumerate() {
        reader.index = index;
        out.extend(reader.result(r));
    }
    let mut warnings = reader.warnings;
    warnings.sort_by_key(|w| w.at);
    (out, warnings)
}

struct Reader<'t> {
    text: &'t [u8],
    lines: &'t Lines,
    warnings: Vec<SnapshotWarning>,
    index: usize,
}

impl Reader<'_> {
    fn warn(&mut self, raw: &RawValue, problem: ValueProblem) {
        let at = self.lines.position(offset(self.text, raw));
        self.warnings.push(SnapshotWarning {
            at,
            index: self.index,
            problem,
        });
    }

    fn skip(&mut self, raw: &RawValue, reason: String) -> Option<CheckResult> {
        self.warn(raw, ValueProblem::ResultSkipped { reason });
        None
    }

    fn result(&mut self, raw: &RawValue) -> Option<CheckResult> {
        let wire: WireResult = match serde_json::from_str(raw.get()) {
            Ok(w) => w,
            Err(e) if e.to_string().starts_with("duplicate field") => {
                let msg = e.to_string();
                let field = msg.split('`').nth(1).unwrap_or("?").to_string();
                return self.skip(raw, format!("`{field}` is written twice"));
            }
            Err(_) => {
                return self.skip(
                    raw,
                    format!(
                        "expected an object with `check`, `target` and `ok`, found `{}`",
                        quote(raw)
                    ),
                )
            }
        };
        let check = match wire.check {
            None => return self.skip(raw, "it has no `check`".into()),
            Some(v) => match serde_json::from_str::<CheckKind>(v.get()) {
                Ok(k) => k,
                Err(_) => {
                    return self.skip(
                        v,
                        format!(
                            "`check` must be one of http, systemd, docker, tcp, udp, icmp, dns, route, container, unit, found `{}`",
                            quote(v)
                        ),
                    )
                }
            },
        };
        let target = match wire.target {
            None => return self.skip(raw, "it has no `target`".into()),
            Some(v) => match serde_json::from_str::<String>(v.get()) {
                Ok(t) => t,
                Err(_) => {
                    return self.skip(v, format!("`target` must be text, found `{}`", quote(v)))
                }
            },
        };
        let ok = match wire.ok {
            None => return self.skip(raw, "it has no `ok`".into()),
            Some(v) => match serde_json::from_str::<bool>(v.get()) {
                Ok(b) => b,
                Err(_) => {
                    return self.skip(
                        v,
                        format!("`ok` must be true or false, found `{}`", quote(v)),
                    )
                }
            },
        };
        let mut r = CheckResult::new(check, target, None);
        r.ok = ok;
        r.host = self.text_value("host", wire.host);
        r.name = self.cleaned("name", wire.name);
        r.checked_at = wire.checked_at.and_then(|v| self.time("checked_at", v));
        r.status = wire.status.and_then(|v| self.status(v));
        r.latency_ms = wire.latency_ms.and_then(|v| self.latency(v));
        r.tls_expires = wire.tls_expires.and_then(|v| self.time("tls_expires", v));
        r.state = self.cleaned("state", wire.state);
        r.error = self.cleaned("error", wire.error);
        Some(r)
    }

    fn invalid(&mut self, v: &RawValue, field: &'static str, expected: &'static str) {
        let found = quote(v);
        self.warn(
            v,
            ValueProblem::Invalid {
                field,
                found,
                expected,
            },
        );
    }

    fn text_value(&mut self, field: &'static str, v: Option<&RawValue>) -> Option<String> {
        let v = v?;
        match serde_json::from_str::<String>(v.get()) {
            Ok(t) => Some(t),
            Err(_) => {
                self.invalid(v, field, "text");
                None
            }
        }
    }

    /// Text from other tools: control characters and overlong text are cleaned (a warning).
    fn cleaned(&mut self, field: &'static str, v: Option<&RawValue>) -> Option<String> {
        let raw = v?;
        let text = self.text_value(field, Some(raw))?;
        let cleaned = clean(&text);
        if cleaned != text {
            self.warn(raw, ValueProblem::TextCleaned { field });
        }
        Some(cleaned)
    }

    fn status(&mut self, v: &RawValue) -> Option<u16> {
        let in_range = serde_json::from_str::<u64>(v.get())
            .ok()
            .and_then(|n| u16::try_from(n).ok())
            .filter(|n| STATUS_RANGE.contains(n));
        if in_range.is_none() {
            self.warn(v, ValueProblem::StatusOutOfRange { found: quote(v) });
        }
        in_range
    }

    /// Milliseconds: a whole or fractional number, 0 or more; over one day is clamped.
    fn latency(&mut self, v: &RawValue) -> Option<u64> {
        let ms = match serde_json::from_str::<serde_json::Number>(v.get()) {
            Ok(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite() && *f >= 0.0)
                    .map(|f| f.round().min(u64::MAX as f64) as u64)
            }),
            Err(_) => None,
        };
        let Some(ms) = ms else {
            self.invalid(v, "latency_ms", "a number of milliseconds (0 or more)");
            return None;
        };
        if ms > MAX_LATENCY_MS {
            self.warn(v, ValueProblem::LatencyClamped { latency_ms: ms });
            return Some(MAX_LATENCY_MS);
        }
        Some(ms)
    }

    fn time(&mut self, field: &'static str, v: &RawValue) -> Option<DateTime<Utc>> {
        match serde_json::from_str::<DateTime<Utc>>(v.get()) {
            Ok(t) => Some(t),
            Err(_) => {
                self.invalid(v, field, "an RFC 3339 time like 2026-06-01T00:00:00Z");
                None
            }
        }
    }
}

/// A bad value as written, short and safe to print.
fn quote(v: &RawValue) -> String {
    let text = clean(v.get());
    if text.chars().count() > QUOTE_CHARS {
        let mut cut: String = text.chars().take(QUOTE_CHARS).collect();
        cut.push('…');
        cut
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_byte_columns() {
        let lines = Lines::new(b"ab\ncd\n\nef");
        let at = |o| {
            let p = lines.position(o);
            (p.line, p.column)
        };
        assert_eq!(at(0), (1, 1));
        assert_eq!(at(1), (1, 2));
        assert_eq!(at(3), (2, 1));
        assert_eq!(at(6), (3, 1));
        assert_eq!(at(8), (4, 2));
    }
}
