//! Code blocks highlighted at build time: a fenced block's info string names its language;
//! shell and console blocks, most of what runbooks hold, are parsed by tree-sitter's bash
//! grammar (`shell.rs`); the other languages are tokenized by syntect (Oniguruma regex
//! engine) with the grammars two-face bundles. Each token becomes a `<span>` with `hl-`
//! classes (never inline styles), so the light and the dark palette are plain CSS
//! (`assets/style.css`, "Code highlighting").
//!
//! The grammars load on the first block that needs them (`OnceLock`): a build without
//! highlighted code pays nothing. A language without a grammar, an unknown info string, a
//! block a grammar cannot parse or one too large to be worth it is written as plain text.

mod shell;

use crate::render::tables::{esc, esc_into};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Above this many bytes a block is written as plain text: highlighting it would cost more
/// than it gives a reader.
const MAX_HIGHLIGHTED: usize = 64 * 1024;

/// The languages a fenced block can name, by what runbooks hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// `console`, `shell-session`: `$ ` prompts, commands highlighted as shell, output plain.
    Console,
    Shell,
    Yaml,
    Toml,
    Json,
    Ini,
    /// systemd units are INI files with their own keys: read with the INI grammar.
    Systemd,
    Dockerfile,
    Nginx,
    Hcl,
    Sql,
    /// No grammar with a permissive licence is bundled: plain text.
    Caddyfile,
    /// No grammar with a permissive licence is bundled: plain text.
    PromQL,
    Plain,
}

impl Lang {
    /// The language an info string names (its first word, any case); `Plain` when unknown.
    pub fn from_info(info: &str) -> Lang {
        let word = info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match word.as_str() {
            "console" | "shell-session" | "shellsession" | "terminal" => Lang::Console,
            "sh" | "bash" | "shell" | "zsh" => Lang::Shell,
            "yaml" | "yml" => Lang::Yaml,
            "toml" => Lang::Toml,
            "json" | "jsonc" => Lang::Json,
            "ini" | "cfg" | "conf" => Lang::Ini,
            "systemd" | "service" | "unit" | "timer" | "socket" => Lang::Systemd,
            "dockerfile" | "docker" | "containerfile" => Lang::Dockerfile,
            "nginx" => Lang::Nginx,
            "hcl" | "terraform" | "tf" => Lang::Hcl,
            "sql" | "psql" | "postgresql" | "mysql" => Lang::Sql,
            "caddy" | "caddyfile" => Lang::Caddyfile,
            "promql" => Lang::PromQL,
            _ => Lang::Plain,
        }
    }

    /// The grammar's name in syntect's bundled set; `None` for plain text and for shell
    /// (tree-sitter's, see `shell.rs`).
    fn grammar(self) -> Option<&'static str> {
        Some(match self {
            Lang::Console | Lang::Shell => return None,
            Lang::Yaml => "YAML",
            Lang::Toml => "TOML",
            Lang::Json => "JSON",
            Lang::Ini | Lang::Systemd => "INI",
            Lang::Dockerfile => "Dockerfile",
            Lang::Nginx => "nginx",
            Lang::Hcl => "Terraform",
            Lang::Sql => "SQL",
            Lang::Caddyfile | Lang::PromQL | Lang::Plain => return None,
        })
    }
}

/// The bundled grammars, loaded once, on first use.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

fn syntax(lang: Lang) -> Option<&'static SyntaxReference> {
    let name = lang.grammar()?;
    syntaxes().find_syntax_by_name(name)
}

/// The first scope atoms the palette colours (`assets/style.css`, "Code highlighting").
const COLOURED: [&str; 9] = [
    "comment", "keyword", "storage", "string", "constant", "entity", "support", "variable",
    "invalid",
];

thread_local! {
    /// Each scope's classes (`entity.name.tag.yaml` -> `hl-entity hl-name hl-tag hl-yaml`),
    /// or `None` for a scope the palette does not colour; per render thread, kept.
    static CLASSES: RefCell<HashMap<Scope, Option<Rc<str>>>> = RefCell::new(HashMap::new());
}

/// The classes of the innermost coloured scope of `stack` (the colour nested spans would
/// show); `None` when no scope of it is coloured.
fn classes_of(stack: &ScopeStack) -> Option<Rc<str>> {
    CLASSES.with(|cache| {
        let mut cache = cache.borrow_mut();
        stack.as_slice().iter().rev().find_map(|scope| {
            cache
                .entry(*scope)
                .or_insert_with(|| {
                    let name = scope.build_string();
                    let first = name.split('.').next().unwrap_or("");
                    COLOURED.contains(&first).then(|| {
                        name.split('.')
                            .map(|atom| format!("hl-{atom}"))
                            .collect::<Vec<_>>()
                            .join(" ")
                            .into()
                    })
                })
                .clone()
        })
    })
}

/// Token spans of `text` in `syntax`, one span per run of text with the same colour (the
/// classes of its innermost coloured scope), none around plain text, none around white
/// space alone; `None` when the grammar fails on it.
fn spans(text: &str, syntax: &SyntaxReference) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = String::with_capacity(text.len() * 2);
    let mut runs = Runs::default();
    for line in LinesWithEndings::from(text) {
        let ops = state.parse_line(line, syntaxes()).ok()?;
        let mut at = 0;
        for (pos, op) in ops {
            let pos = pos.min(line.len());
            if pos > at {
                runs.put(&mut out, classes_of(&stack), line.get(at..pos)?);
                at = pos;
            }
            stack.apply(&op).ok()?;
        }
        runs.put(&mut out, classes_of(&stack), line.get(at..)?);
    }
    runs.finish(&mut out);
    Some(out)
}

/// Text written as runs of one colour: the open span's classes, and white space not yet
/// written (it joins the open span when the next token has the same colour, and is
/// written outside it otherwise).
#[derive(Default)]
struct Runs {
    open: Option<Rc<str>>,
    gap: String,
}

impl Runs {
    fn put(&mut self, out: &mut String, classes: Option<Rc<str>>, piece: &str) {
        if piece.bytes().all(|b| b.is_ascii_whitespace()) {
            self.gap.push_str(piece);
            return;
        }
        if classes != self.open {
            self.finish(out);
            if let Some(c) = &classes {
                out.push_str("<span class=\"");
                out.push_str(c);
                out.push_str("\">");
            }
            self.open = classes;
        } else {
            out.push_str(&self.gap);
            self.gap.clear();
        }
        esc_into(out, piece);
    }

    /// Closes the open span, then writes the white space after it.
    fn finish(&mut self, out: &mut String) {
        if self.open.take().is_some() {
            out.push_str("</span>");
        }
        out.push_str(&self.gap);
        self.gap.clear();
    }
}

/// A console session: each command (a line after a `$ ` prompt, with the lines its
/// trailing `\` continues) highlighted as shell, the prompt in its own span that the copy
/// button leaves out, and the output plain.
fn console(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() * 3);
    let mut lines = LinesWithEndings::from(text).peekable();
    while let Some(line) = lines.next() {
        let bare_prompt = line.trim_end_matches(['\r', '\n']) == "$";
        let Some(cmd) = line
            .strip_prefix("$ ")
            .or_else(|| line.strip_prefix('$').filter(|_| bare_prompt))
        else {
            out.push_str("<span class=\"output\">");
            out.push_str(&esc(line));
            out.push_str("</span>");
            continue;
        };
        let mut command = cmd.to_string();
        while command.trim_end_matches(['\r', '\n']).ends_with('\\') {
            match lines.next() {
                Some(next) => command.push_str(next),
                None => break,
            }
        }
        out.push_str("<span class=\"prompt\">$ </span><span class=\"command\">");
        out.push_str(&shell::spans(&command)?);
        out.push_str("</span>");
    }
    Some(out)
}

/// A fenced code block as HTML: `<pre><code>` with the language as a class, highlighted
/// when its language has a grammar.
pub fn code_block(info: &str, text: &str) -> String {
    let lang = Lang::from_info(info);
    let word = info.split_whitespace().next().unwrap_or("");
    let mut class = String::new();
    if !word.is_empty() {
        class = format!("language-{}", esc(word));
    }
    let body = if text.len() > MAX_HIGHLIGHTED {
        None
    } else {
        match lang {
            Lang::Console => console(text),
            Lang::Shell => shell::spans(text),
            _ => syntax(lang).and_then(|s| spans(text, s)),
        }
    };
    let (body, highlighted) = match body {
        Some(b) => (b, true),
        None => (esc(text), false),
    };
    if highlighted {
        class.push_str(if lang == Lang::Console {
            " hl console"
        } else {
            " hl"
        });
    }
    let class = class.trim_start();
    if class.is_empty() {
        format!("<pre><code>{body}</code></pre>\n")
    } else {
        format!("<pre><code class=\"{class}\">{body}</code></pre>\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_grammar_is_bundled() {
        assert!(shell::spans("echo ok\n").is_some());
        for lang in [
            Lang::Yaml,
            Lang::Toml,
            Lang::Json,
            Lang::Ini,
            Lang::Dockerfile,
            Lang::Nginx,
            Lang::Hcl,
            Lang::Sql,
        ] {
            assert!(syntax(lang).is_some(), "{lang:?}");
        }
    }

    #[test]
    fn hostile_text_is_escaped_in_every_language() {
        for info in ["yaml", "console", "plain", "\"><x"] {
            let html = code_block(info, "$ echo '<script>'\n<b>&\n\u{25cf} out\n$\n");
            assert!(
                !html.contains("<script>") && !html.contains("<b>"),
                "{html}"
            );
            assert!(!html.contains("\"><x"), "{html}");
        }
    }
}
