//! Shell code highlighted from a parse: tree-sitter's bash grammar. The TextMate shell
//! grammar syntect runs tries hundreds of patterns at each position of a line; a parse
//! costs a fraction of that and gives one span per token that has a colour, not a span per
//! scope.
//!
//! The tokens that get a colour are the ones the grammar's own highlight query
//! (`queries/highlights.scm` of tree-sitter-bash) captures, read off the tree in one walk:
//! compiling that query for tree-sitter-highlight cost more than highlighting a thousand
//! blocks with it (tens of milliseconds, on every build), and matching it against each tree
//! cost a third of the highlighting. The tests hold the walk to what tree-sitter-highlight
//! gives with the query, on every shell block of the example site, the fixtures and the
//! benchmark corpus.
//!
//! Each colour is the classes the other languages use for the same kind of token
//! (`assets/style.css`, "Code highlighting"), so one palette colours all.

use crate::render::tables::esc_into;
use std::cell::RefCell;
use std::sync::OnceLock;
use tree_sitter::{Parser, TreeCursor};

/// The query's captures and the classes each gets, in the query's order. Its `embedded`
/// capture (around `$(...)`) gets none: the tokens inside are coloured.
const STRING: &str = "hl-string";
const FUNCTION: &str = "hl-entity hl-function";
const PROPERTY: &str = "hl-variable";
const KEYWORD: &str = "hl-keyword";
const COMMENT: &str = "hl-comment";
const NUMBER: &str = "hl-constant hl-numeric";
const OPERATOR: &str = "hl-keyword hl-operator";
const CONSTANT: &str = "hl-variable hl-parameter";

/// What the query's patterns that look at a node's kind alone give it: named kinds, then
/// the keywords and operators (anonymous kinds), in the query's order.
const BY_KIND: &[(&str, bool, &str)] = &[
    ("string", true, STRING),
    ("raw_string", true, STRING),
    ("heredoc_body", true, STRING),
    ("heredoc_start", true, STRING),
    ("command_name", true, FUNCTION),
    ("variable_name", true, PROPERTY),
    ("case", false, KEYWORD),
    ("do", false, KEYWORD),
    ("done", false, KEYWORD),
    ("elif", false, KEYWORD),
    ("else", false, KEYWORD),
    ("esac", false, KEYWORD),
    ("export", false, KEYWORD),
    ("fi", false, KEYWORD),
    ("for", false, KEYWORD),
    ("function", false, KEYWORD),
    ("if", false, KEYWORD),
    ("in", false, KEYWORD),
    ("select", false, KEYWORD),
    ("then", false, KEYWORD),
    ("unset", false, KEYWORD),
    ("until", false, KEYWORD),
    ("while", false, KEYWORD),
    ("comment", true, COMMENT),
    ("file_descriptor", true, NUMBER),
    ("$", false, OPERATOR),
    ("&&", false, OPERATOR),
    (">", false, OPERATOR),
    (">>", false, OPERATOR),
    ("<", false, OPERATOR),
    ("|", false, OPERATOR),
];

/// The grammar, and its node kinds as numbers.
struct Grammar {
    language: tree_sitter::Language,
    /// kind id -> the colour the kind alone gives
    by_kind: Vec<Option<&'static str>>,
    word: u16,
    command: u16,
    function_definition: u16,
}

fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        let language: tree_sitter::Language = tree_sitter_bash::LANGUAGE.into();
        let mut by_kind = vec![None; language.node_kind_count()];
        for &(kind, named, class) in BY_KIND {
            let id = language.id_for_node_kind(kind, named);
            if let Some(slot) = by_kind.get_mut(usize::from(id)) {
                *slot = Some(class);
            }
        }
        Grammar {
            word: language.id_for_node_kind("word", true),
            command: language.id_for_node_kind("command", true),
            function_definition: language.id_for_node_kind("function_definition", true),
            by_kind,
            language,
        }
    })
}

/// The colour of `node`, as the query gives it (where patterns agree on a node, the last
/// one's): by its kind; a function definition's name; and any named child of a command
/// that starts with `-`, which the query's last pattern makes an option.
fn colour(
    g: &Grammar,
    cursor: &TreeCursor,
    parent: Option<u16>,
    text: &str,
) -> Option<&'static str> {
    let node = cursor.node();
    let kind = node.kind_id();
    if node.is_named() && parent == Some(g.command) {
        let starts_dash = text
            .as_bytes()
            .get(node.start_byte())
            .is_some_and(|&b| b == b'-');
        if starts_dash {
            return Some(CONSTANT);
        }
    }
    // (The field's name is looked up only for a word under a function definition.)
    if kind == g.word
        && parent == Some(g.function_definition)
        && cursor.field_name() == Some("name")
    {
        return Some(FUNCTION);
    }
    g.by_kind.get(usize::from(kind)).copied().flatten()
}

thread_local! {
    /// One parser per render thread, reused block after block.
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// `text` as escaped HTML with a span per coloured token; `None` when the parser gives up
/// (the block is then written as plain text).
pub fn spans(text: &str) -> Option<String> {
    plain_commands(text).or_else(|| walk(text))
}

/// Words the grammar reads as keywords or builtins with a syntax of their own (or may,
/// where they stand): a block holding one as a word goes to the parser.
const RESERVED: &[&str] = &[
    "case", "coproc", "declare", "do", "done", "elif", "else", "esac", "export", "fi", "for",
    "function", "if", "in", "local", "readonly", "select", "then", "time", "typeset", "unset",
    "unsetenv", "until", "while",
];

/// A block of plain commands (most of a runbook's shell: `systemctl status x`,
/// `ss -tlnp | grep 8080`) coloured without a parse: the first word of a line, or after a
/// `|` or `&&`, is the command; the words after it that start with `-` are options; a `#`
/// at the start of a word starts a comment to the end of the line. A plain command is
/// words of letters, digits and `._/:,-` between spaces; a block with anything else
/// (quotes, `$`, `=`, redirections, tabs, a keyword, a pipe at the end of a line) is `None`
/// here and goes to the parser. The tests hold this to what the parse gives on generated
/// blocks.
fn plain_commands(text: &str) -> Option<String> {
    let word_byte =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'/' | b':' | b',' | b'-');
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let bytes = body.as_bytes();
        let mut i = 0;
        let mut first = true;
        while i < bytes.len() {
            if bytes[i] == b' ' {
                out.push(' ');
                i += 1;
                continue;
            }
            if bytes[i] == b'#' {
                if body[i..].contains('\r') {
                    return None;
                }
                open_span(&mut out, COMMENT);
                esc_into(&mut out, &body[i..]);
                out.push_str("</span>");
                break;
            }
            // A pipe or `&&` between two commands on one line.
            let op = match &bytes[i..] {
                [b'|', b' ', ..] => 1,
                [b'&', b'&', b' ', ..] => 2,
                _ => 0,
            };
            if op > 0 {
                let next = body[i + op..].trim_start().bytes().next();
                if first || !next.is_some_and(word_byte) {
                    return None;
                }
                open_span(&mut out, OPERATOR);
                esc_into(&mut out, &body[i..i + op]);
                out.push_str("</span>");
                i += op;
                first = true;
                continue;
            }
            let start = i;
            while i < bytes.len() && word_byte(bytes[i]) {
                i += 1;
            }
            if i == start || (i < bytes.len() && bytes[i] != b' ') {
                return None;
            }
            let word = &body[start..i];
            if RESERVED.contains(&word) {
                return None;
            }
            // As the query has it: a command's word that starts with `-` is an option,
            // even the first.
            let class = if word.starts_with('-') {
                Some(CONSTANT)
            } else if first {
                Some(FUNCTION)
            } else {
                None
            };
            first = false;
            match class {
                Some(class) => {
                    open_span(&mut out, class);
                    out.push_str(word);
                    out.push_str("</span>");
                }
                None => out.push_str(word),
            }
        }
        out.push_str(newline);
    }
    Some(out)
}

/// Opens a span of the classes `class`.
fn open_span(out: &mut String, class: &str) {
    out.push_str("<span class=\"");
    out.push_str(class);
    out.push_str("\">");
}

/// [`spans`] by a parse of `text` and one walk of its tree.
fn walk(text: &str) -> Option<String> {
    let g = grammar();
    PARSER.with(|p| {
        let mut p = p.try_borrow_mut().ok()?;
        if p.is_none() {
            let mut parser = Parser::new();
            parser.set_language(&g.language).ok()?;
            *p = Some(parser);
        }
        let tree = p.as_mut()?.parse(text, None)?;
        let mut out = String::with_capacity(text.len() + text.len() / 2);
        // Bytes of `text` written so far, and the ends of the spans open, innermost last.
        let mut at = 0;
        let mut open: Vec<usize> = Vec::new();
        let close = |out: &mut String, at: &mut usize, end: usize| -> Option<()> {
            if *at < end {
                esc_into(out, text.get(*at..end)?);
                *at = end;
            }
            out.push_str("</span>");
            Some(())
        };
        // Every node, parents before children, in the order of the text; the kinds of the
        // current node's parents, innermost last. Iterative: a block may nest deeply.
        let mut cursor = tree.walk();
        let mut parents: Vec<u16> = Vec::new();
        loop {
            let node = cursor.node();
            let start = node.start_byte();
            while let Some(&end) = open.last() {
                if end > start {
                    break;
                }
                open.pop();
                close(&mut out, &mut at, end)?;
            }
            if let Some(class) = colour(g, &cursor, parents.last().copied(), text) {
                if at < start {
                    esc_into(&mut out, text.get(at..start)?);
                    at = start;
                }
                open_span(&mut out, class);
                open.push(node.end_byte());
            }
            if cursor.goto_first_child() {
                parents.push(node.kind_id());
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    while let Some(end) = open.pop() {
                        close(&mut out, &mut at, end)?;
                    }
                    esc_into(&mut out, text.get(at..)?);
                    return Some(out);
                }
                parents.pop();
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

    /// The grammar's highlight query run by tree-sitter-highlight, each capture mapped to
    /// the classes [`spans`] gives it: what the walk must give.
    fn by_the_query(text: &str) -> Option<String> {
        const CAPTURES: [(&str, &str); 8] = [
            ("comment", COMMENT),
            ("string", STRING),
            ("keyword", KEYWORD),
            ("operator", OPERATOR),
            ("function", FUNCTION),
            ("property", PROPERTY),
            ("constant", CONSTANT),
            ("number", NUMBER),
        ];
        static CONFIG: OnceLock<HighlightConfiguration> = OnceLock::new();
        let config = CONFIG.get_or_init(|| {
            let mut c = HighlightConfiguration::new(
                tree_sitter_bash::LANGUAGE.into(),
                "bash",
                tree_sitter_bash::HIGHLIGHT_QUERY,
                "",
                "",
            )
            .unwrap();
            c.configure(&CAPTURES.map(|(name, _)| name));
            c
        });
        let mut h = Highlighter::new();
        let events = h
            .highlight(config, text.as_bytes(), None, None, |_| None)
            .ok()?;
        let mut out = String::new();
        for event in events {
            match event.ok()? {
                HighlightEvent::Source { start, end } => esc_into(&mut out, text.get(start..end)?),
                HighlightEvent::HighlightStart(c) => {
                    out.push_str("<span class=\"");
                    out.push_str(CAPTURES[c.0].1);
                    out.push_str("\">");
                }
                HighlightEvent::HighlightEnd => out.push_str("</span>"),
            }
        }
        Some(out)
    }

    /// A block of a few lines: of plain commands (words, options, numbers, comments) for
    /// two blocks in three, else with keywords and stray characters among them too.
    fn block() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let plain = || {
            prop_oneof![
                4 => "[a-z][a-z0-9._/:,-]{0,10}",
                2 => "--?[a-z0-9][a-z0-9._-]{0,8}",
                1 => "-?[0-9]{1,3}[a-z]?",
                1 => "#[ a-z$\"'<&>;|#-]{0,12}",
                1 => "[,.:/_-]{1,3}[a-z0-9]{0,3}",
                1 => prop::sample::select(vec!["|", "&&"]).prop_map(str::to_string),
            ]
            .boxed()
        };
        let any_token = prop_oneof![
            4 => plain(),
            1 => "--?[a-z]{1,4}=[a-z0-9]{0,4}",
            1 => "[a-z0-9]{0,3}[%@+][a-z0-9:]{0,3}",
            1 => prop::sample::select(RESERVED.to_vec()).prop_map(str::to_string),
            1 => prop::sample::select(vec!["||", "|&", ";", "&", ">", ">>", "<", "2>&1", "!"])
                .prop_map(str::to_string),
            1 => "[a-z]{1,4}[=$\"'\\;|&<>(){}\\[\\]*?!~\t\r@%][a-z]{0,3}",
        ]
        .boxed();
        let line = |token: BoxedStrategy<String>| {
            (
                " {0,2}",
                prop::collection::vec((token, " {1,2}"), 0..6),
                any::<bool>(),
            )
                .prop_map(|(lead, words, trailing)| {
                    let mut l = lead;
                    for (w, gap) in words {
                        l.push_str(&w);
                        l.push_str(&gap);
                    }
                    if !trailing {
                        l.truncate(l.trim_end().len());
                    }
                    l
                })
        };
        let lines = prop_oneof![
            2 => prop::collection::vec(line(plain()), 0..5),
            1 => prop::collection::vec(line(any_token), 0..5),
        ];
        (lines, any::<bool>()).prop_map(|(lines, end)| {
            let mut b = lines.join("\n");
            if end {
                b.push('\n');
            }
            b
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2048, ..Default::default() })]

        /// Plain commands coloured without a parse are coloured as the parse colours
        /// them; a block that is not only plain commands goes to the parser.
        #[test]
        fn plain_commands_are_coloured_as_the_parse_colours_them(text in block()) {
            if let Some(fast) = plain_commands(&text) {
                proptest::prop_assert_eq!(Some(fast), walk(&text), "{:?}", text);
            }
        }
    }

    #[test]
    fn runbook_commands_take_the_path_without_a_parse() {
        for text in [
            "systemctl status nginx.service\n",
            "df -h /var/lib/redis-09\nrestic snapshots --host build-09 --latest 3\n",
            "curl -fsS https://status.example.com/healthz\n# then\njournalctl -u app -n 50\n",
            "ss -tlnp | grep 8080\ncd /srv/app && git pull\n",
        ] {
            assert!(plain_commands(text).is_some(), "{text:?}");
        }
        for text in [
            "FOO=1 cmd\n",
            "echo \"x\"\n",
            "for x in a; do b; done\n",
            "a\tb\n",
            "a |\nb\n",
            "a||b\n",
            // The grammar reads these as a variable and a stray character.
            "a@\n",
            "a%\n",
            "a+:\n",
            // A pipe into a comment.
            ", | #\n",
        ] {
            assert!(plain_commands(text).is_none(), "{text:?}");
        }
    }

    /// Fenced blocks in `text` whose info string names a shell or a console session.
    fn shell_blocks(text: &str, into: &mut Vec<String>) {
        let mut block: Option<String> = None;
        for line in text.lines() {
            let t = line.trim_start();
            match &mut block {
                None => {
                    let info = t.strip_prefix("```").or_else(|| t.strip_prefix("~~~"));
                    if let Some(info) = info {
                        let lang = super::super::Lang::from_info(info.trim());
                        if matches!(
                            lang,
                            super::super::Lang::Shell | super::super::Lang::Console
                        ) {
                            block = Some(String::new());
                        }
                    }
                }
                Some(b) => {
                    if t.starts_with("```") || t.starts_with("~~~") {
                        into.push(std::mem::take(b));
                        block = None;
                    } else {
                        b.push_str(line);
                        b.push('\n');
                    }
                }
            }
        }
    }

    fn markdown_below(dir: &std::path::Path, into: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                markdown_below(&path, into);
            } else if path.extension().is_some_and(|x| x == "md") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    shell_blocks(&text, into);
                }
            }
        }
    }

    /// Shapes a runbook's shell holds, and broken ones.
    const SHAPES: &[&str] = &[
        "systemctl status nginx.service\n",
        "\"my cmd\" --flag -x arg\n",
        "-x\n",
        "'-single' \"-double\" -plain\n",
        "FOO=1 BAR=\"$HOME\" env -i cmd --opt=\"$(date +%s)\" | grep -v x >> /tmp/log 2>&1\n",
        "export PATH=\"$PATH:/opt/bin\"\nunset OLD\n",
        "for h in web-01 web-02; do ssh \"$h\" uptime; done\n",
        "if [ -f /etc/x ]; then echo yes; elif true; then :; else echo no; fi\n",
        "case \"$1\" in\n  start) run -d ;;\n  *) echo \"usage: $0\" ;;\nesac\n",
        "while read -r line; do echo \"${line%%#*}\"; done < file\n",
        "until ping -c1 host; do sleep 1; done\n",
        "select x in a b; do break; done\n",
        "function deploy() {\n  rsync -az ./ host:/srv/ && systemctl restart app\n}\ndeploy\n",
        "backup () { restic backup /srv --tag \"$(hostname)\"; }\n",
        "cat <<EOF > /etc/app.conf\nkey=$VALUE\nother=1\nEOF\n",
        "cat <<'EOF'\nraw $NOT\nEOF\n",
        "diff <(sort a) <(sort b)\n",
        "echo $((1 + 2)) ${#arr[@]} \"${arr[0]}\" $'tab\\t'\n",
        "# a comment\nls -la # trailing\n",
        "exec 3>&1 4>/dev/null\n",
        "docker run --rm -e A=b -v /x:/y image:tag sh -c 'echo hi'\n",
        "echo \"unterminated\n",
        "if then fi done\n",
        "{ { { echo deep; }; }; }\n",
        "a | b |& c || d && e; f &\n",
        "curl -fsS https://example.com/healthz -H 'Host: x' --data-binary @file\n",
        "sudo -u postgres psql -c \"SELECT 1;\"\n",
        "x=$(( $(wc -l < f) * 2 ))\n",
        "[[ $a == -* ]] && echo dash\n",
        "echo \u{e9}t\u{e9} \"caf\u{e9}\" -\u{fc}ber\n",
        "",
        "\n\n",
    ];

    #[test]
    fn the_walk_colours_what_the_grammars_highlight_query_colours() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut blocks: Vec<String> = SHAPES.iter().map(|s| s.to_string()).collect();
        markdown_below(&root.join("content"), &mut blocks);
        markdown_below(&root.join("tests/fixtures"), &mut blocks);
        assert!(blocks.len() > SHAPES.len(), "{} blocks", blocks.len());
        // Each block, and each block cut short at every line (unterminated quotes,
        // heredocs and compound commands are what an editor shows mid-edit).
        for block in &blocks {
            let mut cuts: Vec<&str> = vec![block.as_str()];
            cuts.extend(block.match_indices('\n').map(|(i, _)| &block[..i]));
            for text in cuts {
                assert_eq!(spans(text), by_the_query(text), "{text:?}");
            }
        }
    }
}
