//! `--ca FILE` and `--insecure`, shared by every command that reads over HTTPS (`probe`,
//! `probe --from`, `discover --traefik`, `init --from-traefik`): the files are read and
//! checked before anything is asked, so a bad one is a usage error (exit 2) at its own
//! position, and `--insecure` is said once on stderr.

use crate::cli::TlsArgs;
use crate::diag::{Diagnostics, Loc, Pos};
use fleetdoc_probe::fetch::Client;
use fleetdoc_probe::Trust;
use std::time::Duration;

/// The trust of `args`; for `--insecure`, a warning naming `what` is printed first. On a
/// file that cannot be read or holds no usable certificate: its error, and exit code 2.
pub fn trust(args: &TlsArgs, what: &str) -> Result<Trust, i32> {
    let mut diags = Diagnostics::new();
    let mut extra_roots = Vec::new();
    for file in &args.ca {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                diags.error(
                    Loc::file_start(file),
                    format!("--ca: cannot read this file: {e}"),
                );
                continue;
            }
        };
        match fleetdoc_probe::roots_from_pem(&bytes) {
            Ok(roots) => extra_roots.extend(roots),
            Err(e) => diags.error(
                Loc::new(file.clone(), Pos::new(e.line, 1)),
                format!("--ca: {e}; give the CA's certificate as PEM (as `openssl x509 -outform PEM` writes it)"),
            ),
        }
    }
    if diags.has_errors() {
        diags.print();
        return Err(2);
    }
    if args.insecure {
        crate::diag::warning_line(format!(
            "--insecure: TLS certificates of {what} are not checked; anyone between here and there can answer in its name"
        ));
    }
    Ok(Trust {
        insecure: args.insecure,
        extra_roots,
    })
}

/// A fetch client with the trust of `args` and `timeout` for each GET, or the exit code
/// (2 for a bad `--ca` file; 1 when TLS cannot be set up at all).
pub fn client(args: &TlsArgs, what: &str, timeout: Duration) -> Result<Client, i32> {
    let trust = trust(args, what)?;
    Client::new(timeout, &trust).map_err(|e| {
        crate::diag::error_line(e);
        1
    })
}
