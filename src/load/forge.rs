//! The `repo:` setting: where the project's source is browsed and edited on a forge
//! (Forgejo, Gitea, GitLab or GitHub), for each page's "Edit this page" link. Written as
//! the repository's web URL, or as a mapping with `url`, `branch`, `forge` and `path`.

use crate::diag::Diagnostics;
use crate::load::yaml::{self, Fields, Src};
use marked_yaml::Node;

const REPO: &[&str] = &["url", "branch", "forge", "path"];

/// A forge, by how its web interface names a file's edit page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Forge {
    Forgejo,
    Gitea,
    GitLab,
    GitHub,
}

impl Forge {
    pub const ALL: [(&'static str, Forge); 4] = [
        ("forgejo", Forge::Forgejo),
        ("gitea", Forge::Gitea),
        ("gitlab", Forge::GitLab),
        ("github", Forge::GitHub),
    ];

    /// The forge a well-known host name belongs to.
    fn of_host(host: &str) -> Option<Forge> {
        let host = host.to_ascii_lowercase();
        let first = host.split('.').next().unwrap_or("");
        match host.as_str() {
            "github.com" => Some(Forge::GitHub),
            "gitlab.com" => Some(Forge::GitLab),
            "codeberg.org" => Some(Forge::Forgejo),
            "gitea.com" => Some(Forge::Gitea),
            _ => match first {
                "github" => Some(Forge::GitHub),
                "gitlab" => Some(Forge::GitLab),
                "forgejo" => Some(Forge::Forgejo),
                "gitea" => Some(Forge::Gitea),
                _ => None,
            },
        }
    }

    /// The path below the repository URL that opens a file in the forge's editor.
    pub fn edit_part(self) -> &'static str {
        match self {
            Forge::GitHub => "edit",
            Forge::GitLab => "-/edit",
            Forge::Forgejo | Forge::Gitea => "_edit",
        }
    }
}

/// The validated `repo:` setting.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Repo {
    /// The repository's web URL, without a trailing `/` or `.git`.
    pub url: String,
    pub branch: String,
    pub forge: Forge,
    /// Where the project lies inside the repository (`docs/`), when set; else what git
    /// says, else the top.
    pub path: Option<String>,
}

/// Read `repo:` (a URL, or a mapping with `url`, `branch`, `forge`, `path`).
pub fn parse(src: &Src, node: &Node, diags: &mut Diagnostics) -> Option<Repo> {
    let (url, branch, forge, path) = match node {
        Node::Scalar(_) => (yaml::scalar(src, node, "`repo`", diags)?, None, None, None),
        Node::Mapping(_) => {
            let f = Fields::new(src, node, "`repo`", REPO, diags)?;
            let url = f.req_str("url", diags);
            let branch = f.str("branch", diags);
            let forge = f.str("forge", diags);
            let path = f.str("path", diags);
            f.finish(diags);
            (url?, branch, forge, path)
        }
        Node::Sequence(_) => {
            diags.error(
                src.loc(node.span()),
                "`repo` must be the repository's web URL, or a mapping with `url`, `branch`, `forge` and `path`, found a list",
            );
            return None;
        }
    };
    let host = url
        .value
        .strip_prefix("https://")
        .or_else(|| url.value.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""))
        .filter(|h| !h.is_empty() && !h.contains('@'));
    let Some(host) = host else {
        diags.error(
            url.loc,
            format!(
                "`repo` must be the repository's web address starting with https:// (as a browser shows it), found `{}`",
                url.value
            ),
        );
        return None;
    };
    let host = host.split(':').next().unwrap_or(host);
    let forge = match forge {
        Some(v) => match Forge::ALL
            .iter()
            .find(|(n, _)| *n == v.value.to_ascii_lowercase())
        {
            Some((_, f)) => *f,
            None => {
                let hint = crate::base::suggest::did_you_mean(
                    &v.value,
                    Forge::ALL.iter().map(|(n, _)| *n),
                )
                .unwrap_or_default();
                diags.error(
                    v.loc,
                    format!(
                        "unknown forge `{}`{hint} (`forge` is one of forgejo, gitea, gitlab, github)",
                        v.value
                    ),
                );
                return None;
            }
        },
        None => match Forge::of_host(host) {
            Some(f) => f,
            None => {
                diags.error(
                    url.loc,
                    format!(
                        "which forge serves `{host}` is not known from its name: write `repo:` as a mapping with `url:` and `forge:` (forgejo, gitea, gitlab or github)"
                    ),
                );
                return None;
            }
        },
    };
    let path = path.map(|p| {
        let p = p.value.trim_matches('/').to_string();
        if p.is_empty() {
            p
        } else {
            format!("{p}/")
        }
    });
    let url = url.value.trim_end_matches('/');
    Some(Repo {
        url: url.strip_suffix(".git").unwrap_or(url).to_string(),
        branch: branch.map_or_else(|| "main".to_string(), |b| b.value),
        forge,
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Option<Repo>, Diagnostics) {
        let src = Src::new("fleetdoc.yaml", 0);
        let root = yaml::parse(&src, text).unwrap().unwrap();
        let Node::Mapping(m) = &root else { panic!() };
        let mut d = Diagnostics::new();
        (parse(&src, m.get("repo").unwrap(), &mut d), d)
    }

    #[test]
    fn each_forge_is_known_from_its_usual_hosts_and_has_its_edit_path() {
        for (url, forge, part) in [
            ("https://github.com/example/docs", Forge::GitHub, "edit"),
            ("https://gitlab.com/example/docs", Forge::GitLab, "-/edit"),
            (
                "https://gitlab.example.com/ops/docs",
                Forge::GitLab,
                "-/edit",
            ),
            ("https://codeberg.org/example/docs", Forge::Forgejo, "_edit"),
            (
                "https://gitea.example.com/ops/docs.git",
                Forge::Gitea,
                "_edit",
            ),
        ] {
            let (r, d) = read(&format!("repo: {url}\n"));
            assert!(d.is_empty(), "{d:?}");
            let r = r.unwrap();
            assert_eq!(
                (r.forge, r.forge.edit_part(), r.branch.as_str()),
                (forge, part, "main")
            );
            assert!(!r.url.ends_with(".git"));
        }
    }

    #[test]
    fn a_mapping_names_forge_branch_and_path() {
        let (r, d) = read(
            "repo:\n  url: https://code.example.com/ops/docs/\n  forge: Forgejo\n  branch: trunk\n  path: /docs/\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let r = r.unwrap();
        assert_eq!(r.url, "https://code.example.com/ops/docs");
        assert_eq!(
            (r.forge, r.branch.as_str(), r.path.as_deref()),
            (Forge::Forgejo, "trunk", Some("docs/"))
        );
    }

    #[test]
    fn an_address_that_is_not_a_web_url_is_an_error_at_it() {
        let (r, d) = read("repo: git@github.com:example/docs.git\n");
        assert!(r.is_none());
        let msg = d.iter().next().unwrap().to_string();
        assert!(msg.starts_with("fleetdoc.yaml:1:7: error:"), "{msg}");
    }
}
