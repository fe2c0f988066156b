//! The columns of every fleet table, one enum per table kind: what a `columns:` list may
//! name, the default set, and the header each shows. The renderers match on these enums
//! exhaustively, so a column cannot be accepted here and forgotten there.

/// A column of one table kind.
pub trait Column: Copy + Eq + 'static {
    /// Every column: its name in a `columns:` list, and the column.
    const ALL: &'static [(&'static str, Self)];
    /// The columns shown when a block names none.
    const DEFAULT: &'static [Self];
    /// The table header.
    fn header(self) -> &'static str;
    fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, c)| *c == self)
            .map(|(n, _)| *n)
            .unwrap_or_default()
    }
}

macro_rules! columns {
    ($(#[$doc:meta])* $name:ident { $($var:ident = $text:literal : $header:literal),+ $(,)? }
     default [$($def:ident),+ $(,)?]) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($var),+ }
        impl Column for $name {
            const ALL: &'static [(&'static str, Self)] = &[$(($text, $name::$var)),+];
            const DEFAULT: &'static [Self] = &[$($name::$def),+];
            fn header(self) -> &'static str {
                match self { $($name::$var => $header),+ }
            }
        }
    };
}

columns! {
    /// `table: hosts`
    HostCol {
        Id = "id": "ID", Name = "name": "Name", Address = "address": "Address",
        Role = "role": "Role", Provider = "provider": "Provider", Region = "region": "Region",
        Services = "services": "Services", NotRunning = "not_running": "Not running",
        Contact = "contact": "Primary contact", Rebuild = "rebuild": "Rebuild source",
        Storage = "storage": "Storage", Status = "status": "Status",
    } default [Name, Address, Role, Services, NotRunning]
}

columns! {
    /// `table: services`
    ServiceCol {
        Id = "id": "ID", Name = "name": "Name", Host = "host": "Host", Kind = "kind": "Kind",
        Ports = "ports": "Ports", Protocol = "protocol": "Protocol", Public = "public": "Public",
        Unit = "unit": "Unit", Group = "group": "Group", DependsOn = "depends_on": "Depends on",
        Description = "description": "Description", Status = "status": "Status",
    } default [Name, Host, Kind, Ports, Public, Status]
}

columns! {
    /// `table: links`
    LinkCol {
        From = "from": "From", To = "to": "To", Protocol = "protocol": "Protocol",
        Via = "via": "Via", Note = "note": "Note",
    } default [From, To, Protocol, Via]
}

columns! {
    /// `table: contacts`
    ContactCol {
        Host = "host": "Host", Address = "address": "Address",
        Contact = "contact": "Primary contact", Rebuild = "rebuild": "Rebuild source",
    } default [Host, Address, Contact, Rebuild]
}

columns! {
    /// `table: redundancy`
    RedundancyCol {
        Item = "item": "Item", Type = "type": "Type", Reason = "reason": "Reason",
        Dependents = "dependents": "Dependents", Mitigations = "mitigations": "Mitigations",
        NotRedundant = "not_redundant": "Not yet redundant",
    } default [Item, Type, Reason, Dependents, Mitigations, NotRedundant]
}

columns! {
    /// `table: status`
    StatusCol {
        Service = "service": "Service", Host = "host": "Host", Status = "status": "Status",
        Checked = "checked": "Checked", Uptime = "uptime": "Uptime",
        History = "history": "History", Certificate = "certificate": "Certificate",
        Detail = "detail": "Detail", UptimeBars = "uptime_bars": "Uptime 24 h / 7 d / 30 d / 90 d",
    } default [Service, Host, Status, Checked, Uptime, History, Certificate]
}

columns! {
    /// `table: drift`
    DriftCol {
        Kind = "kind": "Kind", Subject = "subject": "Subject", Detail = "detail": "Detail",
    } default [Kind, Subject, Detail]
}

columns! {
    /// `table: layers`
    LayerCol {
        Id = "id": "ID", Title = "title": "Title", Host = "host": "Host", Path = "path": "Path",
        Holds = "holds": "Holds", Description = "description": "Description",
    } default [Title, Path, Holds]
}

columns! {
    /// `table: routes`
    RouteCol {
        Hostname = "hostname": "Hostname", Ingress = "ingress": "Ingress",
        Service = "service": "Service", Host = "host": "Host",
    } default [Hostname, Ingress, Service, Host]
}

/// A table a fleet block asks for, with its columns in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TableSpec {
    Hosts(Vec<HostCol>),
    Services(Vec<ServiceCol>),
    Links(Vec<LinkCol>),
    Contacts(Vec<ContactCol>),
    Redundancy(Vec<RedundancyCol>),
    Status(Vec<StatusCol>),
    Drift(Vec<DriftCol>),
    Layers(Vec<LayerCol>),
    Routes(Vec<RouteCol>),
}

/// The kinds of table, by the name a block uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    Hosts,
    Services,
    Links,
    Contacts,
    Redundancy,
    Status,
    Drift,
    Layers,
    Routes,
}

impl TableKind {
    pub const ALL: [(&'static str, TableKind); 9] = [
        ("hosts", TableKind::Hosts),
        ("services", TableKind::Services),
        ("links", TableKind::Links),
        ("contacts", TableKind::Contacts),
        ("redundancy", TableKind::Redundancy),
        ("status", TableKind::Status),
        ("drift", TableKind::Drift),
        ("layers", TableKind::Layers),
        ("routes", TableKind::Routes),
    ];

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(n, _)| *n)
            .unwrap_or("table")
    }

    /// Every column name of this kind (for messages).
    pub fn column_names(self) -> Vec<&'static str> {
        fn names<C: Column>() -> Vec<&'static str> {
            C::ALL.iter().map(|(n, _)| *n).collect()
        }
        match self {
            TableKind::Hosts => names::<HostCol>(),
            TableKind::Services => names::<ServiceCol>(),
            TableKind::Links => names::<LinkCol>(),
            TableKind::Contacts => names::<ContactCol>(),
            TableKind::Redundancy => names::<RedundancyCol>(),
            TableKind::Status => names::<StatusCol>(),
            TableKind::Drift => names::<DriftCol>(),
            TableKind::Layers => names::<LayerCol>(),
            TableKind::Routes => names::<RouteCol>(),
        }
    }

    /// The table with the named columns (`None`: the default ones). Names must be valid
    /// (see [`TableKind::column_names`]); an unknown name is skipped.
    pub fn spec(self, names: Option<&[&str]>) -> TableSpec {
        fn pick<C: Column>(names: Option<&[&str]>) -> Vec<C> {
            match names {
                None => C::DEFAULT.to_vec(),
                Some(ns) => ns
                    .iter()
                    .filter_map(|n| C::ALL.iter().find(|(x, _)| x == n).map(|(_, c)| *c))
                    .collect(),
            }
        }
        match self {
            TableKind::Hosts => TableSpec::Hosts(pick(names)),
            TableKind::Services => TableSpec::Services(pick(names)),
            TableKind::Links => TableSpec::Links(pick(names)),
            TableKind::Contacts => TableSpec::Contacts(pick(names)),
            TableKind::Redundancy => TableSpec::Redundancy(pick(names)),
            TableKind::Status => TableSpec::Status(pick(names)),
            TableKind::Drift => TableSpec::Drift(pick(names)),
            TableKind::Layers => TableSpec::Layers(pick(names)),
            TableKind::Routes => TableSpec::Routes(pick(names)),
        }
    }
}

impl TableSpec {
    pub fn kind(&self) -> TableKind {
        match self {
            TableSpec::Hosts(_) => TableKind::Hosts,
            TableSpec::Services(_) => TableKind::Services,
            TableSpec::Links(_) => TableKind::Links,
            TableSpec::Contacts(_) => TableKind::Contacts,
            TableSpec::Redundancy(_) => TableKind::Redundancy,
            TableSpec::Status(_) => TableKind::Status,
            TableSpec::Drift(_) => TableKind::Drift,
            TableSpec::Layers(_) => TableKind::Layers,
            TableSpec::Routes(_) => TableKind::Routes,
        }
    }

    /// The headers, in column order.
    pub fn headers(&self) -> Vec<&'static str> {
        fn h<C: Column>(cs: &[C]) -> Vec<&'static str> {
            cs.iter().map(|c| c.header()).collect()
        }
        match self {
            TableSpec::Hosts(c) => h(c),
            TableSpec::Services(c) => h(c),
            TableSpec::Links(c) => h(c),
            TableSpec::Contacts(c) => h(c),
            TableSpec::Redundancy(c) => h(c),
            TableSpec::Status(c) => h(c),
            TableSpec::Drift(c) => h(c),
            TableSpec::Layers(c) => h(c),
            TableSpec::Routes(c) => h(c),
        }
    }
}
