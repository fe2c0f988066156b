//! `fleetdoc.yaml`: optional project settings (SPEC section 2). Every key is checked; an
//! unknown key is an error at its line with the closest valid key.

use crate::diag::{Diagnostics, Loc};
use crate::load::yaml::{self, Fields, Nested, Src};
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
    "check_commands",
    "slo",
    "repo",
];
const SERVE: &[&str] = &[
    "hostname",
    "port",
    "entrypoint",
    "certresolver",
    "internal_allow",
];
const PUBLISH: &[&str] = &["brainstorming", "project", "url"];

#[derive(Debug, Clone)]
pub struct ServeSettings {
    pub hostname: Option<String>,
    pub port: u16,
    pub entrypoint: String,
    pub certresolver: Option<String>,
    pub internal_allow: Vec<ipnet::IpNet>,
    /// Where each of these is written, for messages about them.
    pub locs: ServeLocs,
}

/// Where the `serve` settings are written in `fleetdoc.yaml`: a problem found later (by
/// `fleetdoc traefik`, say) is reported at its key's value, not at the top of the file.
#[derive(Debug, Clone)]
pub struct ServeLocs {
    /// The settings file as shown in messages.
    pub file: PathBuf,
    /// The `serve:` key.
    pub section: Option<Loc>,
    pub hostname: Option<Loc>,
    pub port: Option<Loc>,
    pub entrypoint: Option<Loc>,
    pub certresolver: Option<Loc>,
    pub internal_allow: Option<Loc>,
}

impl Default for ServeLocs {
    fn default() -> Self {
        ServeLocs {
            file: PathBuf::from("fleetdoc.yaml"),
            section: None,
            hostname: None,
            port: None,
            entrypoint: None,
            certresolver: None,
            internal_allow: None,
        }
    }
}

impl ServeLocs {
    /// Where to report a problem with one setting: its value, else the `serve:` key, else
    /// the start of the file (when the setting is missing altogether).
    pub fn at(&self, key: &Option<Loc>) -> Loc {
        key.as_ref()
            .or(self.section.as_ref())
            .cloned()
            .unwrap_or_else(|| Loc::file_start(&self.file))
    }
}

/// A DNS host name: letters, digits and `-` in dot-separated labels, no wildcard, no port.
pub fn valid_hostname(h: &str) -> bool {
    h.len() <= 253
        && h.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// A name Traefik and Docker labels both take as it is (entry points, resolvers).
pub fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 64
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[derive(Debug, Clone, Default)]
pub struct PublishSettings {
    pub brainstorming: Option<PathBuf>,
    /// Folder name under the brainstorming target; default derived from the title.
    pub project: Option<String>,
    /// Where the brainstorming target is served (no trailing `/`): the absolute URLs of a
    /// published site point below it. Without it a publish writes no absolute URL.
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub title: Option<String>,
    pub url: Option<String>,
    /// Relative to the project root.
    pub topology: Option<PathBuf>,
    pub probes: PathBuf,
    pub output: PathBuf,
    /// Where `output` is written in fleetdoc.yaml, when it is.
    pub output_loc: Option<crate::diag::Loc>,
    pub stale_after: Duration,
    pub serve: ServeSettings,
    pub publish: PublishSettings,
    /// Read the commands in shell blocks against the fleet (`check_commands`, default on).
    pub check_commands: bool,
    /// The availability target of services without their own `slo:` (`slo`).
    pub slo: Option<crate::base::slo::Slo>,
    /// `fleetdoc.yaml` could not be parsed (that error is reported): what it sets is not
    /// known, so nothing is said about settings it seems to lack.
    pub broken: bool,
    /// Where the source is edited on a forge (`repo:`), for "Edit this page" links.
    pub repo: Option<crate::load::forge::Repo>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            title: None,
            url: None,
            topology: None,
            probes: PathBuf::from("content/probes"),
            output: PathBuf::from("site"),
            output_loc: None,
            stale_after: Duration::from_secs(30 * 60),
            check_commands: true,
            slo: None,
            broken: false,
            repo: None,
            serve: ServeSettings {
                hostname: None,
                port: 8090,
                entrypoint: "websecure".into(),
                certresolver: None,
                internal_allow: Vec::new(),
                locs: ServeLocs::default(),
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

/// An absolute http(s) URL that paths are appended to, without its trailing `/`.
fn base_url(what: &str, url: yaml::Sp<String>, diags: &mut Diagnostics) -> Option<String> {
    if url.value.starts_with("http://") || url.value.starts_with("https://") {
        Some(url.value.trim_end_matches('/').to_string())
    } else {
        diags.error(
            url.loc,
            format!(
                "{what} must start with https:// or http://, found `{}`",
                url.value
            ),
        );
        None
    }
}

/// Read settings from the text of `fleetdoc.yaml` (shown as `src.file` in messages).
pub fn parse(src: &Src, text: &str, diags: &mut Diagnostics) -> Settings {
    let mut s = Settings::default();
    s.serve.locs.file = src.file.clone();
    let root = match yaml::parse(src, text) {
        Ok(Some(root)) => root,
        Ok(None) => return s,
        Err(d) => {
            diags.extend_one(d);
            s.broken = true;
            return s;
        }
    };
    let Some(f) = Fields::new(src, &root, "fleetdoc.yaml", TOP, diags) else {
        return s;
    };
    let f = f.with_children(&[
        ("serve", Nested::Keys(SERVE)),
        ("publish", Nested::Keys(PUBLISH)),
    ]);
    s.title = f.str("title", diags).map(|v| v.value);
    s.url = f
        .str("url", diags)
        .and_then(|v| base_url("`url`", v, diags));
    s.topology = f.str("topology", diags).and_then(|v| rel_path(v, diags));
    if let Some(p) = f.str("probes", diags).and_then(|v| rel_path(v, diags)) {
        s.probes = p;
    }
    if let Some(v) = f.str("output", diags) {
        let loc = v.loc.clone();
        if let Some(p) = rel_path(v, diags) {
            s.output = p;
            s.output_loc = Some(loc);
        }
    }
    if let Some(v) = f.str("slo", diags) {
        s.slo = crate::base::slo::Slo::parse(&v.value);
        if s.slo.is_none() {
            diags.error(
                v.loc,
                format!(
                    "`slo` is the fleet's availability target in percent, above 0 and at most 100 with at most three decimals, like `99.9`; found `{}`",
                    v.value
                ),
            );
        }
    }
    if let Some(node) = f.node("repo") {
        s.repo = crate::load::forge::parse(src, node, diags);
    }
    if let Some(v) = f.bool("check_commands", diags) {
        s.check_commands = v.value;
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
        s.serve.locs.section = f
            .entries()
            .find(|(k, _)| k.value == "serve")
            .map(|(k, _)| k.loc);
        if let Some(g) = Fields::new(src, node, "`serve`", SERVE, diags) {
            parse_serve(&g, &mut s.serve, diags);
            g.finish(diags);
        }
    }
    if let Some(node) = f.node("publish") {
        if let Some(g) = Fields::new(src, node, "`publish`", PUBLISH, diags) {
            s.publish.brainstorming = g
                .str("brainstorming", diags)
                .map(|v| PathBuf::from(v.value));
            s.publish.project = g.str("project", diags).map(|v| v.value);
            s.publish.url = g
                .str("url", diags)
                .and_then(|v| base_url("`url` of `publish`", v, diags));
            g.finish(diags);
        }
    }
    f.finish(diags);
    s
}

/// The `serve` section: each value checked where it is written, and its place remembered.
fn parse_serve(g: &Fields, serve: &mut ServeSettings, diags: &mut Diagnostics) {
    let at = |key: &str| g.node(key).map(|n| g.src.loc(n.span()));
    serve.locs.hostname = at("hostname");
    serve.locs.port = at("port");
    serve.locs.entrypoint = at("entrypoint");
    serve.locs.certresolver = at("certresolver");
    serve.locs.internal_allow = at("internal_allow");
    if let Some(v) = g.str("hostname", diags) {
        let host = v.value.to_ascii_lowercase();
        if valid_hostname(&host) {
            serve.hostname = Some(host);
        } else {
            diags.error(
                v.loc,
                format!(
                    "`hostname` of `serve` must be a host name like docs.example.com \
                     (letters, digits, `-` and `.`; no wildcard, no port), found `{}`",
                    v.value
                ),
            );
        }
    }
    if let Some(p) = g.number("port", 1, 65535, diags) {
        serve.port = p.value as u16;
    }
    for (key, value) in [
        ("entrypoint", g.str("entrypoint", diags)),
        ("certresolver", g.str("certresolver", diags)),
    ] {
        let Some(v) = value else { continue };
        if !valid_name(&v.value) {
            diags.error(
                v.loc,
                format!(
                    "`{key}` of `serve` must be a Traefik name (letters, digits, `-` and `_`), found `{}`",
                    v.value
                ),
            );
        } else if key == "entrypoint" {
            serve.entrypoint = v.value;
        } else {
            serve.certresolver = Some(v.value);
        }
    }
    for v in g.strs("internal_allow", diags) {
        let parsed = v
            .value
            .parse::<ipnet::IpNet>()
            .or_else(|_| v.value.parse::<std::net::IpAddr>().map(ipnet::IpNet::from));
        match parsed {
            Ok(net) => serve.internal_allow.push(net),
            Err(_) => diags.error(
                v.loc,
                format!("`{}` is not an address range like `10.0.0.0/8`", v.value),
            ),
        }
    }
}

/// Without `url:` there is no sitemap (it needs absolute addresses) and the feed's links
/// are relative: said once per build or check, at `fleetdoc.yaml`, when the project has
/// one (a project without settings is not nagged).
pub fn warn_without_url(root: &std::path::Path, settings: &Settings, diags: &mut Diagnostics) {
    if settings.url.is_none() && !settings.broken && root.join("fleetdoc.yaml").is_file() {
        diags.warning(
            crate::diag::Loc::file_start("fleetdoc.yaml"),
            "no `url:` set: sitemap.xml is not written (a sitemap needs absolute addresses) and \
             feed.xml links are relative; set `url: https://docs.example.com` (where the site is \
             served) to get both",
        );
    }
}
