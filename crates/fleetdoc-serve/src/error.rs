//! Why the server could not start or run, in words a user can act on.

use std::io;
use std::net::SocketAddr;

/// An error starting or running the server.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Another program listens on the address.
    #[error("{addr} is already in use; pick another with --port")]
    AddrInUse { addr: SocketAddr },
    /// Low ports need privileges.
    #[error(
        "{addr}: permission denied (ports below 1024 need privileges); pick another with --port"
    )]
    PermissionDenied { addr: SocketAddr },
    /// The bind address does not belong to this machine.
    #[error("{addr} is not an address of this machine; pick another with --bind")]
    AddrNotAvailable { addr: SocketAddr },
    /// Any other failure to listen.
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: io::Error },
    /// The background runtime or thread could not be created.
    #[error("cannot start the server: {0}")]
    Runtime(io::Error),
    /// Ctrl-C / SIGTERM handling could not be set up.
    #[error("cannot listen for the stop signal: {0}")]
    Signal(io::Error),
}

impl ServeError {
    /// Maps a bind failure to the matching variant.
    pub(crate) fn from_bind(addr: SocketAddr, source: io::Error) -> Self {
        match source.kind() {
            io::ErrorKind::AddrInUse => ServeError::AddrInUse { addr },
            io::ErrorKind::PermissionDenied => ServeError::PermissionDenied { addr },
            io::ErrorKind::AddrNotAvailable => ServeError::AddrNotAvailable { addr },
            _ => ServeError::Listen { addr, source },
        }
    }
}
