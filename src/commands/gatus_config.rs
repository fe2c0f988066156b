//! Gatus' configuration, read for what its API does not send: each endpoint's URL. Read
//! as Gatus reads it (upstream `config/config.go`): one YAML file, or every `.yml` and
//! `.yaml` file under a folder, with `$VAR` and `${VAR}` taken from the environment
//! (`$$` is a literal `$`). Only `endpoints[].name`, `group`, `url` and whether a `dns:`
//! block is there are used; everything else is Gatus' business.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fleetdoc_probe::monitors::gatus::key;
use serde::Deserialize;

#[derive(Deserialize)]
struct Config {
    #[serde(default)]
    endpoints: Vec<Endpoint>,
}

#[derive(Deserialize)]
struct Endpoint {
    name: String,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    dns: Option<serde_norway::Value>,
}

/// `$VAR`, `${VAR}` from the environment (unset: empty), `$$` as `$`, as Go's
/// `os.ExpandEnv` after Gatus' own `$$` escape.
fn expand_env(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => {
                    out.push_str(&std::env::var(&braced[..end]).unwrap_or_default());
                    rest = &braced[end + 1..];
                }
                None => {
                    out.push('$');
                    rest = after;
                }
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if end == 0 {
                out.push('$');
            } else {
                out.push_str(&std::env::var(&after[..end]).unwrap_or_default());
            }
            rest = &after[end..];
        }
    }
    out.push_str(rest);
    out
}

/// The YAML files of a configuration path, in name order.
fn files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        return Err(format!(
            "{}: no such file or folder; give Gatus' config.yaml (or its folder) with --gatus-config",
            path.display()
        ));
    }
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    out.sort();
    Ok(out)
}

/// Each endpoint's URL by its Gatus key; a `dns:` endpoint's name server as `dns://SERVER`.
pub fn endpoint_urls(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut urls = BTreeMap::new();
    for file in files(path)? {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("{}: cannot read Gatus' configuration: {e}", file.display()))?;
        let config: Config = serde_norway::from_str(&expand_env(&text)).map_err(|e| {
            let at = e
                .location()
                .map(|l| format!(":{}:{}", l.line(), l.column()))
                .unwrap_or_default();
            format!("{}{at}: not Gatus' configuration: {e}", file.display())
        })?;
        for ep in config.endpoints {
            let Some(url) = ep.url.filter(|u| !u.trim().is_empty()) else {
                continue;
            };
            let url = if ep.dns.is_some() {
                format!("dns://{url}")
            } else {
                url
            };
            urls.insert(key(ep.group.as_deref().unwrap_or(""), &ep.name), url);
        }
    }
    Ok(urls)
}

#[cfg(test)]
mod tests {
    use super::expand_env;

    #[test]
    fn environment_is_expanded_as_gatus_does() {
        std::env::set_var("FLEETDOC_GATUS_TEST_HOST", "db1.example.com");
        assert_eq!(
            expand_env("tcp://${FLEETDOC_GATUS_TEST_HOST}:5432 $FLEETDOC_GATUS_TEST_HOST $$5 $"),
            "tcp://db1.example.com:5432 db1.example.com $5 $"
        );
    }
}
