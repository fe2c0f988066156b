//! What a runbook command refers to: the units of `systemctl`/`journalctl`, the containers
//! and compose stacks of `docker`, the hosts of `ssh`/`scp`/`rsync`, the URLs of
//! `curl`/`wget`/`http`, and absolute paths. Wrappers (`sudo`, `env X=1`, `timeout 5`,
//! `bash -c '...'`, `ssh host 'cmd'`) are looked through. Placeholders (`<host>`,
//! `$HOST`, `{{unit}}`, `HOST`) and globs are never references.

use super::shell::{self, Command, Word};
use std::ops::Range;

/// What kind of fleet name a reference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefKind {
    /// A systemd unit (`systemctl`, `journalctl -u`), as written (`.service` may be left out).
    Unit,
    /// A container (`docker logs NAME`).
    Container,
    /// A compose file (`docker compose -f FILE`).
    ComposeFile,
    /// A compose project name (`docker compose -p NAME`).
    ComposeProject,
    /// A host to log in to or copy from (`ssh`, `scp`, `rsync`, `systemctl -H`, `docker -H`).
    Host,
    /// A URL fetched by `curl`, `wget` or `http`.
    Url,
    /// An absolute path.
    Path,
}

impl RefKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RefKind::Unit => "unit",
            RefKind::Container => "container",
            RefKind::ComposeFile => "compose-file",
            RefKind::ComposeProject => "compose-project",
            RefKind::Host => "host",
            RefKind::Url => "url",
            RefKind::Path => "path",
        }
    }
}

/// One reference: its kind, its text as the shell sees it, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Found {
    pub kind: RefKind,
    pub text: String,
    pub span: Range<usize>,
    /// On a line with the opt-out comment.
    pub ignored: bool,
}

/// Every reference of the commands of one block, in order.
pub fn references(commands: &[Command]) -> Vec<Found> {
    let mut out = Vec::new();
    for c in commands {
        let start = out.len();
        command(&c.words, &mut out, 0);
        if c.ignored {
            for f in &mut out[start..] {
                f.ignored = true;
            }
        }
    }
    out
}

/// A word that stands for something else: a variable, a template, a glob, `HOST`.
fn placeholder(w: &Word) -> bool {
    w.dynamic
        || w.text.is_empty()
        || w.text
            .contains(['<', '>', '{', '}', '*', '?', '[', ']', '%'])
        || w.text.contains("...")
        || w.text.contains('…')
        || (w.text.len() > 1
            && w.text.bytes().any(|b| b.is_ascii_uppercase())
            && w.text
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'_' || b.is_ascii_digit()))
}

fn push(out: &mut Vec<Found>, kind: RefKind, w: &Word, from: usize, to: usize) {
    if from >= to || to > w.text.len() {
        return;
    }
    out.push(Found {
        kind,
        text: w.text[from..to].to_string(),
        span: w.span(from, to),
        ignored: false,
    });
}

fn whole(out: &mut Vec<Found>, kind: RefKind, w: &Word) {
    if !placeholder(w) {
        push(out, kind, w, 0, w.text.len());
    }
}

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time", "exec", "command",
    "builtin", "nohup", "chronic", "unbuffer", "torsocks",
];

fn is_assignment(t: &str) -> bool {
    match t.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !name.as_bytes()[0].is_ascii_digit()
        }
        None => false,
    }
}

/// Skip the options of a wrapper: flags, and the value after each option in `with_value`.
fn skip_options(words: &[Word], mut i: usize, with_value: &[&str]) -> usize {
    while let Some(w) = words.get(i) {
        let t = w.text.as_str();
        if t == "--" {
            return i + 1;
        }
        if !t.starts_with('-') || t == "-" {
            break;
        }
        i += 1;
        if !t.contains('=') && with_value.contains(&t) {
            i += 1;
        }
    }
    i
}

/// Recognise one simple command (`depth` bounds `bash -c` / `ssh host cmd` nesting).
fn command(words: &[Word], out: &mut Vec<Found>, depth: usize) {
    if depth > 4 {
        return;
    }
    // A template written with spaces (`{{ service }}`) is one placeholder, not words.
    let kept: Vec<Word>;
    let words = if words.iter().any(|w| w.text.contains("{{")) {
        let mut inside = false;
        kept = words
            .iter()
            .filter(|w| {
                let open = w.text.contains("{{");
                let close = w.text.contains("}}");
                let keep = !inside && (!open || close);
                if open && !close {
                    inside = true;
                } else if close {
                    inside = false;
                }
                keep
            })
            .cloned()
            .collect();
        &kept[..]
    } else {
        words
    };
    let mut i = 0;
    // Assignments, keywords and wrappers before the command itself.
    loop {
        let Some(w) = words.get(i) else { return };
        let t = w.text.as_str();
        let name = t.rsplit('/').next().unwrap_or(t);
        if is_assignment(t) || KEYWORDS.contains(&t) {
            i += 1;
            continue;
        }
        i = match name {
            "sudo" => skip_options(
                words,
                i + 1,
                &[
                    "-u", "-g", "-C", "-D", "-p", "-r", "-t", "-U", "-T", "-h", "--user",
                    "--group", "--chdir", "--host", "--prompt",
                ],
            ),
            "doas" => skip_options(words, i + 1, &["-u", "-C"]),
            "env" => skip_options(words, i + 1, &["-u", "-C", "-S", "--unset", "--chdir"]),
            "nice" => skip_options(words, i + 1, &["-n", "--adjustment"]),
            "ionice" => skip_options(words, i + 1, &["-c", "-n", "-p", "--class", "--classdata"]),
            "stdbuf" => skip_options(words, i + 1, &["-i", "-o", "-e"]),
            "watch" => skip_options(words, i + 1, &["-n", "--interval", "-d"]),
            "runuser" => skip_options(words, i + 1, &["-u", "-g", "--user", "--group"]),
            "timeout" => {
                let j = skip_options(words, i + 1, &["-s", "-k", "--signal", "--kill-after"]);
                j + 1
            }
            "flock" => {
                let j = skip_options(
                    words,
                    i + 1,
                    &["-w", "--timeout", "-E", "--conflict-exit-code"],
                );
                j + 1
            }
            "xargs" => skip_options(
                words,
                i + 1,
                &[
                    "-I",
                    "-n",
                    "-P",
                    "-d",
                    "-L",
                    "-a",
                    "-E",
                    "-s",
                    "--max-args",
                    "--max-procs",
                ],
            ),
            "bash" | "sh" | "zsh" | "dash" => {
                // `bash -c 'cmd'`: the string is a script of its own.
                match words[i + 1..]
                    .iter()
                    .position(|w| w.text == "-c" || w.text == "-lc")
                {
                    Some(p) => {
                        if let Some(script) = words.get(i + 2 + p) {
                            relex(script, out, depth);
                        }
                        return;
                    }
                    None => break,
                }
            }
            _ => break,
        };
    }
    let Some(head) = words.get(i) else { return };
    let name = head.text.rsplit('/').next().unwrap_or(&head.text);
    let args = &words[i + 1..];
    match name {
        "systemctl" => systemctl(args, out),
        "journalctl" => journalctl(args, out),
        "docker" | "podman" => docker(args, out),
        "docker-compose" => compose(args, out),
        "ssh" | "mosh" => ssh(args, out, depth),
        "scp" | "sftp" => copy(
            args,
            out,
            &["-P", "-i", "-o", "-F", "-J", "-l", "-c", "-S", "-D", "-X"],
        ),
        "rsync" => copy(
            args,
            out,
            &[
                "-e",
                "--rsh",
                "-f",
                "--filter",
                "-T",
                "--exclude",
                "--include",
                "--exclude-from",
                "--include-from",
                "--log-file",
                "--files-from",
                "--password-file",
                "--chmod",
                "--chown",
                "-B",
                "--block-size",
            ],
        ),
        "curl" => urls(args, out, CURL_VALUES, false),
        "wget" => urls(args, out, WGET_VALUES, false),
        "http" | "https" | "xh" | "xhs" => urls(args, out, HTTPIE_VALUES, true),
        _ => paths(args, out),
    }
}

/// Read a quoted string as a script (`bash -c '...'`, `ssh host '...'`), with the
/// offsets its characters have in the page.
fn relex(w: &Word, out: &mut Vec<Found>, depth: usize) {
    if w.dynamic && !w.text.contains(' ') {
        return;
    }
    let chars: Vec<(char, usize)> = w.text.char_indices().map(|(i, c)| (c, w.offs[i])).collect();
    for c in shell::read_stream(&chars) {
        let start = out.len();
        command(&c.words, out, depth + 1);
        if c.ignored {
            for f in &mut out[start..] {
                f.ignored = true;
            }
        }
    }
}

/// Absolute paths among the arguments of any other command (`--opt=/path` too).
fn paths(args: &[Word], out: &mut Vec<Found>) {
    for w in args {
        if placeholder(w) {
            continue;
        }
        if w.text.starts_with('/') && w.text.len() > 1 {
            push(out, RefKind::Path, w, 0, w.text.len());
        } else if w.text.starts_with('-') {
            if let Some(eq) = w.text.find("=/") {
                push(out, RefKind::Path, w, eq + 1, w.text.len());
            }
        }
    }
}

const SYSTEMCTL_VALUES: &[&str] = &[
    "-H",
    "--host",
    "-M",
    "--machine",
    "-t",
    "--type",
    "-p",
    "--property",
    "-s",
    "--signal",
    "-n",
    "--lines",
    "-o",
    "--output",
    "--state",
    "--kill-whom",
    "--kill-who",
    "--root",
    "--job-mode",
    "--what",
    "--timestamp",
    "--boot-loader-entry",
    "--reboot-argument",
    "--message",
    "--check-inhibitors",
    "-P",
    "--preset-mode",
];

/// Verbs whose arguments are units (patterns, for `list-units`, are left alone).
const SYSTEMCTL_UNIT_VERBS: &[&str] = &[
    "start",
    "stop",
    "restart",
    "reload",
    "try-restart",
    "reload-or-restart",
    "try-reload-or-restart",
    "condrestart",
    "force-reload",
    "enable",
    "disable",
    "reenable",
    "status",
    "show",
    "cat",
    "edit",
    "kill",
    "is-active",
    "is-enabled",
    "is-failed",
    "mask",
    "unmask",
    "list-dependencies",
    "freeze",
    "thaw",
    "clean",
    "reset-failed",
    "preset",
    "revert",
    "help",
    "link",
    "bind",
    "mount-image",
    "set-property",
    "isolate",
];

fn host_option(w: &Word, out: &mut Vec<Found>) {
    if placeholder(w) {
        return;
    }
    let t = &w.text;
    let t_start = t.strip_prefix("ssh://").map(|_| 6).unwrap_or(0);
    let rest = &t[t_start..];
    let at = rest.find('@').map(|a| a + 1).unwrap_or(0);
    let host = &rest[at..];
    let end = host.find([':', '/']).unwrap_or(host.len());
    push(out, RefKind::Host, w, t_start + at, t_start + at + end);
}

/// Split options (and their values) from positional words; `-H host` is reported.
fn positionals<'w>(
    args: &'w [Word],
    values: &[&str],
    out: &mut Vec<Found>,
    host_opts: &[&str],
) -> Vec<&'w Word> {
    let mut pos = Vec::new();
    let mut i = 0;
    let mut only_pos = false;
    while let Some(w) = args.get(i) {
        i += 1;
        let t = w.text.as_str();
        if only_pos || !t.starts_with('-') || t == "-" {
            pos.push(w);
            continue;
        }
        if t == "--" {
            only_pos = true;
            continue;
        }
        if let Some((k, _)) = t.split_once('=') {
            if host_opts.contains(&k) {
                let eq = k.len() + 1;
                let sub = Word {
                    text: t[eq..].to_string(),
                    offs: w.offs[eq..].to_vec(),
                    dynamic: w.dynamic,
                };
                host_option(&sub, out);
            }
            continue;
        }
        if values.contains(&t) {
            if let Some(v) = args.get(i) {
                if host_opts.contains(&t) {
                    host_option(v, out);
                }
            }
            i += 1;
        }
    }
    pos
}

fn systemctl(args: &[Word], out: &mut Vec<Found>) {
    let pos = positionals(args, SYSTEMCTL_VALUES, out, &["-H", "--host"]);
    let Some(verb) = pos.first() else { return };
    if !SYSTEMCTL_UNIT_VERBS.contains(&verb.text.as_str()) {
        return;
    }
    let units = if verb.text == "set-property" {
        &pos[1..pos.len().min(2)]
    } else {
        &pos[1..]
    };
    for u in units {
        whole(out, RefKind::Unit, u);
    }
}

fn journalctl(args: &[Word], out: &mut Vec<Found>) {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let t = w.text.as_str();
        if let Some(v) = t
            .strip_prefix("--unit=")
            .or_else(|| t.strip_prefix("--user-unit="))
        {
            let from = t.len() - v.len();
            if !placeholder(w) {
                push(out, RefKind::Unit, w, from, t.len());
            }
        } else if let Some(v) = t.strip_prefix("_SYSTEMD_UNIT=") {
            let from = t.len() - v.len();
            if !placeholder(w) {
                push(out, RefKind::Unit, w, from, t.len());
            }
        } else if t == "--unit" || t == "--user-unit" {
            if let Some(v) = args.get(i) {
                whole(out, RefKind::Unit, v);
            }
            i += 1;
        } else if t.starts_with('-') && !t.starts_with("--") && t.len() > 1 {
            // A cluster of short options: `-u unit`, `-fu unit`, `-uunit`.
            let flags = &t[1..];
            if let Some(p) = flags.find('u') {
                if p + 1 == flags.len() {
                    if let Some(v) = args.get(i) {
                        whole(out, RefKind::Unit, v);
                    }
                    i += 1;
                } else if !placeholder(w) && flags[..p].chars().all(|c| "fael".contains(c)) {
                    push(out, RefKind::Unit, w, p + 2, t.len());
                }
            } else if flags.ends_with(['n', 'p', 'o', 't', 'S', 'U', 'D', 'M', 'H']) {
                if flags.ends_with('H') {
                    if let Some(v) = args.get(i) {
                        host_option(v, out);
                    }
                }
                i += 1;
            }
        } else if matches!(
            t,
            "--since"
                | "--until"
                | "--lines"
                | "--output"
                | "--priority"
                | "--identifier"
                | "--directory"
                | "--host"
                | "--machine"
        ) {
            if t == "--host" {
                if let Some(v) = args.get(i) {
                    host_option(v, out);
                }
            }
            i += 1;
        }
    }
}

const DOCKER_GLOBAL_VALUES: &[&str] = &[
    "-H",
    "--host",
    "-c",
    "--context",
    "--config",
    "-l",
    "--log-level",
    "--tlscacert",
    "--tlscert",
    "--tlskey",
];

/// Container verbs: (verb, whether every argument is a container, its options with values).
const DOCKER_VERBS: &[(&str, bool, &[&str])] = &[
    ("start", true, &["--detach-keys"]),
    ("stop", true, &["-t", "--time", "-s", "--signal"]),
    ("restart", true, &["-t", "--time", "-s", "--signal"]),
    ("kill", true, &["-s", "--signal"]),
    ("rm", true, &[]),
    ("pause", true, &[]),
    ("unpause", true, &[]),
    ("wait", true, &[]),
    ("stats", true, &["--format"]),
    ("inspect", true, &["-f", "--format", "--type"]),
    ("logs", false, &["-n", "--tail", "--since", "--until"]),
    (
        "exec",
        false,
        &[
            "-e",
            "--env",
            "--env-file",
            "-u",
            "--user",
            "-w",
            "--workdir",
            "--detach-keys",
        ],
    ),
    ("attach", false, &["--detach-keys"]),
    ("top", false, &[]),
    ("port", false, &[]),
    ("diff", false, &[]),
    ("export", false, &["-o", "--output"]),
    ("rename", false, &[]),
];

fn docker(args: &[Word], out: &mut Vec<Found>) {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let t = w.text.as_str();
        if !t.starts_with('-') {
            break;
        }
        i += 1;
        if let Some(v) = t.strip_prefix("--host=") {
            let sub = Word {
                text: v.to_string(),
                offs: w.offs[7..].to_vec(),
                dynamic: w.dynamic,
            };
            host_option(&sub, out);
        } else if DOCKER_GLOBAL_VALUES.contains(&t) {
            if t == "-H" || t == "--host" {
                if let Some(v) = args.get(i) {
                    if v.text.starts_with("ssh://") {
                        host_option(v, out);
                    }
                }
            }
            i += 1;
        }
    }
    let Some(verb) = args.get(i) else { return };
    let mut verb_text = verb.text.as_str();
    let mut rest = &args[i + 1..];
    if verb_text == "container" {
        let Some(v) = rest.first() else { return };
        verb_text = v.text.as_str();
        rest = &rest[1..];
    }
    if verb_text == "compose" {
        compose(rest, out);
        return;
    }
    if verb_text == "cp" {
        for w in positionals(rest, &[], out, &[]) {
            if let Some(c) = w.text.find(':') {
                if !w.text[..c].contains('/') && !placeholder(w) {
                    push(out, RefKind::Container, w, 0, c);
                }
            }
        }
        return;
    }
    let Some((_, all, values)) = DOCKER_VERBS.iter().find(|(v, _, _)| *v == verb_text) else {
        return;
    };
    if verb_text == "inspect"
        && rest
            .windows(2)
            .any(|p| p[0].text == "--type" && p[1].text != "container")
    {
        return;
    }
    let pos = positionals_until_first(rest, values, *all);
    for w in pos {
        // An image (`nginx:1.25`, `ghcr.io/x`) is not a container.
        if w.text.contains([':', '/']) {
            continue;
        }
        whole(out, RefKind::Container, w);
    }
}

/// The positional words; with `all` false, only the first (what follows is a command).
fn positionals_until_first<'w>(args: &'w [Word], values: &[&str], all: bool) -> Vec<&'w Word> {
    let mut pos = Vec::new();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let t = w.text.as_str();
        if t.starts_with('-') && t != "-" {
            if !t.contains('=') && values.contains(&t) {
                i += 1;
            }
            continue;
        }
        pos.push(w);
        if !all {
            break;
        }
    }
    pos
}

fn compose(args: &[Word], out: &mut Vec<Found>) {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let t = w.text.as_str();
        let (key, inline) = match t.split_once('=') {
            Some((k, _)) if t.starts_with("--") => (k, Some(k.len() + 1)),
            _ => (t, None),
        };
        let kind = match key {
            "-f" | "--file" => Some(RefKind::ComposeFile),
            "-p" | "--project-name" => Some(RefKind::ComposeProject),
            "--project-directory" => Some(RefKind::Path),
            "--env-file" => Some(RefKind::Path),
            "--profile" | "--ansi" | "--progress" | "--parallel" => None,
            _ if !t.starts_with('-') => return,
            _ => continue,
        };
        let (word, from) = match inline {
            Some(from) => (w, from),
            None => {
                i += 1;
                match args.get(i - 1) {
                    Some(v) => (v, 0),
                    None => return,
                }
            }
        };
        if let Some(kind) = kind {
            if !placeholder(word) {
                if kind == RefKind::Path && !word.text[from..].starts_with('/') {
                    continue;
                }
                push(out, kind, word, from, word.text.len());
            }
        }
    }
}

const SSH_VALUES: &[&str] = &[
    "-p", "-i", "-l", "-o", "-F", "-J", "-L", "-R", "-D", "-b", "-c", "-E", "-e", "-I", "-m", "-O",
    "-Q", "-S", "-W", "-w", "-B",
];

fn ssh(args: &[Word], out: &mut Vec<Found>, depth: usize) {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let t = w.text.as_str();
        if !t.starts_with('-') {
            break;
        }
        i += 1;
        if t == "-J" {
            if let Some(v) = args.get(i) {
                for part in split_commas(v) {
                    host_option(&part, out);
                }
            }
        }
        if SSH_VALUES.contains(&t) {
            i += 1;
        } else if t.len() > 2 && SSH_VALUES.contains(&&t[..2]) && !t.starts_with("--") {
            // `-p2222`: the value is attached.
        }
    }
    let Some(dest) = args.get(i) else { return };
    host_option(dest, out);
    let rest = &args[i + 1..];
    match rest {
        [] => {}
        [one] => relex(one, out, depth),
        many => command(many, out, depth + 1),
    }
}

fn split_commas(w: &Word) -> Vec<Word> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in w
        .text
        .char_indices()
        .chain(std::iter::once((w.text.len(), ',')))
    {
        if c == ',' {
            parts.push(Word {
                text: w.text[start..i].to_string(),
                offs: w.offs[start..i].to_vec(),
                dynamic: w.dynamic,
            });
            start = i + 1;
        }
    }
    parts
}

/// `scp` and `rsync`: `[user@]host:path` arguments name a host; `rsync://host/` too.
fn copy(args: &[Word], out: &mut Vec<Found>, values: &[&str]) {
    for w in positionals(args, values, out, &[]) {
        if placeholder(w) {
            continue;
        }
        let t = &w.text;
        if let Some(rest) = t.strip_prefix("rsync://") {
            let at = rest.find('@').map(|a| a + 1).unwrap_or(0);
            let end = rest[at..]
                .find([':', '/'])
                .map(|e| at + e)
                .unwrap_or(rest.len());
            push(out, RefKind::Host, w, 8 + at, 8 + end);
            continue;
        }
        match t.find(':') {
            Some(c) if !t[..c].contains('/') && c > 0 => {
                let at = t[..c].find('@').map(|a| a + 1).unwrap_or(0);
                push(out, RefKind::Host, w, at, c);
                let p = t[c + 1..].trim_start_matches(':');
                if p.starts_with('/') {
                    let from = t.len() - p.len();
                    push(out, RefKind::Path, w, from, t.len());
                }
            }
            _ if t.starts_with('/') => push(out, RefKind::Path, w, 0, t.len()),
            _ => {}
        }
    }
}

const CURL_VALUES: &[&str] = &[
    "-o",
    "-X",
    "-H",
    "-d",
    "-u",
    "-A",
    "-e",
    "-b",
    "-c",
    "-F",
    "-T",
    "-w",
    "-m",
    "-x",
    "-r",
    "-C",
    "-K",
    "-U",
    "-E",
    "-Y",
    "-y",
    "-z",
    "-Q",
    "-P",
    "--output",
    "--request",
    "--header",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-urlencode",
    "--json",
    "--user",
    "--user-agent",
    "--referer",
    "--cookie",
    "--cookie-jar",
    "--form",
    "--upload-file",
    "--write-out",
    "--max-time",
    "--connect-timeout",
    "--proxy",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--resolve",
    "--connect-to",
    "--cacert",
    "--capath",
    "--cert",
    "--key",
    "--config",
    "--interface",
    "--limit-rate",
    "--max-filesize",
    "--oauth2-bearer",
    "--range",
    "--unix-socket",
    "--output-dir",
    "--dns-servers",
    "--noproxy",
];
const WGET_VALUES: &[&str] = &[
    "-O",
    "-o",
    "-a",
    "-P",
    "-e",
    "-U",
    "-t",
    "-T",
    "-w",
    "-i",
    "-Q",
    "-l",
    "--header",
    "--output-document",
    "--user",
    "--password",
    "--tries",
    "--timeout",
    "--wait",
    "--user-agent",
    "--post-data",
    "--directory-prefix",
];
const HTTPIE_VALUES: &[&str] = &[
    "-a",
    "--auth",
    "-A",
    "--auth-type",
    "-o",
    "--output",
    "--session",
    "--timeout",
    "--verify",
    "--cert",
    "--cert-key",
    "-p",
    "--print",
    "--proxy",
    "--pretty",
    "-s",
    "--style",
];

/// URLs among the arguments (with a scheme, or the bare `host/path` curl also accepts).
fn urls(args: &[Word], out: &mut Vec<Found>, values: &[&str], httpie: bool) {
    let mut first = true;
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let t = w.text.as_str();
        if t.starts_with('-') && t != "-" {
            if let Some((k, v)) = t.split_once('=') {
                if k == "--url" && !placeholder(w) {
                    push(out, RefKind::Url, w, k.len() + 1, k.len() + 1 + v.len());
                }
            } else if t == "--url" {
                if let Some(v) = args.get(i) {
                    whole(out, RefKind::Url, v);
                }
                i += 1;
            } else if values.contains(&t) {
                i += 1;
            }
            continue;
        }
        if httpie && first && t.bytes().all(|b| b.is_ascii_uppercase()) {
            continue;
        }
        if placeholder(w) {
            first = false;
            continue;
        }
        let schemed = t.starts_with("http://") || t.starts_with("https://");
        let bare = (!httpie || first)
            && !t.contains("://")
            && !t.starts_with('@')
            && !t.starts_with('/')
            && !t.starts_with('.')
            && !t.contains('=')
            && looks_like_host(t.split(['/', '?']).next().unwrap_or(""));
        if schemed || bare {
            push(out, RefKind::Url, w, 0, t.len());
        }
        first = false;
    }
}

/// `name.tld`, `name.tld:port`, `localhost:8080`, `:8080` (httpie's localhost).
fn looks_like_host(h: &str) -> bool {
    let name = h.rsplit_once(':').map(|(n, _)| n).unwrap_or(h);
    if let Some(port) = h.strip_prefix(':') {
        return !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
    }
    !name.is_empty()
        && (name.contains('.') || name == "localhost")
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && !name.ends_with(".json")
        && !name.ends_with(".yaml")
        && !name.ends_with(".txt")
        && !name.ends_with(".sh")
}
