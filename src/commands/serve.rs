//! `fleetdoc serve` (the built site, for Traefik) and `fleetdoc watch` (build, serve, reload).

use std::net::IpAddr;
use std::path::Path;

pub fn serve(root: &Path, bind: IpAddr, port: Option<u16>) -> i32 {
    let mut diags = crate::diag::Diagnostics::new();
    let settings = crate::load::load_settings(root, &mut diags);
    if diags.has_errors() {
        diags.print();
        return 1;
    }
    let site = root.join(&settings.output);
    if !site.join("index.html").is_file() {
        diags.error(
            crate::diag::Loc::file_start(site.join("index.html")),
            "no built site here; run `fleetdoc build` first",
        );
        diags.print();
        return 1;
    }
    let port = port.unwrap_or(settings.serve.port);
    let shown = site.display().to_string();
    let serving = move || {
        crate::diag::say(format!(
            "serving {shown} at http://{bind}:{port}/ (Ctrl-C or SIGTERM stops)"
        ))
    };
    match fleetdoc_serve::run_until_signal_then(
        fleetdoc_serve::Config {
            root: site,
            bind,
            port,
            live: None,
        },
        serving,
    ) {
        Ok(()) => 0,
        Err(e) => crate::diag::failure(e),
    }
}

pub fn watch(root: &Path, bind: IpAddr, port: u16, force: bool, verbose: bool) -> i32 {
    if let Err(code) = super::checked_output(root, None, "site", force) {
        return code;
    }
    crate::watch::run(root, bind, port, verbose)
}
