//! TLS for http checks. A certificate verifier that delegates every decision to webpki with
//! Mozilla's roots, but first records what the server presented: the expiry of its
//! certificate and, when verification fails, why. That way a probe reports `tls_expires`
//! even for a certificate it does not trust, and `insecure` mode can accept such a
//! certificate while still knowing it was untrusted.

use std::sync::{Arc, Mutex, PoisonError};

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

/// What is shared by all http checks of a run: the crypto provider and the webpki verifier.
#[derive(Debug, Clone)]
pub struct TlsSetup {
    provider: Arc<CryptoProvider>,
    webpki: Arc<WebPkiServerVerifier>,
    insecure: bool,
}

impl TlsSetup {
    /// Builds the shared verifier over Mozilla's root certificates plus `extra_roots`
    /// (DER), for fleets behind a private CA.
    pub fn new(insecure: bool, extra_roots: &[Vec<u8>]) -> Result<Self, String> {
        let provider = Arc::new(ring::default_provider());
        let mut roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
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

/// Certificates (DER) from PEM text, such as a private CA's `ca.pem`.
pub fn roots_from_pem(pem: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let roots = CertificateDer::pem_slice_iter(pem)
        .map(|c| c.map(|c| c.to_vec()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("invalid PEM: {e}"))?;
    if roots.is_empty() {
        return Err("no certificate found in PEM".to_string());
    }
    Ok(roots)
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
