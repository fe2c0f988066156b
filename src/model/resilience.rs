//! The topology's resilience keys, which say what limits the damage when something that is
//! not redundant fails: `mitigation` on a host or a service (free text, one or a list), and
//! `backs_up` on a timer (the services its backups cover). The redundancy analysis shows
//! them beside each single point of failure, and what is still not redundant.

use crate::base::suggest::did_you_mean;
use crate::diag::Diagnostics;
use crate::load::yaml::{scalars, Fields};
use crate::model::fleet::{Fleet, ServiceKind};
use marked_yaml::Node;

/// The `mitigation` key of a host or service: one text or a list of them.
pub fn mitigations(f: &Fields, diags: &mut Diagnostics) -> Vec<String> {
    f.strs("mitigation", diags)
        .into_iter()
        .map(|s| s.value)
        .collect()
}

/// Reads `backs_up` of service `id` (its mapping `node`) into the fleet, once every service
/// is built: only a timer may have it, and each entry names an existing service (one of
/// the `declared` ones that failed its own checks is not reported again).
pub fn read_backs_up(
    src: &crate::load::yaml::Src,
    node: &Node,
    id: &str,
    fleet: &mut Fleet,
    declared: &[String],
    diags: &mut Diagnostics,
) {
    let Node::Mapping(map) = node else { return };
    let Some(list) = map.get("backs_up") else {
        return;
    };
    let Some(me) = fleet.service_ix(id) else {
        return;
    };
    if fleet.services[me].kind != ServiceKind::Timer {
        diags.error(
            src.loc(list.span()),
            format!(
                "`backs_up` of service `{id}` needs `kind: timer` (the backup job); it is `{}`",
                fleet.services[me].kind.as_str()
            ),
        );
        return;
    }
    let names = scalars(src, list, &format!("`backs_up` of service `{id}`"), diags);
    for name in names {
        let n = name.value.as_str();
        match fleet.service_ix(n) {
            Some(j) if !fleet.services[me].backs_up.contains(&j) => {
                fleet.services[me].backs_up.push(j)
            }
            Some(_) => {}
            // A declared service that failed its own checks was reported already.
            None if declared.iter().any(|d| d == n) => {}
            None if fleet.host_ix(n).is_some() => diags.error(
                name.loc,
                format!("`backs_up` needs a service id, but `{n}` is a host; name the services whose data it backs up"),
            ),
            None => {
                let hint =
                    did_you_mean(n, fleet.services.iter().map(|s| s.id.as_str())).unwrap_or_default();
                diags.error(
                    name.loc,
                    format!("`backs_up` names `{n}`, but there is no service `{n}`{hint}"),
                );
            }
        }
    }
}
