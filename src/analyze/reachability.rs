//! Reachability: which public hostname routes through which ingress to which service on which
//! host. Derived from `public` and `ingress`, so the routing table cannot go stale.

use crate::model::Fleet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub hostname: String,
    /// The ingress service on the host (validated to exist by the model stage).
    pub ingress: usize,
    pub service: usize,
    pub host: usize,
}

pub fn routes(fleet: &Fleet) -> Vec<Route> {
    let mut out = Vec::new();
    for (i, s) in fleet.services.iter().enumerate() {
        let Some(hostname) = &s.public else { continue };
        for &h in &s.hosts {
            if let Some(ingress) = fleet.ingress_of(h) {
                out.push(Route {
                    hostname: hostname.clone(),
                    ingress,
                    service: i,
                    host: h,
                });
            }
        }
    }
    out.sort_by(|a, b| a.hostname.cmp(&b.hostname).then(a.host.cmp(&b.host)));
    out
}
