//! A small typed reader over `marked-yaml` nodes. marked-yaml gives every node its line and
//! column (serde_yaml gives none for values) and refuses anchors and aliases; walking the
//! node tree ourselves, instead of stopping at serde's first error, lets one run report every
//! problem of a file, each at its value's own position, with "did you mean" for unknown keys.

use crate::diag::{Diagnostic, Diagnostics, Loc, Pos, Severity};
use crate::load::{indentation, limits};
use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode};
use marked_yaml::{LoadError, LoaderOptions, Node, Span};
use std::path::{Path, PathBuf};

/// Where a YAML text sits: its file, and how many lines precede it there (front matter and
/// fleet blocks are YAML embedded in a Markdown page).
#[derive(Debug, Clone)]
pub struct Src {
    pub file: PathBuf,
    pub line_offset: usize,
}

impl Src {
    pub fn new(file: impl Into<PathBuf>, line_offset: usize) -> Self {
        Src {
            file: file.into(),
            line_offset,
        }
    }
    pub fn loc(&self, span: &Span) -> Loc {
        let pos = span
            .start()
            .map(|m| Pos::new(m.line(), m.column()))
            .unwrap_or(Pos::new(1, 1));
        Loc::new(&self.file, pos.shifted(self.line_offset))
    }
    fn loc_pos(&self, pos: Pos) -> Loc {
        Loc::new(&self.file, pos.shifted(self.line_offset))
    }
}

/// A value with the place it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sp<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> Sp<T> {
    pub fn new(value: T, loc: Loc) -> Self {
        Sp { value, loc }
    }
}

/// Parse a YAML text whose top level must be a mapping. An empty text is an empty mapping.
pub fn parse(src: &Src, text: &str) -> Result<Option<Node>, Diagnostic> {
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(None);
    }
    if let Err((pos, msg)) = limits::check_yaml_depth(text) {
        return Err(Diagnostic {
            severity: Severity::Error,
            loc: src.loc_pos(pos),
            message: msg,
        });
    }
    // Quoted scalars are marked (`may_coerce` false), so a position inside one's text can
    // be told from its opening quote; fleetdoc reads every value as text anyway.
    let opts = LoaderOptions::default()
        .error_on_duplicate_keys(true)
        .toplevel_mapping()
        .prevent_coercion(true);
    marked_yaml::parse_yaml_with_options(0, text, opts)
        .map(Some)
        .map_err(|e| load_error(src, text, e))
}

/// Where the first anchor (`&name`) or alias (`*name`) sits: the parser reports the node
/// after it, which is less helpful.
fn find_anchor(text: &str) -> Option<Pos> {
    for (i, line) in text.lines().enumerate() {
        let mut prev = ' ';
        let mut quote: Option<char> = None;
        let chars: Vec<char> = line.chars().collect();
        for (j, &c) in chars.iter().enumerate() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '#' && prev.is_whitespace() => break,
                None if c == '"' || c == '\'' => quote = Some(c),
                None if (c == '&' || c == '*')
                    && (prev.is_whitespace() || "[{,:-".contains(prev))
                    && chars
                        .get(j + 1)
                        .is_some_and(|n| n.is_alphanumeric() || *n == '_') =>
                {
                    return Some(Pos::new(i + 1, j + 1));
                }
                None => {}
            }
            prev = c;
        }
    }
    None
}

fn load_error(src: &Src, text: &str, e: LoadError) -> Diagnostic {
    let at = |m: &marked_yaml::Marker| src.loc_pos(Pos::new(m.line(), m.column()));
    let (loc, message) = match &e {
        LoadError::TopLevelMustBeMapping(m) => (
            at(m),
            "expected a mapping of `key: value` lines at the top level".to_string(),
        ),
        LoadError::TopLevelMustBeSequence(m) => {
            (at(m), "expected a list at the top level".to_string())
        }
        LoadError::UnexpectedAnchor(m) => (
            find_anchor(text)
                .map(|p| src.loc_pos(p))
                .unwrap_or_else(|| at(m)),
            "YAML anchors and aliases (`&name`, `*name`) are not supported; write the value out"
                .to_string(),
        ),
        LoadError::MappingKeyMustBeScalar(m) => {
            (at(m), "a mapping key must be plain text".to_string())
        }
        LoadError::UnexpectedTag(m) => (
            at(m),
            "YAML tags (`!tag`) are not supported; remove the tag".to_string(),
        ),
        LoadError::ScanError(m, se) => {
            let explained = indentation::tab(text, se.info(), m.line(), m.column())
                .or_else(|| indentation::misindented(text, m.line(), src.line_offset));
            match explained {
                Some(e) => (src.loc_pos(e.pos), e.message),
                None => (at(m), format!("YAML syntax error: {}", se.info())),
            }
        }
        LoadError::DuplicateKey(inner) => {
            let first = inner
                .prev_key
                .span()
                .start()
                .map(|m| m.line() + src.line_offset)
                .unwrap_or(0);
            (
                src.loc(inner.key.span()),
                format!(
                    "duplicate key `{}` (first defined on line {first}); remove one",
                    inner.key.as_str()
                ),
            )
        }
    };
    Diagnostic {
        severity: Severity::Error,
        loc,
        message,
    }
}

/// `key`, an entry of some mapping, right after an entry whose value `prev` is a mapping
/// (of `owner`, e.g. "service `app`") indented deeper: when `key` is written left of that
/// mapping's keys, it is most likely one of them that lost its indentation. The error
/// names both indents.
pub fn dedented_key(src: &Src, prev: &Node, key: &Sp<String>, owner: &str) -> Option<Diagnostic> {
    let Node::Mapping(map) = prev else {
        return None;
    };
    let sibling = src.loc(map.keys().next_back()?.span()).pos;
    let at = key.loc.pos.col;
    if at >= sibling.col {
        return None;
    }
    Some(Diagnostic {
        severity: Severity::Error,
        loc: key.loc.clone(),
        message: indentation::out_of_line(
            &format!("`{}`", key.value),
            at - 1,
            sibling.line,
            sibling.col - 1,
            &format!(" to make it a key of {owner}"),
        ),
    })
}

/// What a node is, for "expected X, found Y" messages.
pub fn node_kind(node: &Node) -> &'static str {
    match node {
        Node::Scalar(_) => "a single value",
        Node::Mapping(_) => "a mapping",
        Node::Sequence(_) => "a list",
    }
}

/// Reads the fields of one YAML mapping, remembering which keys were asked for so that
/// [`Fields::finish`] can report the unknown ones with a suggestion.
pub struct Fields<'a> {
    pub src: &'a Src,
    map: &'a MarkedMappingNode,
    what: &'a str,
    allowed: &'static [&'static str],
    /// Where the thing these fields describe is named (its id), for "needs `key`" errors.
    owner: Option<Loc>,
    /// Required keys that are missing because an unknown key looks like a typo of them:
    /// reported once, as that unknown key.
    mistyped: std::cell::RefCell<Vec<&'static str>>,
    /// Keys whose value is a mapping, with what that mapping holds: an unknown key right
    /// after one of them that is valid in its mapping lost its indentation.
    children: &'static [(&'static str, Nested)],
}

/// What the mapping under a key holds, for a key of it written at the wrong indentation.
pub enum Nested {
    /// These keys (`serve:` holds `port`, `hostname`...).
    Keys(&'static [&'static str]),
    /// Entries named by id, each a mapping of these keys: the thing named (`service`)
    /// and its keys (`services:` holds `app:`, which holds `host`, `port`...).
    Entries(&'static str, &'static [&'static str]),
}

impl<'a> Fields<'a> {
    /// `what` names the thing in messages ("host `alpha`"); `allowed` lists every valid key.
    pub fn new(
        src: &'a Src,
        node: &'a Node,
        what: &'a str,
        allowed: &'static [&'static str],
        diags: &mut Diagnostics,
    ) -> Option<Self> {
        match node {
            Node::Mapping(map) => Some(Fields {
                src,
                map,
                what,
                allowed,
                owner: None,
                mistyped: Default::default(),
                children: &[],
            }),
            other => {
                diags.error(
                    src.loc(other.span()),
                    format!(
                        "{what} must be a mapping of `key: value` lines, found {}",
                        node_kind(other)
                    ),
                );
                None
            }
        }
    }

    pub fn loc(&self) -> Loc {
        self.src.loc(self.map.span())
    }

    /// Report missing required keys at `loc` (the id that names this mapping).
    pub fn owned_by(mut self, loc: Loc) -> Self {
        self.owner = Some(loc);
        self
    }

    /// Name the keys whose value is a mapping of known keys, so that one of those keys
    /// written at this mapping's indentation is reported as out of line.
    pub fn with_children(mut self, children: &'static [(&'static str, Nested)]) -> Self {
        self.children = children;
        self
    }

    /// The unknown key of this mapping that is most likely a typo of `key`.
    fn typo_of(&self, key: &str) -> Option<&'a str> {
        self.map.keys().map(|k| k.as_str()).find(|k| {
            !self.allowed.contains(k)
                && crate::base::suggest::closest(k, self.allowed.iter().copied()) == Some(key)
        })
    }

    pub fn node(&self, key: &str) -> Option<&'a Node> {
        debug_assert!(self.allowed.contains(&key), "key {key} not declared");
        self.map.get(key)
    }

    /// A single text value; an empty value counts as absent.
    pub fn str(&self, key: &str, diags: &mut Diagnostics) -> Option<Sp<String>> {
        let node = self.node(key)?;
        scalar(self.src, node, &format!("`{key}` of {}", self.what), diags)
    }

    /// A required text value.
    pub fn req_str(&self, key: &str, diags: &mut Diagnostics) -> Option<Sp<String>> {
        let v = self.str(key, diags);
        if v.is_none() && self.node(key).is_none() {
            let key = *self.allowed.iter().find(|k| **k == key).unwrap_or(&"");
            if self.typo_of(key).is_some() {
                self.mistyped.borrow_mut().push(key);
            } else {
                let at = self.owner.clone().unwrap_or_else(|| self.loc());
                diags.error(at, format!("{} needs `{key}`", self.what));
            }
        }
        v
    }

    /// One text value or a list of them (`host: alpha` or `host: [alpha, beta]`).
    pub fn strs(&self, key: &str, diags: &mut Diagnostics) -> Vec<Sp<String>> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        scalars(self.src, node, &format!("`{key}` of {}", self.what), diags)
    }

    pub fn bool(&self, key: &str, diags: &mut Diagnostics) -> Option<Sp<bool>> {
        let s = self.str(key, diags)?;
        match s.value.as_str() {
            "true" | "yes" | "on" => Some(Sp::new(true, s.loc)),
            "false" | "no" | "off" => Some(Sp::new(false, s.loc)),
            other => {
                diags.error(
                    s.loc,
                    format!("`{key}` must be true or false, found `{other}`"),
                );
                None
            }
        }
    }

    /// A whole number within `range`, e.g. a port 1-65535.
    pub fn number(
        &self,
        key: &str,
        min: u64,
        max: u64,
        diags: &mut Diagnostics,
    ) -> Option<Sp<u64>> {
        let s = self.str(key, diags)?;
        number_value(&s, key, min, max, diags)
    }

    pub fn numbers(&self, key: &str, min: u64, max: u64, diags: &mut Diagnostics) -> Vec<Sp<u64>> {
        self.strs(key, diags)
            .iter()
            .filter_map(|s| number_value(s, key, min, max, diags))
            .collect()
    }

    /// Report every key that is not in `allowed`, with the closest valid key when one is near.
    pub fn finish(self, diags: &mut Diagnostics) {
        // The last entry that was not reported as out of line.
        let mut prev: Option<(&MarkedScalarNode, &Node)> = None;
        for (key, value) in self.map.iter() {
            let k = key.as_str();
            // The mapping `k` most likely belongs to, and what to call it.
            let child = prev.and_then(|(pk, pv)| {
                let (c, nested) = self.children.iter().find(|(c, _)| *c == pk.as_str())?;
                if self.allowed.contains(&k) {
                    return None;
                }
                match nested {
                    Nested::Keys(keys) => keys.contains(&k).then(|| (format!("`{c}`"), pv)),
                    Nested::Entries(what, keys) => {
                        let Node::Mapping(entries) = pv else {
                            return None;
                        };
                        let (id, last) = entries.iter().next_back()?;
                        keys.contains(&k)
                            .then(|| (format!("{what} `{}`", id.as_str()), last))
                    }
                }
            });
            let dedented = child.and_then(|(owner, pv)| {
                let key = Sp::new(k.to_string(), self.src.loc(key.span()));
                dedented_key(self.src, pv, &key, &owner)
            });
            if let Some(d) = dedented {
                diags.extend_one(d);
                continue;
            }
            prev = Some((key, value));
            if !self.allowed.contains(&k) {
                let close = crate::base::suggest::closest(k, self.allowed.iter().copied());
                let mut hint = crate::base::suggest::did_you_mean(k, self.allowed.iter().copied())
                    .unwrap_or_else(|| format!("; valid keys: {}", self.allowed.join(", ")));
                if close.is_some_and(|c| self.mistyped.borrow().contains(&c)) {
                    hint.push_str(&format!(" (`{}` is required)", close.unwrap_or_default()));
                }
                diags.error(
                    self.src.loc(key.span()),
                    format!("unknown key `{k}` in {}{hint}", self.what),
                );
            }
        }
    }

    /// Every entry of this mapping, with its key's position.
    pub fn entries(&self) -> impl Iterator<Item = (Sp<String>, &'a Node)> + '_ {
        self.map.iter().map(|(k, v): (&MarkedScalarNode, &Node)| {
            (Sp::new(k.as_str().to_string(), self.src.loc(k.span())), v)
        })
    }
}

fn number_value(
    s: &Sp<String>,
    key: &str,
    min: u64,
    max: u64,
    diags: &mut Diagnostics,
) -> Option<Sp<u64>> {
    match s.value.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Some(Sp::new(n, s.loc.clone())),
        _ => {
            diags.error(
                s.loc.clone(),
                format!(
                    "`{key}` must be a whole number from {min} to {max}, found `{}`",
                    s.value
                ),
            );
            None
        }
    }
}

/// A scalar node's text, or an error naming what was found instead.
pub fn scalar(src: &Src, node: &Node, what: &str, diags: &mut Diagnostics) -> Option<Sp<String>> {
    match node {
        Node::Scalar(s) => {
            let v = s.as_str().trim();
            if v.is_empty() || v == "~" || v == "null" {
                None
            } else {
                Some(Sp::new(v.to_string(), src.loc(s.span())))
            }
        }
        other => {
            diags.error(
                src.loc(other.span()),
                format!("{what} must be a single value, found {}", node_kind(other)),
            );
            None
        }
    }
}

/// One scalar's text or a list of them (`stops: forge` or `stops: [forge, db]`), each
/// item that is not a single value an error naming `what`.
pub fn scalars(src: &Src, node: &Node, what: &str, diags: &mut Diagnostics) -> Vec<Sp<String>> {
    match node {
        Node::Sequence(seq) => seq
            .iter()
            .filter_map(|n| scalar(src, n, what, diags))
            .collect(),
        n => scalar(src, n, what, diags).into_iter().collect(),
    }
}

/// Iterate a mapping node's entries, or report that it is not one.
pub fn mapping_entries<'a>(
    src: &Src,
    node: &'a Node,
    what: &str,
    diags: &mut Diagnostics,
) -> Vec<(Sp<String>, &'a Node)> {
    match node {
        Node::Mapping(map) => map
            .iter()
            .map(|(k, v)| (Sp::new(k.as_str().to_string(), src.loc(k.span())), v))
            .collect(),
        other => {
            diags.error(
                src.loc(other.span()),
                format!("{what} must be a mapping, found {}", node_kind(other)),
            );
            Vec::new()
        }
    }
}

/// A path shown in messages for a file of the project.
pub fn shown(root: &Path, path: &Path) -> PathBuf {
    crate::diag::display_path(root, path)
}
