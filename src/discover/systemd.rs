//! Units of this host, from `systemctl list-units --output=json` (systemd 246 and later):
//! name, active and sub state. Any user may list units; no privileges are needed. The
//! operating system's own units (`ssh.service`, `cron.service`, `systemd-*`...) run on
//! every machine and are not the fleet's, so they are never reported as undeclared.

use crate::discover::Unit;
use serde::Deserialize;

#[derive(Deserialize)]
struct Row {
    unit: String,
    #[serde(default)]
    active: String,
    #[serde(default)]
    sub: String,
}

/// Units of the JSON list; an entry that is not a unit is a warning and is skipped.
pub fn parse(text: &[u8], warnings: &mut Vec<String>) -> Result<Vec<Unit>, String> {
    let rows: Vec<serde_json::Value> = serde_json::from_slice(text).map_err(|e| {
        format!("systemctl list-units: not a JSON list of units ({e}); systemd 246 or later is needed for --output=json")
    })?;
    let mut out = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        match serde_json::from_value::<Row>(row) {
            Ok(r) => out.push(Unit {
                name: r.unit,
                active: r.active,
                sub: r.sub,
            }),
            Err(e) => warnings.push(format!(
                "systemctl list-units entry {}: not a unit ({e}); skipped",
                i + 1
            )),
        }
    }
    Ok(out)
}

/// Units of the base system, never reported as undeclared (a prefix ending in `-`, `@` or
/// `.` matches every unit that starts with it).
const SYSTEM: &[&str] = &[
    "systemd-",
    "dbus.",
    "dbus-",
    "getty@",
    "serial-getty@",
    "console-",
    "ssh.",
    "sshd.",
    "cron.",
    "crond.",
    "anacron.",
    "atd.",
    "rsyslog.",
    "syslog.",
    "user@",
    "user-runtime-dir@",
    "polkit.",
    "networkd-dispatcher.",
    "NetworkManager",
    "wpa_supplicant.",
    "unattended-upgrades.",
    "snapd",
    "snap.",
    "cloud-",
    "apt-",
    "dpkg-",
    "logrotate.",
    "man-db.",
    "e2scrub",
    "fstrim.",
    "motd-news.",
    "multipathd.",
    "ModemManager.",
    "udisks2.",
    "accounts-daemon.",
    "containerd.",
    "docker.",
    "chrony",
    "ntp.",
    "irqbalance.",
    "packagekit.",
    "thermald.",
    "upower.",
    "fwupd",
    "plymouth",
    "lvm2-",
    "blk-availability.",
    "kmod",
    "setvtrgb.",
    "keyboard-setup.",
    "apparmor.",
    "ufw.",
    "finalrd.",
    "uuidd.",
    "rc-local.",
    "lxd",
    "iscsid.",
    "open-iscsi.",
    "grub-",
    "qemu-guest-agent.",
    "acpid.",
    "haveged.",
    "rng-tools",
    "auditd.",
    "firewalld.",
    "tuned.",
    "sysstat",
    "ua-",
    "ubuntu-advantage.",
    "update-notifier",
    "phpsessionclean.",
    "certbot.",
    "mdmonitor",
    "smartd.",
    "do-agent.",
    "droplet-agent.",
    "google-",
    "walinuxagent.",
    "amazon-ssm-agent.",
    "hv-",
    "open-vm-tools.",
    "vgauth.",
    "rpcbind.",
    "nfs-",
    "emergency.",
    "rescue.",
    "init.scope",
    "session-",
    "-.",
    "dev-",
    "sys-",
    "proc-",
    "run-",
    "tmp.mount",
    "boot",
    "swap",
    "home.mount",
    "var-",
    "snap-",
    "basic.",
    "sysinit.",
    "multi-user.",
    "graphical.",
    "network",
    "nss-",
    "local-fs",
    "remote-fs",
    "paths.",
    "slices.",
    "sockets.",
    "timers.",
    "getty.",
    "cryptsetup",
    "veritysetup",
    "integritysetup",
    "swap.",
    "time-",
    "sound.",
    "bluetooth",
    "machine.slice",
    "system.slice",
    "user.slice",
    "system-",
    "ldconfig.",
    "modprobe@",
    "keyboard",
];

/// Whether `unit` belongs to the base system rather than to the fleet.
pub fn is_system(unit: &str) -> bool {
    SYSTEM.iter().any(|p| unit.starts_with(p))
}

/// Units worth comparing with the topology: services and timers that run.
pub fn runs(u: &Unit) -> bool {
    (u.name.ends_with(".service") || u.name.ends_with(".timer")) && u.active == "active"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_units_are_known() {
        assert!(is_system("systemd-journald.service"));
        assert!(is_system("ssh.service"));
        assert!(!is_system("code-server@ops.service"));
        assert!(!is_system("restic-backup.timer"));
    }
}
