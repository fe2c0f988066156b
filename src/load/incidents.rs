//! Incident notes: every `*.md` directly in `content/incidents/` whose front matter says
//! when the incident started or how bad it is (`started:` or `severity:`), its front matter
//! read value by value with positions (title, services, started, resolved, severity). Other
//! files there (a folder of post-mortems written as pages) stay pages. Times and
//! the severity are parsed here; the services are looked up in the fleet by the model
//! (`model/incidents.rs`), which also checks that the times make sense together.

use crate::diag::{Diagnostics, Loc, Pos};
use crate::load::limits;
use crate::load::pages::split_front_matter;
use crate::load::yaml::{self, Fields, Sp, Src};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// The folder below `content/` that holds incident notes instead of pages.
pub const FOLDER: &str = "incidents";

const FRONT: &[&str] = &["title", "services", "started", "resolved", "severity"];

/// How bad an incident is, worst last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Minor,
    Major,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Minor, Severity::Major, Severity::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }
}

/// The front matter of one incident note, as written.
#[derive(Debug, Clone)]
pub struct IncidentFront {
    pub title: Option<Sp<String>>,
    pub services: Vec<Sp<String>>,
    pub started: Option<Sp<DateTime<Utc>>>,
    pub resolved: Option<Sp<DateTime<Utc>>>,
    pub severity: Option<Sp<Severity>>,
}

/// One incident note as read from disk.
#[derive(Debug, Clone)]
pub struct IncidentSource {
    /// The file name without `.md`: the incident's anchor on the incidents page.
    pub slug: String,
    /// Path shown in messages: `content/incidents/2026-04-06-forge.md`.
    pub shown: PathBuf,
    pub text: String,
    pub body_start: usize,
    /// `None` when the front matter is missing or could not be read (already reported).
    pub front: Option<IncidentFront>,
}

impl IncidentSource {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// A time as incidents write it: RFC 3339 (`2026-04-06T09:00:00Z`, or with an offset);
/// also with a space for the `T`, without seconds, or with ` UTC` for `Z`
/// (`2026-04-06 09:00 UTC`).
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let mut t = s.trim().replacen(' ', "T", 1);
    if let Some(rest) = t.strip_suffix("UTC") {
        t = format!("{}Z", rest.trim_end());
    }
    // `2026-04-06T09:00Z`: no seconds.
    if t.len() > 16
        && t.as_bytes()[13] == b':'
        && t.as_bytes()[16] != b':'
        && t.is_char_boundary(16)
    {
        t.insert_str(16, ":00");
    }
    DateTime::parse_from_rfc3339(&t)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Whether a file of `content/incidents/` is an incident note: its front matter has a
/// top-level `started:` or `severity:` key, which no page uses. A page kept there (as
/// projects did before incident notes existed) stays a page.
pub fn is_note(text: &str) -> bool {
    split_front_matter(text).is_some_and(|(front, _, _)| {
        front.lines().any(|l| {
            let key = l.split(':').next().unwrap_or("");
            l.contains(':') && matches!(key, "started" | "severity")
        })
    })
}

/// Read every incident note of `dir` (`content/incidents/`), in file name order.
pub fn load(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<IncidentSource> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let project = crate::load::links::Project::new(root);
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("md"))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        if !matches!(
            project.judge(&path, false, diags),
            crate::load::links::Verdict::Read
        ) {
            continue;
        }
        let shown = crate::diag::display_path(root, &path);
        let text = match limits::read_text(&path, &shown, limits::MAX_PAGE_BYTES) {
            Ok(t) => t,
            Err(e) => {
                diags.extend_one(e);
                continue;
            }
        };
        if !is_note(&text) {
            continue;
        }
        let slug = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (front, body_start) = parse_front(&shown, &text, diags);
        out.push(IncidentSource {
            slug,
            shown,
            text,
            body_start,
            front,
        });
    }
    out
}

fn parse_front(
    shown: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> (Option<IncidentFront>, usize) {
    let Some((yaml_text, first_line, body_start)) = split_front_matter(text) else {
        diags.error(
            Loc::new(shown, Pos::new(1, 1)),
            "an incident note starts with front matter between `---` lines: title, services, started, severity (and resolved once it is over)",
        );
        return (None, 0);
    };
    let src = Src::new(shown, first_line);
    let root = match yaml::parse(&src, yaml_text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            diags.error(
                Loc::new(shown, Pos::new(1, 1)),
                "the incident's front matter is empty: it needs title, services, started and severity",
            );
            return (None, body_start);
        }
        Err(d) => {
            diags.extend_one(d);
            return (None, body_start);
        }
    };
    let Some(f) = Fields::new(&src, &root, "the incident", FRONT, diags) else {
        return (None, body_start);
    };
    let title = f.req_str("title", diags);
    let services_present = f.node("services").is_some();
    let services = f.strs("services", diags);
    if !services_present {
        diags.error(
            f.loc(),
            "the incident needs `services`: the ids of the services it affected",
        );
    }
    let time = |key: &str, required: bool, d: &mut Diagnostics| {
        let v = if required {
            f.req_str(key, d)
        } else {
            f.str(key, d)
        }?;
        match parse_time(&v.value) {
            Some(t) => Some(Sp::new(t, v.loc)),
            None => {
                d.error(
                    v.loc,
                    format!(
                        "`{key}` must be a time like 2026-04-06T09:00:00Z (RFC 3339, with `Z` or an offset), found `{}`",
                        v.value
                    ),
                );
                None
            }
        }
    };
    let started = time("started", true, diags);
    let resolved = time("resolved", false, diags);
    let severity = f.req_str("severity", diags).and_then(|s| {
        match Severity::ALL.iter().find(|k| k.as_str() == s.value) {
            Some(k) => Some(Sp::new(*k, s.loc)),
            None => {
                let hint = crate::base::suggest::did_you_mean(
                    &s.value,
                    Severity::ALL.iter().map(|k| k.as_str()),
                )
                .unwrap_or_else(|| "; use minor, major or critical".into());
                diags.error(s.loc, format!("unknown severity `{}`{hint}", s.value));
                None
            }
        }
    });
    f.finish(diags);
    (
        Some(IncidentFront {
            title,
            services,
            started,
            resolved,
            severity,
        }),
        body_start,
    )
}
