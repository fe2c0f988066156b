#!/usr/bin/env python3
"""Benchmark corpus generator: the same runbook site for fleetdoc, Zola and Hugo.

Why it exists: "faster than Zola and Hugo" is only a claim until all three build the same
pages. This script writes N runbook pages (about 5-6 KiB each: front matter, 3-8 H2
sections, bullet lists, one GFM table, one bash block, inline code, 2-3 checked links to
other pages) spread over 20 folders, plus a fleet of 40 hosts and 400 services, three
times over: once as a fleetdoc project, once as a Zola site and once as a Hugo site.

Only Python's standard library is used, and the output depends only on --pages and --seed:
the same arguments always give byte-identical files.

    python3 bench/corpus.py --pages 1000 --seed 1 --out /tmp/corpus-1000

writes /tmp/corpus-1000/{fleetdoc,zola,hugo}/. Differences between the three forms:
- links: fleetdoc `../folder/page.md#anchor`, Zola `@/folder/page.md#anchor`, Hugo
  `{{< relref "/folder/page.md#anchor" >}}`; all three fail the build on a missing page;
- fleetdoc highlights code and writes a search index; the Zola site does both
  (`[markdown.highlighting]` with classes, `build_search_index = true`;
  `config-defaults.toml` is the same site with Zola's defaults, neither), Hugo highlights
  code fences (it has no search index of its own);
- every tenth page holds a `fleet` block (a services table for one host). fleetdoc turns
  it into a table; Zola and Hugo keep it as a plain code block;
- the topology is content/fleet.yaml for fleetdoc; Zola and Hugo read the same YAML from
  a data file to render one fleet overview page (hosts and services tables), which is
  what the topology edit of the watch benchmark changes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from other_templates import (  # noqa: E402
    HUGO_BASEOF, HUGO_CONFIG, HUGO_FLEET, HUGO_INDEX, HUGO_LIST, HUGO_SINGLE,
    ZOLA_BASE, ZOLA_FLEET, ZOLA_INDEX, ZOLA_PAGE, ZOLA_SECTION,
)
# The built-in page template, copied into the fleetdoc corpus as a project override so that
# the template edit of the watch benchmark has a file to edit.
BUILTIN_PAGE_TEMPLATE = HERE.parent / "templates" / "page.html"

FOLDERS = [
    "ingress", "databases", "storage", "backups", "monitoring", "alerting", "networking",
    "dns", "certificates", "deploys", "ci", "secrets", "access", "agents", "queues",
    "caches", "search", "mail", "incidents", "capacity",
]
TOPICS = [
    "restart", "failover", "rotate", "restore", "upgrade", "drain", "scale", "inspect",
    "rebuild", "migrate", "prune", "verify", "reindex", "throttle", "recover", "audit",
]
OBJECTS = [
    "primary database", "read replica", "ingress router", "object store", "queue workers",
    "cache cluster", "search index", "mail relay", "build runners", "metrics pipeline",
    "log shipper", "certificate store", "secret vault", "agent pool", "DNS zone", "web tier",
]
HEADINGS = [
    "Overview", "Before you start", "Symptoms", "Diagnosis", "Recovery steps",
    "Verification", "Rollback", "Escalation", "Logs and metrics", "Known issues",
    "Background", "Follow up",
]
OWNERS = ["Platform team", "Storage team", "Network team", "Data team", "Release team"]
TAGS = ["fleet", "database", "ingress", "backup", "tls", "dns", "queue", "cache", "oncall", "security"]
WORDS = (
    "the service keeps its state on local disk and replicates every write to the standby "
    "before it acknowledges the client so a restart is safe while the replica is healthy "
    "check the dashboard first then the logs of the unit and only then touch the data "
    "directory because a wrong move here costs an hour of recovery time for everyone on call "
    "most incidents in this area come from expired credentials full disks or a stuck "
    "migration and each has its own short path back to a working system described below"
).split()
COMMANDS = [
    "systemctl status {unit}", "journalctl -u {unit} --since -1h --no-pager | tail -n 50",
    "docker compose -f /opt/platform/apps/{svc}/compose.yaml ps", "df -h /var/lib/{svc}",
    "curl -fsS https://{svc}.example.com/healthz", "ss -tlnp | grep {port}",
    "restic snapshots --host {host} --latest 3", "docker logs --since 30m {svc}",
]
SERVICE_SHAPES = [
    # (name, kind, port, public, depends_on names on the same host)
    ("postgres", "docker", 5432, False, []),
    ("redis", "docker", 6379, False, []),
    ("api", "docker", 8080, True, ["postgres", "redis"]),
    ("worker", "process", None, False, ["queue", "postgres"]),
    ("web", "docker", 3000, True, ["api"]),
    ("queue", "docker", 5672, False, []),
    ("metrics", "systemd", 9100, False, []),
    ("auth", "docker", 9000, True, ["postgres"]),
    ("backup", "timer", None, False, []),
]
ROLES = ["edge", "app", "db", "build", "mon"]
RANGES = ["192.0.2", "198.51.100", "203.0.113"]
N_HOSTS = 40


@dataclass
class PagePlan:
    index: int
    folder: str
    slug: str
    title: str
    summary: str
    headings: list[str]
    host: str
    service: str
    links: list[int] = field(default_factory=list)

    @property
    def rel(self) -> str:
        return f"{self.folder}/{self.slug}.md"


def anchor(heading: str) -> str:
    """The heading anchor all three tools agree on for plain-word headings."""
    return heading.lower().replace(" ", "-")


# --------------------------------------------------------------------------- topology


def host_ids() -> list[str]:
    return [f"{ROLES[k % len(ROLES)]}-{k + 1:02d}" for k in range(N_HOSTS)]


def topology_yaml() -> str:
    """40 hosts, 400 services (one ingress plus nine others per host), cross-host links."""
    hosts = host_ids()
    out = [
        "# Generated benchmark fleet: documentation addresses and example.com names only.",
        "fleet:",
        "  name: Bench Fleet",
        "  owner: Platform team",
        "",
        "hosts:",
    ]
    for k, h in enumerate(hosts):
        out += [
            f"  {h}:",
            f"    name: Host {k + 1:02d}",
            f"    address: {RANGES[k % 3]}.{10 + k}",
            f"    role: {ROLES[k % len(ROLES)].capitalize()} node {k + 1} of the bench fleet",
            "    provider: Example Cloud",
            f"    region: region-{k % 4 + 1}",
            f"    contact: {OWNERS[k % len(OWNERS)]}",
            "    rebuild: Forge repositories + .env files",
        ]
    out += ["", "services:"]
    for k, h in enumerate(hosts):
        n = f"{k + 1:02d}"
        out += [
            f"  traefik-{n}:",
            "    name: Traefik",
            f"    host: {h}",
            "    kind: docker",
            "    ingress: true",
            "    ports: [80, 443]",
        ]
        for name, kind, port, public, deps in SERVICE_SHAPES:
            out += [f"  {name}-{n}:", f"    host: {h}", f"    kind: {kind}"]
            if port:
                out.append(f"    port: {port}")
            if public:
                out.append(f"    public: {name}-{n}.example.com")
            if kind == "systemd":
                out.append(f"    unit: {name}-{n}.service")
            if kind == "timer":
                out += [f"    unit: restic-{n}.timer", "    schedule: daily"]
            if deps:
                out.append(f"    depends_on: [{', '.join(f'{d}-{n}' for d in deps)}]")
            if name in ("worker", "queue"):
                out.append("    group: jobs")
    out += ["", "links:"]
    for k in range(N_HOSTS):
        n, m = f"{k + 1:02d}", f"{(k + 1) % N_HOSTS + 1:02d}"
        out += [
            f"  - from: api-{n}",
            f"    to: auth-{m}",
            "    protocol: HTTPS/API",
            f"    via: auth-{m}.example.com",
            f"  - from: [worker-{n}, backup-{n}]",
            f"    to: queue-{m}",
            "    protocol: AMQP",
            f"    via: {RANGES[((k + 1) % N_HOSTS) % 3]}.{10 + (k + 1) % N_HOSTS}:5672",
        ]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- pages


def plan_pages(n: int, rng: random.Random) -> list[PagePlan]:
    hosts = host_ids()
    plans = []
    for i in range(n):
        topic = TOPICS[rng.randrange(len(TOPICS))]
        obj = OBJECTS[rng.randrange(len(OBJECTS))]
        k = i % N_HOSTS
        shape = SERVICE_SHAPES[rng.randrange(len(SERVICE_SHAPES))][0]
        headings = rng.sample(HEADINGS, rng.randint(3, 8))
        plans.append(
            PagePlan(
                index=i,
                folder=FOLDERS[i % len(FOLDERS)],
                slug=f"{topic}-{obj.lower().replace(' ', '-')}-{i:05d}",
                title=f"{topic.capitalize()} the {obj} on {hosts[k]} - runbook {i}",
                summary=f"How to {topic} the {obj} on {hosts[k]} safely, check it and roll back.",
                headings=headings,
                host=hosts[k],
                service=f"{shape}-{k + 1:02d}",
            )
        )
    for p in plans:
        if n < 2:
            break
        want = 2 + p.index % 2
        step = [7, 31, 113]
        for s in step[:want]:
            j = (p.index * s + s * 13 + 1) % n
            if j == p.index:
                j = (j + 1) % n
            p.links.append(j)
    return plans


def sentence(rng: random.Random, lo: int, hi: int) -> str:
    words = [WORDS[rng.randrange(len(WORDS))] for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, p: PagePlan) -> str:
    parts = [sentence(rng, 8, 16) for _ in range(rng.randint(2, 4))]
    code = rng.choice([f"`{p.service}`", f"`/var/lib/{p.service}`", f"`{p.host}`", "`--dry-run`"])
    parts.insert(1, f"The unit to look at is {code} on host `{p.host}`.")
    return " ".join(parts)


def bullets(rng: random.Random, p: PagePlan) -> str:
    items = []
    for _ in range(rng.randint(3, 6)):
        items.append(f"- {sentence(rng, 5, 11)} Use `{p.service}` only when it is drained.")
    return "\n".join(items)


def table(rng: random.Random, p: PagePlan) -> str:
    rows = ["| Check | Command | Expected |", "|---|---|---|"]
    for _ in range(rng.randint(3, 5)):
        cmd = rng.choice(COMMANDS).format(unit=f"{p.service}.service", svc=p.service, port=8080, host=p.host)
        rows.append(f"| {rng.choice(WORDS)} {rng.choice(WORDS)} | `{cmd}` | {rng.choice(['active', 'ok', 'no errors', '200'])} |")
    return "\n".join(rows)


def bash_block(rng: random.Random, p: PagePlan) -> str:
    lines = [rng.choice(COMMANDS).format(unit=f"{p.service}.service", svc=p.service, port=8080, host=p.host) for _ in range(rng.randint(3, 6))]
    return "```bash\n" + "\n".join(lines) + "\n```"


FLEET_BLOCK = "```fleet\ntable: services\nhost: {host}\n```"


def body(p: PagePlan, plans: list[PagePlan], rng: random.Random, link_fmt) -> str:
    """The Markdown body (no front matter); `link_fmt(target, anchor)` writes one link."""
    sections: list[list[str]] = [[f"## {h}"] for h in p.headings]
    sections[0].append(paragraph(rng, p))
    sections[0].append(bullets(rng, p))
    sections[min(1, len(sections) - 1)].append(bash_block(rng, p))
    sections[min(2, len(sections) - 1)].append(table(rng, p))
    if p.index % 10 == 0:
        sections[0].append(f"Services on `{p.host}`, from the topology:")
        sections[0].append(FLEET_BLOCK.format(host=p.host))
    for n, j in enumerate(p.links):
        t = plans[j]
        frag = anchor(t.headings[0]) if n == 0 else ""
        link = link_fmt(t, frag)
        sections[(n + 1) % len(sections)].append(f"See also [{t.title}]({link}) before you go on.")
    intro = paragraph(rng, p)
    # Pad to 5-6 KiB with more prose and lists, spread over the sections.
    target = rng.randint(4800, 5400)
    def text() -> str:
        return intro + "\n\n" + "\n\n".join("\n\n".join(s) for s in sections) + "\n"
    while len(text().encode()) < target:
        s = sections[rng.randrange(len(sections))]
        s.append(paragraph(rng, p) if rng.random() < 0.7 else bullets(rng, p))
    return text()


def page_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"{seed}:{index}")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def date_of(i: int) -> str:
    return f"2026-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}"


def review_of(i: int) -> str:
    return f"2027-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}"


def tags_of(i: int) -> list[str]:
    return [TAGS[i % len(TAGS)], TAGS[(i * 3 + 1) % len(TAGS)]] if i % 3 else [TAGS[i % len(TAGS)]]


# --------------------------------------------------------------------------- the three forms


def write_fleetdoc(root: Path, plans: list[PagePlan], seed: int, fleet: str) -> None:
    # Its shell blocks are generated text, not runbooks about this fleet (docs/runbook-checks.md).
    write(root / "fleetdoc.yaml", "title: Bench Fleet Docs\nurl: https://docs.example.com\ncheck_commands: false\n")
    write(root / "content" / "fleet.yaml", fleet)
    if BUILTIN_PAGE_TEMPLATE.is_file():
        write(root / "templates" / "page.html", BUILTIN_PAGE_TEMPLATE.read_text(encoding="utf-8"))
    for p in plans:
        tags = ", ".join(dict.fromkeys(tags_of(p.index)))
        front = (
            f"---\ntitle: {p.title}\nkind: runbook\nsummary: {p.summary}\n"
            f"owner: {OWNERS[p.index % len(OWNERS)]}\nupdated: {date_of(p.index)}\n"
            f"review: {review_of(p.index)}\ntags: [{tags}]\n---\n\n"
        )
        text = body(p, plans, page_rng(seed, p.index), lambda t, a: f"../{t.rel}" + (f"#{a}" if a else ""))
        write(root / "content" / p.rel, front + text)


def toml_str(s: str) -> str:
    return json.dumps(s)


def write_zola(root: Path, plans: list[PagePlan], seed: int, fleet: str) -> None:
    base = ('base_url = "https://docs.example.com"\ntitle = "Bench Fleet Docs"\n'
            "compile_sass = false\ngenerate_feeds = true\n")
    # Of equal scope to fleetdoc, which highlights code at build time into classes (a light
    # and a dark palette) and writes a search index: Zola 0.22's `[markdown.highlighting]`
    # and `build_search_index`. config-defaults.toml is Zola with neither (its defaults).
    write(
        root / "config.toml",
        base + "build_search_index = true\n\n[markdown.highlighting]\nstyle = \"class\"\n"
        'light_theme = "github-light"\ndark_theme = "github-dark"\n',
    )
    write(root / "config-defaults.toml", base + "build_search_index = false\n")
    for name, text in [("base.html", ZOLA_BASE), ("page.html", ZOLA_PAGE), ("section.html", ZOLA_SECTION),
                       ("index.html", ZOLA_INDEX), ("fleet.html", ZOLA_FLEET)]:
        write(root / "templates" / name, text)
    write(root / "content" / "_index.md", '+++\ntitle = "Topic list"\n+++\n')
    write(root / "content" / "fleet" / "_index.md", '+++\ntitle = "Fleet"\ntemplate = "fleet.html"\n+++\n')
    write(root / "content" / "fleet" / "fleet.yaml", fleet)
    for f in FOLDERS:
        write(root / "content" / f / "_index.md", f'+++\ntitle = "{f.capitalize()}"\nsort_by = "date"\n+++\n')
    for p in plans:
        tags = ", ".join(toml_str(t) for t in dict.fromkeys(tags_of(p.index)))
        front = (
            f"+++\ntitle = {toml_str(p.title)}\ndescription = {toml_str(p.summary)}\ndate = {date_of(p.index)}\n"
            f'[extra]\nkind = "runbook"\nowner = {toml_str(OWNERS[p.index % len(OWNERS)])}\n'
            f'review = "{review_of(p.index)}"\ntags = [{tags}]\n+++\n\n'
        )
        text = body(p, plans, page_rng(seed, p.index), lambda t, a: f"@/{t.rel}" + (f"#{a}" if a else ""))
        write(root / "content" / p.rel, front + text)


def write_hugo(root: Path, plans: list[PagePlan], seed: int, fleet: str) -> None:
    write(root / "hugo.toml", HUGO_CONFIG)
    layouts = root / "layouts"
    for rel, text in [("_default/baseof.html", HUGO_BASEOF), ("_default/single.html", HUGO_SINGLE),
                      ("_default/list.html", HUGO_LIST), ("index.html", HUGO_INDEX),
                      ("fleet/list.html", HUGO_FLEET)]:
        write(layouts / rel, text)
    write(root / "data" / "fleet.yaml", fleet)
    write(root / "content" / "_index.md", "---\ntitle: Topic list\n---\n")
    write(root / "content" / "fleet" / "_index.md", "---\ntitle: Fleet\n---\n")
    for f in FOLDERS:
        write(root / "content" / f / "_index.md", f"---\ntitle: {f.capitalize()}\n---\n")
    for p in plans:
        tags = ", ".join(dict.fromkeys(tags_of(p.index)))
        # Tags live in params (as `labels`) so that Hugo does not build taxonomy pages
        # that fleetdoc and the Zola site do not have.
        front = (
            f"---\ntitle: {p.title}\nsummary: {p.summary}\ndate: {date_of(p.index)}\n"
            f"params:\n  kind: runbook\n  owner: {OWNERS[p.index % len(OWNERS)]}\n"
            f"  review: {review_of(p.index)}\n  labels: [{tags}]\n---\n\n"
        )
        text = body(p, plans, page_rng(seed, p.index),
                    lambda t, a: '{{< relref "/' + t.rel + (f"#{a}" if a else "") + '" >}}')
        write(root / "content" / p.rel, front + text)


def fingerprint() -> str:
    """Changes whenever the generator or the copied template changes (for caching)."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update((HERE / "other_templates.py").read_bytes())
    if BUILTIN_PAGE_TEMPLATE.is_file():
        h.update(BUILTIN_PAGE_TEMPLATE.read_bytes())
    return h.hexdigest()[:12]


def generate(out: Path, pages: int, seed: int) -> dict:
    """Write the three forms under `out` (replacing it); returns a description."""
    if out.exists():
        shutil.rmtree(out)
    plans = plan_pages(pages, random.Random(seed))
    fleet = topology_yaml()
    write_fleetdoc(out / "fleetdoc", plans, seed, fleet)
    write_zola(out / "zola", plans, seed, fleet)
    write_hugo(out / "hugo", plans, seed, fleet)
    sizes = [len((out / "fleetdoc" / "content" / p.rel).read_bytes()) for p in plans]
    info = {
        "pages": pages,
        "seed": seed,
        "fingerprint": fingerprint(),
        "hosts": N_HOSTS,
        "services": N_HOSTS * (1 + len(SERVICE_SHAPES)),
        "folders": len(FOLDERS),
        "fleet_blocks": sum(1 for p in plans if p.index % 10 == 0),
        "links": sum(len(p.links) for p in plans),
        "page_bytes_min": min(sizes, default=0),
        "page_bytes_max": max(sizes, default=0),
        "page_bytes_mean": round(sum(sizes) / len(sizes)) if sizes else 0,
        # One page of each kind the watch benchmark edits.
        "sample_page": plans[len(plans) // 2].rel if plans else None,
    }
    write(out / "corpus.json", json.dumps(info, indent=2) + "\n")
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1000, help="number of runbook pages (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", type=Path, required=True, help="folder to write (replaced)")
    a = ap.parse_args(argv)
    if a.pages < 1:
        ap.error("--pages must be at least 1")
    info = generate(a.out, a.pages, a.seed)
    json.dump(info, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
