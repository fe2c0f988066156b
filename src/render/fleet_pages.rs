//! The fleet overview and one page per host: the fleet, its status and its diagrams, shown
//! from the model (never in the public profile). A cold build renders them beside the
//! topology PNG; `watch` reuses them while the fleet and templates are unchanged.

use crate::diag::Diagnostics;
use crate::model::blocks::DiagramKind;
use crate::model::columns::TableKind;
use crate::render::cache::{key_of, RenderCache};
use crate::render::diagrams::DiagramRef;
use crate::render::output::Output;
use crate::render::site::{base_context, render_template, table_html, Keys};
use crate::render::Ctx;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;

#[allow(clippy::too_many_arguments)]
pub(super) fn fleet_pages(
    ctx: &Ctx,
    tera: &tera::Tera,
    keys: &Keys,
    cache: &mut RenderCache,
    out: &mut Output,
    diagrams: &mut BTreeSet<DiagramRef>,
    mut pre: Prerendered,
    diags: &mut Diagnostics,
) {
    let fleet_key = key_of(&(keys.templates, keys.chrome, keys.fleet, ctx.changes));
    let mut take =
        |path: &str, d: &mut Diagnostics, render: &dyn Fn(&mut Diagnostics) -> Vec<u8>| match pre
            .remove(path)
        {
            Some((bytes, pd)) => {
                d.extend(pd);
                bytes
            }
            None => render(d),
        };
    let bytes = cache.other("fleet/index.html", fleet_key, diags, |d| {
        take("fleet/index.html", d, &|d| fleet_page_html(ctx, tera, d))
    });
    out.bytes("fleet/index.html", bytes);
    let bytes = cache.other("fleet/changes/index.html", fleet_key, diags, |d| {
        crate::render::changes::page_html(ctx, tera, d)
    });
    out.bytes("fleet/changes/index.html", bytes);
    diagrams.insert(DiagramRef::new(DiagramKind::Topology, None, ctx.fleet));
    for (h, host) in ctx.fleet.hosts.iter().enumerate() {
        let path = format!("hosts/{}/index.html", host.id);
        let bytes = cache.other(&path, fleet_key, diags, |d| {
            take(&path, d, &|d| host_page_html(ctx, tera, h, d))
        });
        out.bytes(path, bytes);
        diagrams.insert(DiagramRef::new(DiagramKind::Host, Some(h), ctx.fleet));
    }
}

/// Fleet and host pages rendered ahead (beside the topology PNG), by output path.
pub(super) type Prerendered = std::collections::HashMap<String, (Vec<u8>, Diagnostics)>;

/// Render the fleet overview and every host page, in parallel (a cold build).
pub(super) fn prerender(ctx: &Ctx, tera: &tera::Tera) -> Prerendered {
    let mut jobs: Vec<Option<usize>> = vec![None];
    jobs.extend((0..ctx.fleet.hosts.len()).map(Some));
    jobs.into_par_iter()
        .map(|job| {
            let mut d = Diagnostics::new();
            match job {
                None => (
                    "fleet/index.html".to_string(),
                    (fleet_page_html(ctx, tera, &mut d), d),
                ),
                Some(h) => (
                    format!("hosts/{}/index.html", ctx.fleet.hosts[h].id),
                    (host_page_html(ctx, tera, h, &mut d), d),
                ),
            }
        })
        .collect()
}

fn fleet_page_html(ctx: &Ctx, tera: &tera::Tera, d: &mut Diagnostics) -> Vec<u8> {
    let topo = DiagramRef::new(DiagramKind::Topology, None, ctx.fleet);
    let root = "../";
    let mut c = base_context(ctx, root);
    c.insert(
        "topology",
        &crate::render::diagrams::figure_html(&topo, root, ctx, true),
    );
    for (name, kind) in [
        ("hosts_table", TableKind::Hosts),
        ("services_table", TableKind::Services),
        ("routes_table", TableKind::Routes),
        ("links_table", TableKind::Links),
        ("redundancy_table", TableKind::Redundancy),
        ("status_table", TableKind::Status),
        ("drift_table", TableKind::Drift),
        ("contacts_table", TableKind::Contacts),
        ("layers_table", TableKind::Layers),
    ] {
        c.insert(name, &table_html(ctx, kind, None, root));
    }
    c.insert("has_layers", &!ctx.fleet.layers.is_empty());
    c.insert("drift_feed", &crate::render::incidents::has_feed(ctx));
    c.insert(
        "redundancy_summary",
        &crate::analyze::redundancy::summary(ctx.fleet, &ctx.an.spofs),
    );
    render_template(tera, "fleet.html", &c, d).into_bytes()
}

fn host_page_html(ctx: &Ctx, tera: &tera::Tera, h: usize, d: &mut Diagnostics) -> Vec<u8> {
    let dref = DiagramRef::new(DiagramKind::Host, Some(h), ctx.fleet);
    let root = "../../";
    let mut c = base_context(ctx, root);
    c.insert("host", &host_info(ctx, h));
    c.insert(
        "incident_banner",
        &crate::render::incidents::banner(ctx, root, Some(h)),
    );
    // The hosts before and after this one, in the site's order.
    let neighbour = |n: Option<usize>| {
        n.filter(|&n| n < ctx.fleet.hosts.len()).map(|n| {
            serde_json::json!({
                "name": ctx.fleet.hosts[n].name,
                "href": crate::render::fleet_tables::host_href(ctx.fleet, n),
            })
        })
    };
    c.insert("prev_host", &neighbour(h.checked_sub(1)));
    c.insert("next_host", &neighbour(Some(h + 1)));
    c.insert(
        "diagram",
        &crate::render::diagrams::figure_html(&dref, root, ctx, false),
    );
    for (name, kind) in [
        ("services_table", TableKind::Services),
        ("links_table", TableKind::Links),
        ("status_table", TableKind::Status),
        ("redundancy_table", TableKind::Redundancy),
    ] {
        c.insert(name, &table_html(ctx, kind, Some(h), root));
    }
    // A project outside git has no host histories (the Changes page says why).
    let in_git = ctx
        .git
        .is_some_and(|g| g.status != crate::load::git::Status::NotInGit);
    if let Some(history) = ctx.changes.filter(|_| in_git) {
        let id = ctx.fleet.hosts[h].id.to_string();
        c.insert(
            "history",
            &crate::render::changes::host_entries(ctx, &id, root),
        );
        c.insert("history_note", &history.limitation);
    }
    render_template(tera, "host.html", &c, d).into_bytes()
}

#[derive(Serialize)]
struct HostInfo {
    id: String,
    name: String,
    address: String,
    role: Option<String>,
    provider: Option<String>,
    region: Option<String>,
    contact: Option<String>,
    rebuild: Option<String>,
    storage: Option<String>,
    not_running: Vec<String>,
    services: usize,
    /// Its maintenance windows and those of its services, one line each.
    maintenance: Vec<String>,
}

fn host_info(ctx: &Ctx, h: usize) -> HostInfo {
    let x = &ctx.fleet.hosts[h];
    HostInfo {
        id: x.id.to_string(),
        name: x.name.clone(),
        address: x.address.to_string(),
        role: x.role.clone(),
        provider: x.provider.clone(),
        region: x.region.clone(),
        contact: x.contact.clone(),
        rebuild: x.rebuild.clone(),
        storage: x.storage.clone(),
        not_running: x.not_running.clone(),
        services: ctx.fleet.services_on(h).count(),
        maintenance: host_windows(ctx, h),
    }
}

/// The host's windows (`... (every service)`), then each of its services' own and its
/// backup jobs' (`forge: daily 03:00-03:20 UTC`); one-off windows that are over are left
/// out (the availability page lists them in their month).
fn host_windows(ctx: &Ctx, h: usize) -> Vec<String> {
    use crate::model::maintenance::{Origin, When, Window};
    let current = |w: &&Window| !matches!(w.when, When::Once { end, .. } if end <= ctx.now);
    let line = |w: &Window| {
        let mut about: Vec<String> = Vec::new();
        if let Origin::Backup(b) = w.origin {
            about.push(format!("backup job {}", ctx.fleet.services[b].name));
        }
        about.extend(w.note.clone());
        if about.is_empty() {
            w.when.describe()
        } else {
            format!("{} ({})", w.when.describe(), about.join("; "))
        }
    };
    let own = ctx.fleet.hosts[h]
        .maintenance
        .iter()
        .filter(current)
        .map(|w| format!("{}, every service", line(w)));
    let services = ctx.fleet.services_on(h).flat_map(|(_, s)| {
        s.maintenance
            .iter()
            .filter(current)
            .filter(|w| !matches!(w.origin, Origin::Host(_)))
            .map(move |w| format!("{}: {}", s.name, line(w)))
    });
    own.chain(services).collect()
}
