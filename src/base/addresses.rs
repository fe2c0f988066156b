//! Finding host addresses by what they are, not by how they are spelt: the one matcher that
//! both the public profile's redaction and the publish audit use.
//!
//! An IP address is found wherever its value is written: IPv4 with a port (`10.1.2.3:8080`),
//! in a URL, with leading zeros, or inside an IPv6 address (`::ffff:10.1.2.3`); IPv6
//! compressed or expanded, in any case, bracketed (`[2001:db8::1]:443`), or as the
//! IPv4-mapped form of a declared IPv4. Every candidate is parsed with `std::net` and
//! compared by value. A DNS name with a dot is found without regard to case wherever no
//! letter or digit stands right beside it, so also inside a longer name or a file name
//! (`db.internal.example.png`). A one-label name (`db`) is found only where it stands as a
//! host: after `//` or `user@`, before `:port` (or `:/path` of `scp`), or as the host
//! argument of `ssh`, `scp`, `sftp`, `rsync` or `mosh`; elsewhere it is an ordinary word.
//!
//! The scan is linear in the text: each candidate is looked up in hash maps, and the
//! substrings tried at one place are bounded by the longest address or name.

pub mod deep;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What is looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Needle {
    Ip(IpAddr),
    /// A DNS name, as declared (a trailing dot is ignored).
    Name(String),
}

impl std::fmt::Display for Needle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Needle::Ip(ip) => ip.fmt(f),
            Needle::Name(n) => f.write_str(n),
        }
    }
}

/// One place where a needle is written: `hay[start..end]` spells needle number `needle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Find {
    pub start: usize,
    pub end: usize,
    pub needle: usize,
}

/// The longest text form of an IPv6 address (with an embedded IPv4).
const MAX_V6: usize = 45;

/// The needles, each with what replaces it, indexed for lookups by value.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    needles: Vec<(Needle, String)>,
    v4: HashMap<Ipv4Addr, usize>,
    v6: HashMap<Ipv6Addr, usize>,
    /// Lowercase DNS names that hold a dot.
    names: HashMap<Vec<u8>, usize>,
    /// Lowercase one-label names.
    hosts: HashMap<Vec<u8>, usize>,
    longest_name: usize,
}

impl Matcher {
    /// A matcher for `needles`, each with its replacement. An empty name is ignored; when
    /// two needles are the same address, the first one wins.
    pub fn new(needles: Vec<(Needle, String)>) -> Self {
        let mut m = Matcher::default();
        for (i, (needle, _)) in needles.iter().enumerate() {
            match needle {
                Needle::Ip(IpAddr::V4(a)) => {
                    m.v4.entry(*a).or_insert(i);
                }
                Needle::Ip(IpAddr::V6(a)) => {
                    m.v6.entry(*a).or_insert(i);
                    if let Some(v4) = a.to_ipv4_mapped() {
                        m.v4.entry(v4).or_insert(i);
                    }
                }
                Needle::Name(n) => {
                    let n = n.trim_end_matches('.').to_ascii_lowercase().into_bytes();
                    if n.is_empty() {
                        continue;
                    }
                    m.longest_name = m.longest_name.max(n.len());
                    let map = if n.contains(&b'.') {
                        &mut m.names
                    } else {
                        &mut m.hosts
                    };
                    map.entry(n).or_insert(i);
                }
            }
        }
        m.needles = needles;
        m
    }

    pub fn is_empty(&self) -> bool {
        self.v4.is_empty() && self.v6.is_empty() && self.names.is_empty() && self.hosts.is_empty()
    }

    /// The needle number `i` and its replacement.
    pub fn needle(&self, i: usize) -> (&Needle, &str) {
        let (n, w) = &self.needles[i];
        (n, w)
    }

    /// Every place in `hay` where a needle is written, in order, not overlapping (the
    /// longest spelling wins where two start at the same place).
    pub fn find_all(&self, hay: &[u8]) -> Vec<Find> {
        let mut found = Vec::new();
        if self.is_empty() {
            return found;
        }
        if !self.v4.is_empty() {
            self.find_v4(hay, &mut found);
            self.find_v4_dashed(hay, &mut found);
        }
        if !self.v6.is_empty() || !self.v4.is_empty() {
            self.find_v6(hay, &mut found);
        }
        if !self.names.is_empty() || !self.hosts.is_empty() {
            self.find_names(hay, &mut found);
        }
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut out: Vec<Find> = Vec::with_capacity(found.len());
        for f in found {
            if out.last().is_none_or(|l| f.start >= l.end) {
                out.push(f);
            }
        }
        out
    }

    /// Whether `hay` holds any needle.
    pub fn holds(&self, hay: &[u8]) -> bool {
        !self.find_all(hay).is_empty()
    }

    /// `text` with every needle replaced by its replacement.
    pub fn replace_all(&self, text: &str) -> String {
        let finds = self.find_all(text.as_bytes());
        if finds.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for f in finds {
            out.push_str(&text[at..f.start]);
            out.push_str(&self.needles[f.needle].1);
            at = f.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// IPv4: every maximal run of digits and dots, without dots at its ends, read as four
    /// decimal parts (leading zeros allowed).
    fn find_v4(&self, hay: &[u8], found: &mut Vec<Find>) {
        let is_run = |c: u8| c.is_ascii_digit() || c == b'.';
        for (i, j) in runs(hay, is_run) {
            let (mut s, mut e) = (i, j);
            while s < e && hay[s] == b'.' {
                s += 1;
            }
            while e > s && hay[e - 1] == b'.' {
                e -= 1;
            }
            if let Some(&n) = parse_v4(&hay[s..e]).and_then(|a| self.v4.get(&a)) {
                found.push(Find {
                    start: s,
                    end: e,
                    needle: n,
                });
            }
        }
    }

    /// IPv4 written with dashes, as a slug or a file name spells it (`fleet-10-1-2-3`,
    /// `10-1-2-3.png`): every four consecutive dash-separated parts of a run of digits and
    /// dashes, read as an address.
    fn find_v4_dashed(&self, hay: &[u8], found: &mut Vec<Find>) {
        let is_run = |c: u8| c.is_ascii_digit() || c == b'-';
        for (i, j) in runs(hay, is_run) {
            // The digit groups of the run, by position.
            let mut groups: Vec<(usize, usize)> = Vec::new();
            let mut k = i;
            while k < j {
                if hay[k].is_ascii_digit() {
                    let st = k;
                    while k < j && hay[k].is_ascii_digit() {
                        k += 1;
                    }
                    groups.push((st, k));
                } else {
                    k += 1;
                }
            }
            for w in groups.windows(4) {
                // Consecutive groups joined by exactly one dash each.
                if w.windows(2).any(|p| p[1].0 != p[0].1 + 1) {
                    continue;
                }
                let (st, en) = (w[0].0, w[3].1);
                let dotted: Vec<u8> = hay[st..en]
                    .iter()
                    .map(|&c| if c == b'-' { b'.' } else { c })
                    .collect();
                if let Some(&n) = parse_v4(&dotted).and_then(|a| self.v4.get(&a)) {
                    found.push(Find {
                        start: st,
                        end: en,
                        needle: n,
                    });
                }
            }
        }
    }

    /// IPv6: in every maximal run of hex digits, `:` and `.` that holds two colons, every
    /// substring that starts and ends at a group boundary (at most 45 bytes), parsed.
    fn find_v6(&self, hay: &[u8], found: &mut Vec<Find>) {
        let is_run = |c: u8| c.is_ascii_hexdigit() || c == b':' || c == b'.';
        for (i, j) in runs(hay, is_run) {
            if hay[i..j].iter().filter(|&&c| c == b':').count() >= 2 {
                self.find_v6_in(hay, i, j, found);
            }
        }
    }

    fn find_v6_in(&self, hay: &[u8], s: usize, e: usize, found: &mut Vec<Find>) {
        let mut starts = vec![s];
        let mut ends = Vec::new();
        for p in s..e {
            if hay[p] != b':' {
                continue;
            }
            let prev_colon = p > s && hay[p - 1] == b':';
            let next_colon = p + 1 < e && hay[p + 1] == b':';
            if next_colon && !prev_colon {
                starts.push(p); // `::1`
            }
            if !next_colon {
                starts.push(p + 1);
            }
            if !prev_colon {
                ends.push(p);
            }
            if prev_colon {
                ends.push(p + 1); // `2001:db8::`
            }
        }
        ends.push(e);
        starts.sort_unstable();
        starts.dedup();
        ends.sort_unstable();
        ends.dedup();
        let mut first_end = 0;
        for &st in &starts {
            while first_end < ends.len() && ends[first_end] <= st {
                first_end += 1;
            }
            let mut best = None;
            for &en in ends[first_end..]
                .iter()
                .take_while(|&&en| en - st <= MAX_V6)
            {
                let mut t = en;
                while t > st && hay[t - 1] == b'.' {
                    t -= 1;
                }
                let part = &hay[st..t];
                if part.iter().filter(|&&c| c == b':').count() < 2 {
                    continue;
                }
                let Some(addr) = std::str::from_utf8(part)
                    .ok()
                    .and_then(|p| p.parse::<Ipv6Addr>().ok())
                else {
                    continue;
                };
                let n = self
                    .v6
                    .get(&addr)
                    .or_else(|| addr.to_ipv4_mapped().and_then(|v4| self.v4.get(&v4)));
                if let Some(&n) = n {
                    best = Some(Find {
                        start: st,
                        end: t,
                        needle: n,
                    });
                }
            }
            found.extend(best);
        }
    }

    /// DNS names: in every maximal run of letters, digits, `.`, `-` and `_`, every
    /// substring that starts and ends at a letter or digit with none beside it.
    fn find_names(&self, hay: &[u8], found: &mut Vec<Find>) {
        let is_run = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_');
        let mut lines = Lines::default();
        let mut buf = Vec::new();
        for (i, j) in runs(hay, is_run) {
            for st in i..j {
                if !hay[st].is_ascii_alphanumeric()
                    || (st > i && hay[st - 1].is_ascii_alphanumeric())
                {
                    continue;
                }
                let limit = j.min(st + self.longest_name);
                for en in st + 1..=limit {
                    if !hay[en - 1].is_ascii_alphanumeric()
                        || (en < j && hay[en].is_ascii_alphanumeric())
                    {
                        continue;
                    }
                    buf.clear();
                    buf.extend(hay[st..en].iter().map(u8::to_ascii_lowercase));
                    let n = if let Some(&n) = self.names.get(&buf) {
                        Some(n)
                    } else if let Some(&n) = self.hosts.get(&buf) {
                        let alone = st == i && hay[en..j].iter().all(|&c| c == b'.');
                        (alone && lines.at(hay, st).stands_as_host(hay, st, en)).then_some(n)
                    } else {
                        None
                    };
                    if let Some(n) = n {
                        found.push(Find {
                            start: st,
                            end: en,
                            needle: n,
                        });
                    }
                }
            }
        }
    }
}

/// Every maximal run of bytes for which `is_run` holds, as (start, end).
fn runs<'a>(
    hay: &'a [u8],
    is_run: impl Fn(u8) -> bool + 'a,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < hay.len() && !is_run(hay[i]) {
            i += 1;
        }
        if i >= hay.len() {
            return None;
        }
        let start = i;
        while i < hay.len() && is_run(hay[i]) {
            i += 1;
        }
        Some((start, i))
    })
}

/// `a.b.c.d`, each part 1 to 3 decimal digits up to 255.
fn parse_v4(s: &[u8]) -> Option<Ipv4Addr> {
    let mut parts = [0u8; 4];
    let mut n = 0;
    for part in s.split(|&c| c == b'.') {
        if n == 4 || part.is_empty() || part.len() > 3 {
            return None;
        }
        let v = part.iter().try_fold(0u16, |v, &c| {
            c.is_ascii_digit().then(|| v * 10 + u16::from(c - b'0'))
        })?;
        parts[n] = u8::try_from(v).ok()?;
        n += 1;
    }
    (n == 4).then(|| Ipv4Addr::from(parts))
}

/// The line a position is on, and where on it a remote-login command (`ssh`, `scp`,
/// `sftp`, `rsync`, `mosh`) names its host: the first argument that is not an option.
/// Moved forward only, so a whole scan reads each line once.
#[derive(Default)]
struct Lines {
    read: bool,
    end: usize,
    host_args: Vec<usize>,
}

/// Options of `ssh` and its kin that take a value (`-p 2222`).
const WITH_VALUE: &[u8] = b"bcDEeFIiJLlmOoPpRSWw";

impl Lines {
    fn at(&mut self, hay: &[u8], pos: usize) -> &Self {
        if self.read && pos < self.end {
            return self;
        }
        let from = if self.read { self.end.min(pos) } else { 0 };
        let start = hay[from..pos]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(from, |p| from + p + 1);
        self.end = hay[pos..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(hay.len(), |p| pos + p);
        self.read = true;
        self.host_args.clear();
        let line = &hay[start..self.end];
        let mut words = line
            .split(|&c| {
                c.is_ascii_whitespace()
                    || matches!(c, b'`' | b'<' | b'>' | b'"' | b'\'' | b'(' | b')')
            })
            .scan(start, |at, w| {
                let here = *at;
                *at += w.len() + 1;
                Some((here, w))
            })
            .filter(|(_, w)| !w.is_empty());
        while let Some((_, w)) = words.next() {
            let name = w.rsplit(|&c| c == b'/').next().unwrap_or(w);
            if !matches!(name, b"ssh" | b"scp" | b"sftp" | b"rsync" | b"mosh") {
                continue;
            }
            while let Some((at, arg)) = words.next() {
                match arg {
                    [b'-', o] if WITH_VALUE.contains(o) => {
                        words.next();
                    }
                    [b'-', ..] => {}
                    _ => {
                        let host = arg.iter().position(|&c| c == b'@').map_or(0, |p| p + 1);
                        self.host_args.push(at + host);
                        break;
                    }
                }
            }
        }
        self
    }

    /// Whether the one-label name at `hay[st..en]` stands where a host is written.
    fn stands_as_host(&self, hay: &[u8], st: usize, en: usize) -> bool {
        let before = &hay[..st];
        let after = &hay[en..];
        before.ends_with(b"//")
            || (before.ends_with(b"@")
                && before.len() >= 2
                && !before[before.len() - 2].is_ascii_whitespace())
            || (after.first() == Some(&b':')
                && after
                    .get(1)
                    .is_some_and(|&c| c.is_ascii_digit() || c == b'/' || c == b'~'))
            || self.host_args.contains(&st)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> Matcher {
        Matcher::new(vec![
            (Needle::Ip("10.1.2.3".parse().unwrap()), "gamma".into()),
            (Needle::Ip("192.0.2.10".parse().unwrap()), "alpha".into()),
            (Needle::Ip("2001:db8::42".parse().unwrap()), "beta".into()),
            (Needle::Name("git.example.com".into()), "delta".into()),
            (Needle::Name("db".into()), "epsilon".into()),
        ])
    }

    #[test]
    fn only_whole_addresses_are_replaced() {
        let m = matcher();
        assert_eq!(
            m.replace_all("10.1.2.34 and 110.1.2.3 and 192.0.2.100 and 1.10.1.2.3"),
            "10.1.2.34 and 110.1.2.3 and 192.0.2.100 and 1.10.1.2.3"
        );
        assert_eq!(
            m.replace_all("at 10.1.2.3. Then [2001:db8::42]:80, img-10.1.2.3.png"),
            "at gamma. Then [beta]:80, img-gamma.png"
        );
        assert_eq!(
            m.replace_all(
                "GIT.example.com, x.git.example.com, git.example.com.png, git.example.community"
            ),
            "delta, x.delta, delta.png, git.example.community"
        );
    }

    /// A site title holding an address became a project folder slug with dashes
    /// (`fleet-203-0-113-10`) that the matcher did not see.
    #[test]
    fn an_address_written_with_dashes_in_a_slug_or_file_name_is_found() {
        let m = matcher();
        for hay in ["fleet-10-1-2-3", "10-1-2-3.png", "/x/v2-10-1-2-3-docs/"] {
            assert_eq!(m.find_all(hay.as_bytes()).len(), 1, "{hay}");
        }
        for hay in ["2026-04-06", "10-1-2-30", "110-1-2-3", "10-1-2"] {
            assert!(m.find_all(hay.as_bytes()).is_empty(), "{hay}");
        }
    }

    #[test]
    fn addresses_are_found_in_every_spelling() {
        let m = matcher();
        assert_eq!(
            m.replace_all("10.1.2.3:8080 http://10.1.2.3:8080/ ::ffff:10.1.2.3 ::ffff:a01:203 010.001.002.003"),
            "gamma:8080 http://gamma:8080/ gamma gamma gamma"
        );
        assert_eq!(
            m.replace_all("2001:DB8:0:0:0:0:0:42 2001:0db8:0000:0000:0000:0000:0000:0042, 2001:db8::42. 2001:db8::421"),
            "beta beta, beta. 2001:db8::421"
        );
    }

    #[test]
    fn a_one_label_name_is_matched_only_where_it_stands_as_a_host() {
        let m = matcher();
        assert_eq!(
            m.replace_all("the db is small; db-backup and db.example stay\nhttp://db:5432/ root@db db:22\nssh db, then the db\n"),
            "the db is small; db-backup and db.example stay\nhttp://epsilon:5432/ root@epsilon epsilon:22\nssh epsilon, then the db\n"
        );
    }
}
