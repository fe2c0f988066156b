//! A shell reader that keeps positions: the lines of a `bash`/`sh`/`console` block become
//! simple commands made of words, each character of a word tied to its byte offset in the
//! page. It knows what a runbook uses (prompts, `\` continuations, quotes, comments,
//! heredocs, pipes and `&&`/`||`/`;` chains, `$(...)` and backticks, redirections) and no
//! more; it never runs or expands anything. A word holding a variable or a substitution is
//! marked `dynamic`, so nothing is checked in it. (Tokenizer crates such as `shlex` give
//! words without offsets, and positions are the point here.)

/// How a block's lines are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `bash`, `sh`, `shell`: every line is script; a leading `$ ` prompt is dropped.
    Script,
    /// `console`, `sh-session`: only lines with a prompt (`$ `, `# `, `user@host:~$ `) and
    /// their continuations are commands; the others are output.
    Session,
}

/// One word with its text after quote removal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// The source offset of each byte of `text`.
    pub offs: Vec<usize>,
    /// Holds a variable, a substitution or an arithmetic expansion.
    pub dynamic: bool,
}

impl Word {
    fn push(&mut self, c: char, at: usize) {
        self.text.push(c);
        for k in 0..c.len_utf8() {
            self.offs.push(at + k);
        }
    }
    /// The source range of `text[from..to]`.
    pub fn span(&self, from: usize, to: usize) -> std::ops::Range<usize> {
        let start = self.offs.get(from).copied().unwrap_or(0);
        let end = self
            .offs
            .get(to.max(from + 1) - 1)
            .map(|o| o + 1)
            .unwrap_or(start);
        start..end
    }
}

/// A simple command: its words, without redirections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    pub words: Vec<Word>,
    /// Its line ends with the opt-out comment (`# fleetdoc: ignore`).
    pub ignored: bool,
}

/// The marker of a trailing comment that turns the check off for its line.
pub const IGNORE_MARK: &str = "fleetdoc: ignore";

/// Read the lines of one block: each line's text and the source offset where it starts.
pub fn read(lines: &[(&str, usize)], dialect: Dialect) -> Vec<Command> {
    read_stream(&stream(lines, dialect))
}

/// Read characters with their offsets as a script (a `bash -c` string, say).
pub fn read_stream(chars: &[(char, usize)]) -> Vec<Command> {
    let mut lx = Lexer::new(chars);
    lx.run();
    lx.out
}

/// The block as one character stream with offsets, prompts and output lines left out.
fn stream(lines: &[(&str, usize)], dialect: Dialect) -> Vec<(char, usize)> {
    let mut out = Vec::new();
    let mut continued = false;
    for (text, at) in lines {
        let text = text.trim_end_matches(['\r', '\n']);
        let skip = match dialect {
            Dialect::Script if !continued => prompt_len(text, false).unwrap_or(0),
            Dialect::Script => 0,
            Dialect::Session if continued => ps2_len(text),
            Dialect::Session => match prompt_len(text, true) {
                Some(n) => n,
                None => {
                    // Output: keep the line break so positions stay line by line.
                    out.push(('\n', at + text.len()));
                    continue;
                }
            },
        };
        for (i, c) in text[skip..].char_indices() {
            out.push((c, at + skip + i));
        }
        out.push(('\n', at + text.len()));
        continued = text.ends_with('\\') || open_quote(&text[skip..], continued);
    }
    out
}

/// A line that leaves a quote open continues on the next one (rough: counts quotes).
fn open_quote(line: &str, _continued: bool) -> bool {
    let mut single = false;
    let mut double = false;
    let mut esc = false;
    for c in line.chars() {
        if esc {
            esc = false;
            continue;
        }
        match c {
            '\\' if !single => esc = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double => break,
            _ => {}
        }
    }
    single || double
}

/// The length of a shell prompt at the start of `line`: `$ `, `# `, `% ` (session only, as
/// `#` starts a comment in a script), `user@host:~$ `, `[user@host dir]# `, `(venv) $ `.
fn prompt_len(line: &str, session: bool) -> Option<usize> {
    let t = line.trim_start();
    let lead = line.len() - t.len();
    let marks: &[char] = if session {
        &['$', '#', '%', '>']
    } else {
        &['$']
    };
    for (i, c) in t.char_indices() {
        if marks.contains(&c) {
            let rest = &t[i + 1..];
            let head = &t[..i];
            let spaced = rest.starts_with(' ') || rest.is_empty();
            let head_ok = head.is_empty()
                || (head.ends_with(']') && head.starts_with('['))
                || (!head.contains(' ') && (head.contains('@') || head.contains(':')))
                || (head.starts_with('(') && head.trim_end().ends_with(')'));
            if spaced && head_ok {
                return Some(lead + i + 1 + usize::from(rest.starts_with(' ')));
            }
            return None;
        }
        if c == ' ' && !t[..i].starts_with('(') && !t[..i].starts_with('[') {
            return None;
        }
    }
    None
}

/// The length of a secondary prompt (`> `) on a continuation line.
fn ps2_len(line: &str) -> usize {
    if line.starts_with("> ") {
        2
    } else {
        0
    }
}

struct Lexer<'a> {
    s: &'a [(char, usize)],
    i: usize,
    word: Option<Word>,
    cmd: Command,
    out: Vec<Command>,
    /// Index in `out` of the first command of the current line.
    line_first: usize,
    ignore_line: bool,
    /// Heredoc delimiters waiting for the end of the line: (delimiter, `<<-`).
    heredocs: Vec<String>,
}

impl<'a> Lexer<'a> {
    fn new(s: &'a [(char, usize)]) -> Self {
        Lexer {
            s,
            i: 0,
            word: None,
            cmd: Command::default(),
            out: Vec::new(),
            line_first: 0,
            ignore_line: false,
            heredocs: Vec::new(),
        }
    }
    fn peek(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).map(|(c, _)| *c)
    }
    fn word(&mut self) -> &mut Word {
        self.word.get_or_insert_with(Word::default)
    }
    fn end_word(&mut self) {
        if let Some(w) = self.word.take() {
            self.cmd.words.push(w);
        }
    }
    fn end_command(&mut self) {
        self.end_word();
        let c = std::mem::take(&mut self.cmd);
        if !c.words.is_empty() {
            self.out.push(c);
        }
    }
    fn end_line(&mut self) {
        self.end_command();
        if self.ignore_line {
            for c in &mut self.out[self.line_first..] {
                c.ignored = true;
            }
        }
        self.ignore_line = false;
        self.line_first = self.out.len();
        if !self.heredocs.is_empty() {
            self.skip_heredocs();
        }
    }
    /// Skip heredoc bodies: lines up to each pending delimiter (leading tabs and spaces
    /// are allowed before it, as `<<-` and careless indentation both use them).
    fn skip_heredocs(&mut self) {
        let delims = std::mem::take(&mut self.heredocs);
        for d in delims {
            loop {
                if self.i >= self.s.len() {
                    return;
                }
                let start = self.i;
                while self.i < self.s.len() && self.s[self.i].0 != '\n' {
                    self.i += 1;
                }
                let line: String = self.s[start..self.i].iter().map(|(c, _)| *c).collect();
                self.i += 1; // the line break
                if line.trim() == d {
                    break;
                }
            }
        }
    }

    fn run(&mut self) {
        while self.i < self.s.len() {
            let (c, at) = self.s[self.i];
            match c {
                ' ' | '\t' | '\r' => {
                    self.end_word();
                    self.i += 1;
                }
                '\n' => {
                    self.i += 1;
                    self.end_line();
                }
                '\\' => {
                    match self.peek(1) {
                        Some('\n') => {}
                        Some(n) => {
                            let o = self.s[self.i + 1].1;
                            self.word().push(n, o);
                        }
                        None => {}
                    }
                    self.i += 2;
                }
                '#' if self.word.is_none() => self.comment(),
                '\'' => self.single_quoted(),
                '"' => {
                    self.word();
                    self.i += 1;
                    self.double_quoted();
                }
                '$' => self.dollar(at),
                '`' => {
                    self.i += 1;
                    let start = self.i;
                    while self.i < self.s.len() && self.s[self.i].0 != '`' {
                        if self.s[self.i].0 == '\\' {
                            self.i += 1;
                        }
                        self.i += 1;
                    }
                    self.nested(start, self.i.min(self.s.len()));
                    self.i += 1;
                    self.word().dynamic = true;
                }
                '|' | ';' | '&' | '(' | ')' => self.operator(c),
                '<' if self.placeholder_len() > 0 => {
                    // `<host>` in documentation is a placeholder, not a redirection.
                    for _ in 0..self.placeholder_len() {
                        let (c, o) = self.s[self.i];
                        self.word().push(c, o);
                        self.i += 1;
                    }
                }
                '<' | '>' => self.redirect(),
                _ => {
                    self.word().push(c, at);
                    self.i += 1;
                }
            }
        }
        self.end_line();
    }

    /// The length of `<name>` at the cursor (letters, digits, `_-.:`), or 0.
    fn placeholder_len(&self) -> usize {
        let mut k = 1;
        while let Some(c) = self.peek(k) {
            if c == '>' {
                return if k > 1 { k + 1 } else { 0 };
            }
            if !(c.is_alphanumeric() || "_-.:".contains(c)) {
                return 0;
            }
            k += 1;
        }
        0
    }

    fn comment(&mut self) {
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].0 != '\n' {
            self.i += 1;
        }
        let text: String = self.s[start..self.i].iter().map(|(c, _)| *c).collect();
        let body = text.trim_start_matches('#').trim();
        if body.contains(IGNORE_MARK) || body.contains("fleetdoc:ignore") {
            self.ignore_line = true;
        }
    }

    /// A single-quoted string, from its opening quote: every character up to the closing
    /// quote is literal.
    fn single_quoted(&mut self) {
        self.word();
        self.i += 1;
        while let Some(&(c, o)) = self.s.get(self.i) {
            self.i += 1;
            if c == '\'' {
                break;
            }
            self.word().push(c, o);
        }
    }

    fn double_quoted(&mut self) {
        while let Some(&(c, o)) = self.s.get(self.i) {
            match c {
                '"' => {
                    self.i += 1;
                    return;
                }
                '\\' => {
                    if let Some(&(n, no)) = self.s.get(self.i + 1) {
                        if matches!(n, '"' | '\\' | '$' | '`') {
                            self.word().push(n, no);
                        } else if n != '\n' {
                            self.word().push('\\', o);
                            self.word().push(n, no);
                        }
                    }
                    self.i += 2;
                }
                '$' => self.dollar(o),
                '`' => {
                    self.i += 1;
                    let start = self.i;
                    while self.i < self.s.len() && self.s[self.i].0 != '`' {
                        self.i += 1;
                    }
                    self.nested(start, self.i);
                    self.i += 1;
                    self.word().dynamic = true;
                }
                _ => {
                    self.word().push(c, o);
                    self.i += 1;
                }
            }
        }
    }

    /// `$(...)`, `$((...))`, `${...}`, `$NAME`, `$'...'`, or a plain `$`.
    fn dollar(&mut self, at: usize) {
        match self.peek(1) {
            Some('(') => {
                let arith = self.peek(2) == Some('(');
                self.i += 2;
                let start = self.i;
                let end = self.matching_paren();
                if !arith {
                    self.nested(start, end);
                }
                self.word().dynamic = true;
            }
            Some('{') => {
                while self.i < self.s.len() && self.s[self.i].0 != '}' {
                    self.i += 1;
                }
                self.i += 1;
                self.word().dynamic = true;
            }
            Some('\'') => {
                // ANSI-C quoting: kept as written, without the escapes interpreted.
                self.i += 2;
                while let Some(&(c, o)) = self.s.get(self.i) {
                    self.i += 1;
                    if c == '\'' {
                        break;
                    }
                    self.word().push(c, o);
                }
            }
            Some(c) if c.is_ascii_alphanumeric() || "_?@*#!$-".contains(c) => {
                self.i += 2;
                if c.is_ascii_alphabetic() || c == '_' {
                    while self
                        .peek(0)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        self.i += 1;
                    }
                }
                self.word().dynamic = true;
            }
            _ => {
                self.word().push('$', at);
                self.i += 1;
            }
        }
    }

    /// From just inside an opening parenthesis, the index of its closing one (quotes and
    /// nesting respected); leaves `i` just after it.
    fn matching_paren(&mut self) -> usize {
        let mut depth = 1usize;
        let mut single = false;
        let mut double = false;
        while let Some(&(c, _)) = self.s.get(self.i) {
            match c {
                '\\' if !single => self.i += 1,
                '\'' if !double => single = !single,
                '"' if !single => double = !double,
                '(' if !single && !double => depth += 1,
                ')' if !single && !double => {
                    depth -= 1;
                    if depth == 0 {
                        let end = self.i;
                        self.i += 1;
                        return end;
                    }
                }
                _ => {}
            }
            self.i += 1;
        }
        self.s.len()
    }

    /// Read a substitution's commands, which run too and are checked like any other.
    fn nested(&mut self, start: usize, end: usize) {
        let end = end.min(self.s.len());
        if start >= end {
            return;
        }
        let mut inner = Lexer::new(&self.s[start..end]);
        inner.run();
        self.out.extend(inner.out);
    }

    fn operator(&mut self, c: char) {
        self.end_command();
        self.i += 1;
        match (c, self.peek(0)) {
            ('|', Some('|' | '&')) | ('&', Some('&')) | (';', Some(';')) => self.i += 1,
            ('&', Some('>')) => {
                // `&>file`: a redirection, not a separator.
                self.i += 1;
                self.skip_target();
            }
            _ => {}
        }
    }

    fn redirect(&mut self) {
        // A file descriptor number written before the operator (`2>`) is not a word.
        if self
            .word
            .as_ref()
            .is_some_and(|w| !w.text.is_empty() && w.text.bytes().all(|b| b.is_ascii_digit()))
        {
            self.word = None;
        }
        self.end_word();
        let c = self.s[self.i].0;
        self.i += 1;
        match (c, self.peek(0), self.peek(1)) {
            ('<', Some('<'), Some('<')) => {
                self.i += 2;
                self.skip_target();
            }
            ('<', Some('<'), _) => {
                self.i += 1;
                if self.peek(0) == Some('-') {
                    self.i += 1;
                }
                if let Some(d) = self.target() {
                    self.heredocs.push(d.text);
                }
            }
            (_, Some('('), _) => {
                // Process substitution `<(cmd)` / `>(cmd)`.
                self.i += 1;
                let start = self.i;
                let end = self.matching_paren();
                self.nested(start, end);
            }
            (_, Some('&'), _) => {
                self.i += 1;
                self.skip_target();
            }
            (_, Some('>' | '|'), _) => {
                self.i += 1;
                self.skip_target();
            }
            _ => self.skip_target(),
        }
    }

    fn skip_target(&mut self) {
        self.target();
    }

    /// The word after a redirection operator, read and set aside.
    fn target(&mut self) -> Option<Word> {
        while matches!(self.peek(0), Some(' ' | '\t')) {
            self.i += 1;
        }
        let saved = self.word.take();
        let saved_cmd = std::mem::take(&mut self.cmd.words);
        // Read exactly one word with the usual quoting rules.
        while let Some(&(c, o)) = self.s.get(self.i) {
            match c {
                ' ' | '\t' | '\n' | '|' | ';' | '&' | '<' | '>' | '(' | ')' => break,
                '\'' => self.single_quoted(),
                '"' => {
                    self.word();
                    self.i += 1;
                    self.double_quoted();
                }
                '$' => self.dollar(o),
                '\\' => {
                    if let Some(&(n, no)) = self.s.get(self.i + 1) {
                        if n != '\n' {
                            self.word().push(n, no);
                        }
                    }
                    self.i += 2;
                }
                _ => {
                    self.word().push(c, o);
                    self.i += 1;
                }
            }
        }
        let got = self.word.take();
        self.word = saved;
        self.cmd.words = saved_cmd;
        got
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(src: &str, d: Dialect) -> Vec<Vec<String>> {
        let mut lines = Vec::new();
        let mut at = 0;
        for l in src.split_inclusive('\n') {
            lines.push((l, at));
            at += l.len();
        }
        read(&lines, d)
            .into_iter()
            .map(|c| c.words.into_iter().map(|w| w.text).collect())
            .collect()
    }

    #[test]
    fn chains_pipes_and_quotes_split_into_commands() {
        assert_eq!(
            words(
                "sudo systemctl restart 'a b' && journalctl -u x | tail\n",
                Dialect::Script
            ),
            vec![
                vec!["sudo", "systemctl", "restart", "a b"],
                vec!["journalctl", "-u", "x"],
                vec!["tail"]
            ]
        );
    }

    #[test]
    fn heredoc_bodies_and_output_lines_are_skipped() {
        let w = words("cat <<'EOF' > /tmp/x\nssh beta\nEOF\nls\n", Dialect::Script);
        assert_eq!(w, vec![vec!["cat"], vec!["ls"]]);
        let w = words("$ echo hi\nhi\n# whoami\nroot\n", Dialect::Session);
        assert_eq!(w, vec![vec!["echo", "hi"], vec!["whoami"]]);
    }

    #[test]
    fn offsets_follow_quotes_and_continuations() {
        let src = "ssh \\\n  'ops@alpha'\n";
        let mut lines = Vec::new();
        let mut at = 0;
        for l in src.split_inclusive('\n') {
            lines.push((l, at));
            at += l.len();
        }
        let c = read(&lines, Dialect::Script);
        let w = &c[0].words[1];
        assert_eq!(w.text, "ops@alpha");
        assert_eq!(&src[w.span(4, 9)], "alpha");
    }
}
