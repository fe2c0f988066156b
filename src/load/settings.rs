//! `fleetdoc.yaml`: optional project settings (SPEC section 2). Every key is checked; an
//! unknown key is an error at its line with the closest valid key.

use crate::diag::Diagnostics;
use crate::load::yaml::{self, Fields, Src};
use std::path::PathBuf;
use std::time::Duration;

const TOP: &[&str] = &[
    "title",
    "url",
    "topology",
    "probes",
    "output",
    "stale_after",
    "serve",
    "publish",
];
const SERVE: &[&str] = &[
    "hostname",
    "port",
    "entrypoint",
    "certresolver",
    "internal_allow",
];
const PUBLISH: &[&str] = &["brainstorming", "project"];

#[derive(Debug, Clone)]
pub struct ServeSettings {
    pub hostname: Option<String>,
    pub port: u16,
    pub entrypoint: String,
    pub certresolver: Option<String>,
    pub internal_allow: Vec<ipnet::IpNet>,
}

#[derive(Debug, Clone, Default)]
pub struct PublishSettings {
    pub brainstorming: Option<PathBuf>,
    /// Folder name under the brainstorming target; default derived from the title.
    pub project: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub title: Option<String>,
    pub url: Option<String>,
    /// Relative to the project root.
    pub topology: Option<PathBuf>,
    pub probes: PathBuf,
    pub output: PathBuf,
    pub stale_after: Duration,
    pub serve: ServeSettings,
    pub publish: PublishSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            title: None,
            url: None,
            topology: None,
            probes: PathBuf::from("content/probes"),
            output: PathBuf::from("site"),
            stale_after: Duration::from_secs(30 * 60),
            serve: ServeSettings {
                hostname: None,
                port: 8090,
                entrypoint: "websecure".into(),
                certresolver: None,
                internal_allow: Vec::new(),
            },
            publish: PublishSettings::default(),
        }
    }
}

/// A project-relative path from settings: no absolute paths outside `publish`, no `..`.
fn rel_path(v: yaml::Sp<String>, diags: &mut Diagnostics) -> Option<PathBuf> {
    let p = PathBuf::from(&v.value);
    if p.is_absolute()
        || p.components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        diags.error(
            v.loc,
            format!(
                "`{}` must be a path inside the project (no leading `/`, no `..`)",
                v.value
            ),
        );
        return None;
    }
    Some(p)
}

/// Read settings from the text of `fleetdoc.yaml` (shown as `src.file` in messages).
pub fn parse(src: &Src, text: &str, diags: &mut Diagnostics) -> Settings {
    let mut s = Settings::default();
    let root = match yaml::parse(src, text) {
        Ok(Some(root)) => root,
        Ok(None) => return s,
        Err(d) => {
            diags.extend_one(d);
            return s;
        }
    };
    let Some(f) = Fields::new(src, &root, "fleetdoc.yaml", TOP, diags) else {
        return s;
    };
    s.title = f.str("title", diags).map(|v| v.value);
    if let Some(url) = f.str("url", diags) {
        if url.value.starts_with("http://") || url.value.starts_with("https://") {
            s.url = Some(url.value.trim_end_matches('/').to_string());
        } else {
            diags.error(
                url.loc,
                format!(
                    "`url` must start with https:// or http://, found `{}`",
                    url.value
                ),
            );
        }
    }
    if s.url.is_none() && f.node("url").is_none() {
        // Said once, where the key belongs; a project without settings is not nagged.
        diags.warning(
            crate::diag::Loc::file_start(src.file.clone()),
            "no `url:` set: sitemap.xml is not written (a sitemap needs absolute addresses) and \
             feed.xml links are relative; set `url: https://docs.example.com` (where the site is \
             served) to get both",
        );
    }
    s.topology = f.str("topology", diags).and_then(|v| rel_path(v, diags));
    if let Some(p) = f.str("probes", diags).and_then(|v| rel_path(v, diags)) {
        s.probes = p;
    }
    if let Some(p) = f.str("output", diags).and_then(|v| rel_path(v, diags)) {
        s.output = p;
    }
    if let Some(v) = f.str("stale_after", diags) {
        match humantime::parse_duration(&v.value) {
            Ok(d) if d.as_secs() > 0 => s.stale_after = d,
            _ => diags.error(
                v.loc,
                format!(
                    "`stale_after` must be a duration like `30m`, `2h` or `1d`, found `{}`",
                    v.value
                ),
            ),
        }
    }
    if let Some(node) = f.node("serve") {
        if let Some(g) = Fields::new(src, node, "`serve`", SERVE, diags) {
            s.serve.hostname = g.str("hostname", diags).map(|v| v.value);
            if let Some(p) = g.number("port", 1, 65535, diags) {
                s.serve.port = p.value as u16;
            }
            if let Some(v) = g.str("entrypoint", diags) {
                s.serve.entrypoint = v.value;
            }
            s.serve.certresolver = g.str("certresolver", diags).map(|v| v.value);
            for v in g.strs("internal_allow", diags) {
                let parsed = v
                    .value
                    .parse::<ipnet::IpNet>()
                    .or_else(|_| v.value.parse::<std::net::IpAddr>().map(ipnet::IpNet::from));
                match parsed {
                    Ok(net) => s.serve.internal_allow.push(net),
                    Err(_) => diags.error(
                        v.loc,
                        format!("`{}` is not an address range like `10.0.0.0/8`", v.value),
                    ),
                }
            }
            g.finish(diags);
        }
    }
    if let Some(node) = f.node("publish") {
        if let Some(g) = Fields::new(src, node, "`publish`", PUBLISH, diags) {
            s.publish.brainstorming = g
                .str("brainstorming", diags)
                .map(|v| PathBuf::from(v.value));
            s.publish.project = g.str("project", diags).map(|v| v.value);
            g.finish(diags);
        }
    }
    f.finish(diags);
    s
}
