//! Services of compose files (`docker-compose.yml`, `compose.yaml`): name, image, ports,
//! `expose`, and routes from their Traefik labels (`traefik.http.routers.*`), which count
//! as routes just like the ones read from Traefik's API. Read by `docker compose config
//! --format json` when the docker compose plugin is installed (Compose's own reading:
//! variables, `extends`, `include`, profiles), else by the reader below, which follows the
//! compose specification for the same. Also the label reader shared with `docker ps`.

use crate::diag::{Diagnostic, Loc, Pos, Severity};
use crate::discover::{rule_hosts, Container, Route};
use crate::load::limits::{check_yaml_depth, MAX_YAML_BYTES};
use serde_norway::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// Who reads compose files on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The docker compose plugin: `docker compose config --format json`.
    Plugin,
    /// fleetdoc's own reader of the compose specification.
    BuiltIn,
}

impl Reader {
    /// The plugin when `docker compose version` answers, else the built-in reader.
    pub fn find(timeout: Duration) -> Reader {
        match fleetdoc_probe::listing::output(Path::new("docker"), &["compose", "version"], timeout)
        {
            Ok(_) => Reader::Plugin,
            Err(_) => Reader::BuiltIn,
        }
    }
}

/// The compose file at `path`, as `reader` reads it. Returns the services and the routes
/// of their labels. When the plugin refuses the file, that is a warning and the built-in
/// reader reads it (its errors have positions).
pub fn read(
    path: &Path,
    reader: Reader,
    timeout: Duration,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Container>, Vec<Route>), Diagnostic> {
    let shown = path.display().to_string();
    let at_start = |message: String| Diagnostic {
        severity: Severity::Error,
        loc: Loc::file_start(path),
        message,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| at_start(format!("cannot read this compose file: {e}")))?
        .len();
    if size > MAX_YAML_BYTES {
        return Err(at_start(format!(
            "this compose file is {size} bytes, over the limit of {MAX_YAML_BYTES}"
        )));
    }
    let written = std::fs::read_to_string(path)
        .map_err(|e| at_start(format!("cannot read this compose file: {e}")))?;
    let folder = std::fs::canonicalize(path)
        .ok()
        .and_then(|p| Some(p.parent()?.file_name()?.to_string_lossy().into_owned()))
        .unwrap_or_default();
    if reader == Reader::Plugin {
        let path_arg = path.to_string_lossy();
        let normalized = fleetdoc_probe::listing::output(
            Path::new("docker"),
            &["compose", "-f", &path_arg, "config", "--format", "json"],
            timeout,
        )
        .and_then(|out| {
            String::from_utf8(out).map_err(|_| "docker compose config: not UTF-8".to_string())
        });
        match normalized {
            Ok(text) => return parse(&unescape_dollars(&text), &shown, &folder, warnings),
            Err(e) => warnings.push(format!(
                "{shown}: docker compose config {}; read by fleetdoc's own compose reader instead",
                // `docker failed: ...` of the listing, said of the command that failed.
                e.strip_prefix("docker ").unwrap_or(&e)
            )),
        }
    }
    let env = environment(path);
    let doc = resolve(&written, path, &shown, &env, 0)?;
    let text = serde_norway::to_string(&doc).unwrap_or_default();
    parse(&text, &shown, &folder, warnings)
}

/// `docker compose config` writes every `$` of its output as `$$` (docker/compose
/// `cmd/compose/config.go`, `escapeDollarSign`), so that the output is itself a compose
/// file; read back, each pair is one `$`.
fn unescape_dollars(text: &str) -> String {
    text.replace("$$", "$")
}

/// The variables a compose file is interpolated with: the `.env` file beside it, then
/// the environment, which wins (as Docker Compose does).
fn environment(path: &Path) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    let dot_env = path
        .parent()
        .map(|d| d.join(".env"))
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    for line in dot_env.lines() {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let v = v.trim();
            let v = if v.len() >= 2
                && ((v.starts_with('"') && v.ends_with('"'))
                    || (v.starts_with('\'') && v.ends_with('\'')))
            {
                &v[1..v.len() - 1]
            } else {
                v.split(" #").next().unwrap_or(v).trim()
            };
            env.insert(k.trim().to_string(), v.to_string());
        }
    }
    for (k, v) in std::env::vars() {
        env.insert(k, v);
    }
    env
}

/// `${VAR}`, `$VAR`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
/// `${VAR?error}`, `${VAR:+alt}` and `$$` of the compose specification's interpolation.
pub fn interpolate(text: &str, env: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(r) = after.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if let Some(body) = after.strip_prefix('{') {
            // The closing brace of this expression (defaults may hold `${...}`).
            let mut depth = 1;
            let mut end = None;
            for (i, c) in body.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let Some(end) = end else {
                return Err(format!("`${{` without its `}}` in `{text}`"));
            };
            let expr = &body[..end];
            let name_len = expr
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(expr.len());
            let (name, op) = expr.split_at(name_len);
            let value = env.get(name);
            let set = value.is_some_and(|v| !v.is_empty());
            let got = if op.is_empty() {
                value.cloned().unwrap_or_default()
            } else if let Some(d) = op.strip_prefix(":-") {
                if set {
                    value.cloned().unwrap_or_default()
                } else {
                    interpolate(d, env)?
                }
            } else if let Some(d) = op.strip_prefix('-') {
                match value {
                    Some(v) => v.clone(),
                    None => interpolate(d, env)?,
                }
            } else if let Some(e) = op.strip_prefix(":?") {
                if set {
                    value.cloned().unwrap_or_default()
                } else {
                    return Err(format!(
                        "variable {name} is required: {}",
                        interpolate(e, env)?
                    ));
                }
            } else if let Some(e) = op.strip_prefix('?') {
                match value {
                    Some(v) => v.clone(),
                    None => {
                        return Err(format!(
                            "variable {name} is required: {}",
                            interpolate(e, env)?
                        ))
                    }
                }
            } else if let Some(a) = op.strip_prefix(":+") {
                if set {
                    interpolate(a, env)?
                } else {
                    String::new()
                }
            } else if let Some(a) = op.strip_prefix('+') {
                if value.is_some() {
                    interpolate(a, env)?
                } else {
                    String::new()
                }
            } else {
                return Err(format!(
                    "`${{{expr}}}` is not a variable the compose specification knows"
                ));
            };
            out.push_str(&got);
            rest = &body[end + 1..];
        } else {
            let n = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if n == 0 {
                out.push('$');
            } else {
                out.push_str(env.get(&after[..n]).map(String::as_str).unwrap_or(""));
            }
            rest = &after[n..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Every string of a YAML value interpolated (keys too, as Compose does for labels
/// written as a map).
fn interpolate_value(v: &mut Value, env: &BTreeMap<String, String>) -> Result<(), String> {
    match v {
        Value::String(s) => *s = interpolate(s, env)?,
        Value::Sequence(items) => {
            for i in items {
                interpolate_value(i, env)?;
            }
        }
        Value::Mapping(m) => {
            let old = std::mem::take(m);
            for (mut k, mut val) in old {
                interpolate_value(&mut k, env)?;
                interpolate_value(&mut val, env)?;
                m.insert(k, val);
            }
        }
        _ => {}
    }
    Ok(())
}

/// A compose file as Compose reads it without the plugin: interpolated, `include:`d
/// files' services added, `extends:` merged, and services of profiles that are not
/// active (`COMPOSE_PROFILES`) left out.
fn resolve(
    text: &str,
    path: &Path,
    shown: &str,
    env: &BTreeMap<String, String>,
    depth: usize,
) -> Result<Value, Diagnostic> {
    let error = |pos: Pos, message: String| Diagnostic {
        severity: Severity::Error,
        loc: Loc::new(shown, pos),
        message,
    };
    // The parser recurses once per level (and is slow on deep flow nesting): bounded first,
    // for every file, included ones too.
    check_yaml_depth(text).map_err(|(pos, message)| error(pos, message))?;
    let mut doc: Value = serde_norway::from_str(text).map_err(|e| {
        let pos = e
            .location()
            .map(|l| Pos::new(l.line(), l.column()))
            .unwrap_or(Pos::new(1, 1));
        let full = e.to_string();
        let why = full.split(" at line ").next().unwrap_or(&full).to_string();
        error(pos, format!("not a compose file: {why}"))
    })?;
    interpolate_value(&mut doc, env).map_err(|e| error(Pos::new(1, 1), e))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    // include: other files' services join this one's.
    let includes: Vec<String> = doc
        .get("include")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .flat_map(|i| match i {
            Value::String(s) => vec![s.clone()],
            other => match other.get("path") {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Sequence(v)) => v
                    .iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect(),
                _ => Vec::new(),
            },
        })
        .collect();
    if let Some(m) = doc.as_mapping_mut() {
        m.remove("include");
    }
    let mut services: serde_norway::Mapping = doc
        .get("services")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default();
    if depth < 8 {
        for inc in includes {
            let p = dir.join(&inc);
            let t = std::fs::read_to_string(&p).map_err(|e| {
                error(
                    Pos::new(1, 1),
                    format!("cannot read included file {}: {e}", p.display()),
                )
            })?;
            let sub = resolve(&t, &p, &p.display().to_string(), env, depth + 1)?;
            if let Some(m) = sub.get("services").and_then(Value::as_mapping) {
                for (k, v) in m {
                    services.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
    }
    // extends: the base service's keys under the service's own.
    let names: Vec<Value> = services.keys().cloned().collect();
    for name in names {
        let mut seen = 0;
        while let Some(ext) = services.get(&name).and_then(|s| s.get("extends")).cloned() {
            seen += 1;
            if seen > 8 {
                break;
            }
            let (file, base_name) = match &ext {
                Value::String(s) => (None, s.clone()),
                other => (
                    other.get("file").and_then(Value::as_str).map(String::from),
                    other
                        .get("service")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                ),
            };
            let base = match file {
                None => services.get(base_name.as_str()).cloned(),
                Some(f) => {
                    let p = dir.join(&f);
                    let t = std::fs::read_to_string(&p).map_err(|e| {
                        error(
                            Pos::new(1, 1),
                            format!("cannot read extended file {}: {e}", p.display()),
                        )
                    })?;
                    let other = resolve(&t, &p, &p.display().to_string(), env, depth + 1)?;
                    other
                        .get("services")
                        .and_then(|s| s.get(base_name.as_str()))
                        .cloned()
                }
            };
            let Some(svc) = services.get_mut(&name).and_then(Value::as_mapping_mut) else {
                break;
            };
            svc.remove("extends");
            let Some(Value::Mapping(base)) = base else {
                return Err(error(
                    Pos::new(1, 1),
                    format!(
                        "service `{}` extends `{base_name}`, which is not a service there",
                        name.as_str().unwrap_or("?")
                    ),
                ));
            };
            for (k, v) in base {
                match (svc.get_mut(&k), &v) {
                    (None, _) => {
                        svc.insert(k, v);
                    }
                    (Some(Value::Mapping(own)), Value::Mapping(b)) => {
                        for (bk, bv) in b {
                            own.entry(bk.clone()).or_insert_with(|| bv.clone());
                        }
                    }
                    (Some(Value::Sequence(own)), Value::Sequence(b)) => {
                        for item in b {
                            if !own.contains(item) {
                                own.push(item.clone());
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    // profiles: a service with profiles runs only when one of them is active.
    let active: Vec<String> = env
        .get("COMPOSE_PROFILES")
        .map(|p| {
            p.split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default();
    services.retain(
        |_, s| match s.get("profiles").and_then(Value::as_sequence) {
            None => true,
            Some(ps) => ps
                .iter()
                .filter_map(Value::as_str)
                .any(|p| p == "*" || active.iter().any(|a| a == p || a == "*")),
        },
    );
    if let Some(m) = doc.as_mapping_mut() {
        if m.contains_key("services") || !services.is_empty() {
            m.insert("services".into(), Value::Mapping(services));
        }
    }
    Ok(doc)
}

/// The compose project name: the file's `name:`, else its folder's name, lowercased
/// and reduced to `[a-z0-9_-]` as Docker Compose does.
fn project_name(doc: &Value, folder: &str) -> String {
    let raw = doc.get("name").and_then(Value::as_str).unwrap_or(folder);
    raw.to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// Services and label routes of one compose file's text (YAML or JSON). A service's
/// container is named as Compose names it: `container_name:`, else
/// `PROJECT-SERVICE-1` (the project from `name:` or the file's `folder`).
pub fn parse(
    text: &str,
    shown: &str,
    folder: &str,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Container>, Vec<Route>), Diagnostic> {
    let error = |pos: Pos, message: String| Diagnostic {
        severity: Severity::Error,
        loc: Loc::new(shown, pos),
        message,
    };
    // The parser recurses once per level (and is slow on deep flow nesting): bounded first.
    check_yaml_depth(text).map_err(|(pos, message)| error(pos, message))?;
    let doc: Value = serde_norway::from_str(text).map_err(|e| {
        let pos = e
            .location()
            .map(|l| Pos::new(l.line(), l.column()))
            .unwrap_or(Pos::new(1, 1));
        let full = e.to_string();
        let why = full.split(" at line ").next().unwrap_or(&full).to_string();
        error(pos, format!("not a compose file: {why}"))
    })?;
    let Some(services) = doc.get("services").and_then(Value::as_mapping) else {
        return Err(error(
            Pos::new(1, 1),
            "no `services:` map; is this a compose file?".into(),
        ));
    };
    let source = format!("compose file {shown}");
    let project = project_name(&doc, folder);
    let mut containers = Vec::new();
    let mut routes = Vec::new();
    for (key, svc) in services {
        let Some(service) = key.as_str() else {
            warnings.push(format!(
                "{shown}: a service whose name is not text; skipped"
            ));
            continue;
        };
        let name = match svc.get("container_name").and_then(Value::as_str) {
            Some(n) => n.to_string(),
            None if project.is_empty() => service.to_string(),
            None => format!("{project}-{service}-1"),
        };
        let (mut published, mut internal) = (Vec::new(), Vec::new());
        for p in svc
            .get("ports")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            match port_entry(p) {
                Some((host, inside)) => {
                    published.extend(host);
                    internal.push(inside);
                }
                None => warnings.push(format!(
                    "{shown}: service `{service}`: port {} not understood; skipped",
                    scalar(p).unwrap_or_else(|| "entry".into())
                )),
            }
        }
        for e in svc
            .get("expose")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            if let Some(n) = scalar(e).and_then(|s| first_port(&s)) {
                internal.push(n);
            }
        }
        for v in [&mut published, &mut internal] {
            v.sort_unstable();
            v.dedup();
        }
        let labels = labels(svc.get("labels"));
        routes.extend(label_routes(&labels, &name, &internal, &source));
        containers.push(Container {
            name,
            service: Some(service.to_string()),
            image: svc
                .get("image")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            published,
            internal,
            state: "defined".into(),
            source: source.clone(),
            project: Some(project.clone()),
        });
    }
    Ok((containers, routes))
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn first_port(s: &str) -> Option<u16> {
    s.split(['-', '/']).next()?.trim().parse().ok()
}

/// One `ports:` entry: short (`"8080:80"`, `"127.0.0.1:8080:80/tcp"`, `"3000"`) or long
/// (`{target: 80, published: 8080}`) syntax -> (published port, port inside).
fn port_entry(v: &Value) -> Option<(Option<u16>, u16)> {
    if let Some(m) = v.as_mapping() {
        let target = m
            .get("target")
            .and_then(scalar)
            .and_then(|s| first_port(&s))?;
        let published = m
            .get("published")
            .and_then(scalar)
            .and_then(|s| first_port(&s));
        return Some((published, target));
    }
    let s = scalar(v)?;
    let s = s.split('/').next()?;
    let mut parts = s.rsplit(':');
    let inside = first_port(parts.next()?)?;
    let host = match parts.next() {
        Some(h) => Some(first_port(h)?),
        None => None,
    };
    Some((host, inside))
}

/// Labels as a map, from either compose form: a map or a list of `key=value`.
fn labels(v: Option<&Value>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    match v {
        Some(Value::Mapping(m)) => {
            for (k, v) in m {
                if let (Some(k), Some(v)) = (
                    k.as_str(),
                    scalar(v).or_else(|| v.as_bool().map(|b| b.to_string())),
                ) {
                    out.insert(k.to_string(), v);
                }
            }
        }
        Some(Value::Sequence(items)) => {
            for item in items.iter().filter_map(Value::as_str) {
                if let Some((k, v)) = item.split_once('=') {
                    out.insert(k.trim().to_string(), v.trim().to_string());
                }
            }
        }
        _ => {}
    }
    out
}

/// Routes declared by Traefik's docker labels on one container: each
/// `traefik.http.routers.NAME.rule` with its entrypoints, TLS, middlewares and the
/// backend `http://CONTAINER:PORT` (the label's `loadbalancer.server.port`, else the one
/// port the container exposes, as Traefik does).
pub fn label_routes(
    labels: &BTreeMap<String, String>,
    container: &str,
    internal: &[u16],
    source: &str,
) -> Vec<Route> {
    if labels.get("traefik.enable").is_some_and(|v| v == "false") {
        return Vec::new();
    }
    let router_key = |r: &str, k: &str| {
        labels
            .get(&format!("traefik.http.routers.{r}.{k}"))
            .cloned()
    };
    let service_ports: BTreeMap<&str, (String, u16)> = labels
        .iter()
        .filter_map(|(k, v)| {
            let s = k
                .strip_prefix("traefik.http.services.")?
                .strip_suffix(".loadbalancer.server.port")?;
            let scheme = labels
                .get(&format!(
                    "traefik.http.services.{s}.loadbalancer.server.scheme"
                ))
                .cloned()
                .unwrap_or_else(|| "http".into());
            Some((s, (scheme, v.trim().parse().ok()?)))
        })
        .collect();
    let mut out = Vec::new();
    for (k, rule) in labels {
        let Some(r) = k
            .strip_prefix("traefik.http.routers.")
            .and_then(|x| x.strip_suffix(".rule"))
        else {
            continue;
        };
        let list = |v: Option<String>| -> Vec<String> {
            v.map(|s| {
                s.split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default()
        };
        let backend = match router_key(r, "service") {
            Some(s) => service_ports.get(s.as_str()).cloned(),
            None if service_ports.len() == 1 => service_ports.values().next().cloned(),
            None => None,
        }
        .or_else(|| (internal.len() == 1).then(|| ("http".to_string(), internal[0])));
        out.push(Route {
            router: format!("{r}@docker"),
            rule: rule.to_string(),
            hosts: rule_hosts(rule),
            path: crate::discover::rule_path(rule),
            service: router_key(r, "service").unwrap_or_else(|| container.to_string()),
            entrypoints: list(router_key(r, "entrypoints")),
            tls: router_key(r, "tls").is_some_and(|v| v == "true")
                || router_key(r, "tls.certresolver").is_some(),
            middlewares: list(router_key(r, "middlewares")),
            backends: backend
                .map(|(scheme, p)| vec![format!("{scheme}://{container}:{p}")])
                .unwrap_or_default(),
            source: source.to_string(),
            ..Route::default()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn interpolation_per_the_compose_specification() {
        let env: BTreeMap<String, String> = [("SET", "x"), ("EMPTY", "")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let i = |t: &str| super::interpolate(t, &env);
        assert_eq!(i("${SET}/$SET/${NONE}").unwrap(), "x/x/");
        assert_eq!(i("${EMPTY:-d} ${EMPTY-d} ${NONE-d}").unwrap(), "d  d");
        assert_eq!(i("${SET:+alt}${EMPTY:+alt}${EMPTY+set}").unwrap(), "altset");
        assert_eq!(i("costs $$5, ${NONE:-${SET}}").unwrap(), "costs $5, x");
        assert_eq!(
            i("${NONE:?say so}").unwrap_err(),
            "variable NONE is required: say so"
        );
        assert!(i("${SET").is_err());
    }

    use super::*;

    #[test]
    fn port_syntaxes() {
        let v = |s: &str| -> Value { serde_norway::from_str(s).unwrap() };
        assert_eq!(port_entry(&v("\"8080:80\"")), Some((Some(8080), 80)));
        assert_eq!(
            port_entry(&v("\"127.0.0.1:2222:22/tcp\"")),
            Some((Some(2222), 22))
        );
        assert_eq!(port_entry(&v("3000")), Some((None, 3000)));
        assert_eq!(
            port_entry(&v("{target: 80, published: \"8000\"}")),
            Some((Some(8000), 80))
        );
    }
}
