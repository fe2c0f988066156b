//! Relative paths inside `content/`, folded the way a forge resolves a link.

/// Join a relative link onto a folder below `content/` (`runbooks`), folding `.` and `..`.
/// `None` when the link climbs out of `content/`.
pub fn resolve(base_dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = base_dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// A relative file-system path as a site path: components joined by `/` on every system.
pub fn slashed(rel: &std::path::Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `path` (below `content/`) as a relative link from folder `dir` (`../hosts/web1/` from
/// `runbooks`), the inverse of [`resolve`].
pub fn relative(dir: &str, path: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let to: Vec<&str> = path.split('/').collect();
    let common = from
        .iter()
        .zip(&to)
        .take(to.len().saturating_sub(1))
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to[common..].join("/"));
    out
}

/// The folder part of a path below `content/` (`runbooks` for `runbooks/a.md`).
pub fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn relative_is_the_inverse_of_resolve() {
        use super::relative;
        for (dir, path, want) in [
            ("runbooks", "hosts/web1/", "../hosts/web1/"),
            ("runbooks", "runbooks/restore.md", "restore.md"),
            ("", "hosts/web1/", "hosts/web1/"),
            ("a/b", "a/c/d.md", "../c/d.md"),
            ("a", "a/b/", "b/"),
        ] {
            assert_eq!(relative(dir, path), want, "{dir} -> {path}");
            assert_eq!(
                resolve(dir, want).as_deref(),
                Some(path.trim_end_matches('/'))
            );
        }
    }

    #[test]
    fn relative_links_resolve_inside_content_only() {
        assert_eq!(
            resolve("runbooks", "../explainers/vps.md").as_deref(),
            Some("explainers/vps.md")
        );
        assert_eq!(resolve("", "./a.md").as_deref(), Some("a.md"));
        assert_eq!(resolve("", "../../etc/passwd"), None);
    }
}
