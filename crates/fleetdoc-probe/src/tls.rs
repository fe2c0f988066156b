//! TLS for http checks and API fetches. A certificate verifier that delegates every
//! decision to webpki, but first records what the server presented: the expiry of its
//! certificate and, when verification fails, why. That way a probe reports `tls_expires`
//! even for a certificate it does not trust, and `insecure` mode can accept such a
//! certificate while still knowing it was untrusted.
//!
//! The trust anchors are the system's trust store (what `rustls-native-certs` finds: the
//! distribution's CA bundle, or the files `SSL_CERT_FILE` / `SSL_CERT_DIR` name), and
//! Mozilla's roots built into the binary where the system has none, plus the CA
//! certificates a caller adds (a private CA's).

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use chrono::{DateTime, Utc};
use tokio_rustls::rustls::{
    self,
    client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
    client::WebPkiServerVerifier,
    crypto::{ring, CryptoProvider},
    pki_types::{pem::PemObject, CertificateDer, ServerName, UnixTime},
    DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_rustls::TlsConnector;

/// Which certificates the TLS connections of a probe run or a fetch trust.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trust {
    /// Accept any certificate (self-signed, expired, another name); its expiry is still read.
    pub insecure: bool,
    /// CA certificates (DER) trusted beside the default roots: a private CA's.
    /// [`roots_from_pem`] reads them from a PEM file's text.
    pub extra_roots: Vec<Vec<u8>>,
}

/// Where the default trust anchors came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootsOrigin {
    /// The system's trust store.
    System,
    /// Mozilla's roots built into the binary: the system store had no certificate.
    BuiltIn,
}

/// The default trust anchors, read once per process: the system's trust store when it
/// holds at least one usable certificate, else the built-in Mozilla roots. A system store
/// is preferred because it is what the machine's administrator manages (a company CA
/// added, a distrusted root removed); the built-in roots keep a minimal container or a
/// machine without `ca-certificates` working.
pub fn default_roots() -> &'static (RootCertStore, RootsOrigin) {
    static ROOTS: OnceLock<(RootCertStore, RootsOrigin)> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let mut system = RootCertStore::empty();
        // Unreadable files of the store are skipped; only an empty result matters.
        let found = rustls_native_certs::load_native_certs();
        let (added, _ignored) = system.add_parsable_certificates(found.certs);
        if added > 0 {
            (system, RootsOrigin::System)
        } else {
            let built_in = RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            (built_in, RootsOrigin::BuiltIn)
        }
    })
}

/// What is shared by all http checks of a run: the crypto provider and the webpki verifier.
#[derive(Debug, Clone)]
pub struct TlsSetup {
    provider: Arc<CryptoProvider>,
    webpki: Arc<WebPkiServerVerifier>,
    insecure: bool,
}

impl TlsSetup {
    /// Builds the shared verifier over the [default roots](default_roots) plus
    /// `extra_roots` (DER), for fleets behind a private CA.
    pub fn new(insecure: bool, extra_roots: &[Vec<u8>]) -> Result<Self, String> {
        let provider = Arc::new(ring::default_provider());
        let mut roots = default_roots().0.clone();
        for (i, der) in extra_roots.iter().enumerate() {
            roots
                .add(CertificateDer::from(der.clone()))
                .map_err(|e| format!("extra root certificate {}: {e}", i + 1))?;
        }
        let webpki =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
                .build()
                .map_err(|e| format!("cannot set up certificate verification: {e}"))?;
        Ok(TlsSetup {
            provider,
            webpki,
            insecure,
        })
    }

    /// The same setup for a [`Trust`].
    pub fn for_trust(trust: &Trust) -> Result<Self, String> {
        TlsSetup::new(trust.insecure, &trust.extra_roots)
    }

    /// A connector for one check, with its own record of what the server presented.
    pub fn connector(&self) -> Result<(TlsConnector, Arc<Recorder>), String> {
        let recorder = Arc::new(Recorder {
            setup: self.clone(),
            seen: Mutex::new(Seen::default()),
        });
        let verifier: Arc<dyn ServerCertVerifier> = recorder.clone();
        let mut config = rustls::ClientConfig::builder_with_provider(Arc::clone(&self.provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok((TlsConnector::from(Arc::new(config)), recorder))
    }
}

/// What the verifier saw during one handshake.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// notAfter of the end-entity certificate, when it could be parsed.
    pub expires: Option<DateTime<Utc>>,
    /// Why webpki refused the certificate, if it did.
    pub untrusted: Option<String>,
}

/// The per-check verifier: records, then delegates.
#[derive(Debug)]
pub struct Recorder {
    setup: TlsSetup,
    seen: Mutex<Seen>,
}

impl Recorder {
    /// Why the certificate was refused, when that refusal ended the handshake (never in
    /// insecure mode).
    pub fn rejected(&self) -> Option<String> {
        if self.setup.insecure {
            return None;
        }
        self.seen().untrusted
    }

    /// A copy of what was recorded so far.
    pub fn seen(&self) -> Seen {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self.setup.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        {
            let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
            seen.expires = not_after(end_entity);
            seen.untrusted = verdict.as_ref().err().map(describe);
        }
        match verdict {
            Err(_) if self.setup.insecure => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.setup.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.setup.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.setup
            .provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The notAfter time of a DER certificate.
pub fn not_after(der: &[u8]) -> Option<DateTime<Utc>> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    DateTime::from_timestamp(cert.validity().not_after.timestamp(), 0)
}

/// Why PEM text gave no usable certificates, and the line it is about (1 when the
/// problem concerns the whole text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PemError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for PemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Certificates (DER) from PEM text, such as a private CA's `ca.pem` (one or more
/// `CERTIFICATE` blocks; other blocks, such as a key, are passed over). Each must be
/// usable as a trust anchor.
pub fn roots_from_pem(pem: &[u8]) -> Result<Vec<Vec<u8>>, PemError> {
    let whole = |message: String| PemError { line: 1, message };
    let roots = CertificateDer::pem_slice_iter(pem)
        .map(|c| c.map(|c| c.to_vec()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| whole(format!("invalid PEM: {e}")))?;
    if roots.is_empty() {
        return Err(whole(
            "no certificate found (expected PEM text with `-----BEGIN CERTIFICATE-----`)"
                .to_string(),
        ));
    }
    for (i, der) in roots.iter().enumerate() {
        if let Err(e) = RootCertStore::empty().add(CertificateDer::from(der.as_slice())) {
            return Err(PemError {
                line: begin_line(pem, i),
                message: format!(
                    "certificate {} is not usable as a CA: {}",
                    i + 1,
                    match e {
                        rustls::Error::InvalidCertificate(
                            rustls::CertificateError::BadEncoding,
                        ) => {
                            "its block is not a well-formed X.509 certificate".to_string()
                        }
                        other => describe(&other),
                    }
                ),
            });
        }
    }
    Ok(roots)
}

/// The line of the `n`th (from 0) `-----BEGIN CERTIFICATE-----` of PEM text.
fn begin_line(pem: &[u8], n: usize) -> usize {
    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    let at = pem
        .windows(BEGIN.len())
        .enumerate()
        .filter(|(_, w)| *w == BEGIN)
        .nth(n)
        .map_or(0, |(i, _)| i);
    1 + pem[..at].iter().filter(|&&b| b == b'\n').count()
}

fn rfc3339(t: UnixTime) -> String {
    i64::try_from(t.as_secs())
        .ok()
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| "an unknown time".to_string())
}

/// `DnsName("forge.example.com")` -> `forge.example.com`, as rustls words presented names.
fn bare_name(name: &str) -> &str {
    name.split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .map(|inner| inner.trim_matches('"'))
        .unwrap_or(name)
}

/// A short reason for a refused certificate.
fn describe(err: &rustls::Error) -> String {
    use rustls::CertificateError as E;
    let rustls::Error::InvalidCertificate(cert) = err else {
        return err.to_string();
    };
    match cert {
        E::UnknownIssuer => "unknown issuer (self-signed or private CA)".to_string(),
        E::Expired => "certificate expired".to_string(),
        E::ExpiredContext { not_after, .. } => {
            format!("certificate expired at {}", rfc3339(*not_after))
        }
        E::NotValidYet => "certificate not valid yet".to_string(),
        E::NotValidYetContext { not_before, .. } => {
            format!("certificate not valid before {}", rfc3339(*not_before))
        }
        E::NotValidForName => "certificate not valid for this host name".to_string(),
        E::NotValidForNameContext { presented, .. } => format!(
            "certificate not valid for this host name (it names {})",
            presented
                .iter()
                .map(|n| bare_name(n))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => {
            let other = rustls::Error::InvalidCertificate(other.clone());
            let text = other.to_string();
            text.strip_prefix("invalid peer certificate: ")
                .unwrap_or(&text)
                .to_string()
        }
    }
}
