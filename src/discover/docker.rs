//! Containers running on this host, from `docker ps --format '{{json .}}'` (one JSON object per
//! line): name, image, published ports, state, compose service, and routes from their
//! Traefik labels. Needs the `docker` CLI and permission to talk to the daemon (root, or
//! membership of the `docker` group).

use crate::discover::compose::label_routes;
use crate::discover::{Container, Route};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Line {
    #[serde(default)]
    names: String,
    #[serde(default)]
    image: String,
    #[serde(default)]
    ports: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    labels: String,
}

/// What `docker ps` showed of the compared stacks.
#[derive(Debug, Default)]
pub struct Running {
    pub containers: Vec<Container>,
    /// The routes of their Traefik labels.
    pub routes: Vec<Route>,
    /// Containers of other stacks (or of none), left out by name.
    pub left_out: Vec<String>,
}

/// Containers and label routes from `docker ps --format json` output; with `stacks`, only
/// the containers whose compose project (`com.docker.compose.project`) is one of them. A
/// line that is not such an object is a warning (`docker ps line N: ...`) and is skipped.
pub fn parse(text: &str, stacks: Option<&[String]>, warnings: &mut Vec<String>) -> Running {
    let mut containers = Vec::new();
    let mut routes = Vec::new();
    let mut left_out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let l: Line = match serde_json::from_str(line) {
            Ok(l) => l,
            Err(e) => {
                warnings.push(format!(
                    "docker ps line {}: not a container in JSON ({e}); skipped",
                    i + 1
                ));
                continue;
            }
        };
        let labels = split_labels(&l.labels);
        let name = l.names.split(',').next().unwrap_or("").trim().to_string();
        if name.is_empty() {
            warnings.push(format!(
                "docker ps line {}: a container without a name; skipped",
                i + 1
            ));
            continue;
        }
        let project = labels.get("com.docker.compose.project").cloned();
        if let Some(stacks) = stacks {
            if !project.as_ref().is_some_and(|p| stacks.contains(p)) {
                left_out.push(name);
                continue;
            }
        }
        let (published, internal) = ports(&l.ports);
        let source = "docker ps".to_string();
        routes.extend(label_routes(&labels, &name, &internal, &source));
        containers.push(Container {
            service: labels.get("com.docker.compose.service").cloned(),
            project,
            name,
            image: l.image,
            published,
            internal,
            state: if l.state.is_empty() {
                "running".into()
            } else {
                l.state
            },
            source,
        });
    }
    left_out.sort();
    Running {
        containers,
        routes,
        left_out,
    }
}

/// `a=1,b=Host(`x`,`y`),c=3`: a piece starts a new label only when it begins with a
/// label key and `=`, so commas inside values (Traefik rules) stay in their value.
fn split_labels(s: &str) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut last: Option<String> = None;
    for piece in s.split(',') {
        let key = piece.split_once('=').map(|(k, _)| k).filter(|k| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
        });
        match (key, &last) {
            (Some(k), _) => {
                let v = &piece[k.len() + 1..];
                out.insert(k.to_string(), v.to_string());
                last = Some(k.to_string());
            }
            (None, Some(k)) => {
                if let Some(v) = out.get_mut(k) {
                    v.push(',');
                    v.push_str(piece);
                }
            }
            (None, None) => {}
        }
    }
    out
}

/// `0.0.0.0:80->80/tcp, :::80->80/tcp, 8080/tcp`: published host ports and ports inside.
fn ports(s: &str) -> (Vec<u16>, Vec<u16>) {
    let (mut published, mut internal) = (Vec::new(), Vec::new());
    for p in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let p = p.split('/').next().unwrap_or(p);
        let first = |x: &str| x.split('-').next().and_then(|n| n.parse::<u16>().ok());
        match p.split_once("->") {
            Some((host, inside)) => {
                if let Some(n) = host.rsplit_once(':').and_then(|(_, n)| first(n)) {
                    published.push(n);
                }
                internal.extend(first(inside));
            }
            None => internal.extend(first(p)),
        }
    }
    for v in [&mut published, &mut internal] {
        v.sort_unstable();
        v.dedup();
    }
    (published, internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_keep_commas_of_their_values() {
        let l = split_labels(
            "a.b=1,traefik.http.routers.x.rule=Host(`a.example.com`,`b.example.com`),c=3",
        );
        assert_eq!(
            l["traefik.http.routers.x.rule"],
            "Host(`a.example.com`,`b.example.com`)"
        );
        assert_eq!(l["c"], "3");
    }

    #[test]
    fn published_and_inside_ports() {
        assert_eq!(
            ports("0.0.0.0:80->80/tcp, :::80->80/tcp, 127.0.0.1:8443->443/tcp, 9000/tcp"),
            (vec![80, 8443], vec![80, 443, 9000])
        );
    }
}
