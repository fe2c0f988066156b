//! Real servers on loopback for the probe tests: HTTPS with a self-signed certificate of
//! known expiry or issued by a private CA, plain HTTP answering a chosen status, a server that accepts and never
//! answers, one that answers with raw bytes, and a closed port. Also a guard that fails a
//! test instead of letting it hang.

#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Empty;
use hyper::body::Bytes;
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tokio_rustls::rustls::{
    self,
    pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer},
};

/// A runtime of its own for the servers, separate from the one `run` builds.
pub fn server_runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("test runtime")
}

async fn bind() -> TcpListener {
    TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback")
}

/// Serves `status` over plain HTTP.
pub fn http_status(rt: &Runtime, status: u16) -> SocketAddr {
    rt.block_on(async {
        let listener = bind().await;
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                tokio::spawn(serve(TokioIo::new(tcp), status));
            }
        });
        addr
    })
}

/// Serves `200 OK` over HTTPS with a self-signed certificate for `localhost` and
/// `127.0.0.1` that expires at midnight UTC of the given day.
pub fn https_self_signed(rt: &Runtime, year: i32, month: u8, day: u8) -> SocketAddr {
    let mut params =
        rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .expect("certificate params");
    params.not_after = rcgen::date_time_ymd(year, month, day);
    let key = rcgen::KeyPair::generate().expect("key pair");
    let cert = params.self_signed(&key).expect("self-signed certificate");
    serve_tls(rt, cert.der().to_vec(), key)
}

/// Serves `200 OK` over HTTPS with a certificate for `names`, expiring at midnight UTC of
/// the given day, issued by a new private CA. Returns the address and the CA's PEM.
pub fn https_private_ca(
    rt: &Runtime,
    names: &[&str],
    year: i32,
    month: u8,
    day: u8,
) -> (SocketAddr, String) {
    let ca_key = rcgen::KeyPair::generate().expect("CA key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Example Fleet Test CA");
    let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = rcgen::Issuer::new(ca_params, ca_key);

    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut params = rcgen::CertificateParams::new(names).expect("leaf params");
    params.not_after = rcgen::date_time_ymd(year, month, day);
    let key = rcgen::KeyPair::generate().expect("leaf key");
    let leaf = params.signed_by(&key, &issuer).expect("leaf certificate");
    (serve_tls(rt, leaf.der().to_vec(), key), ca_cert.pem())
}

fn serve_tls(rt: &Runtime, cert_der: Vec<u8>, key: rcgen::KeyPair) -> SocketAddr {
    let chain = vec![CertificateDer::from(cert_der)];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .expect("server certificate");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    rt.block_on(async {
        let listener = bind().await;
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    if let Ok(tls) = acceptor.accept(tcp).await {
                        serve(TokioIo::new(tls), 200).await;
                    }
                });
            }
        });
        addr
    })
}

async fn serve<I>(io: TokioIo<I>, status: u16)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |_req| async move {
        let mut response = Response::new(Empty::<Bytes>::new());
        *response.status_mut() = StatusCode::from_u16(status).expect("status");
        if (300..400).contains(&status) {
            response.headers_mut().insert(
                hyper::header::LOCATION,
                hyper::header::HeaderValue::from_static("/elsewhere"),
            );
        }
        Ok::<_, Infallible>(response)
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(io, service)
        .await;
}

/// Accepts connections and never says a word.
pub fn silent(rt: &Runtime) -> SocketAddr {
    rt.block_on(async {
        let listener = bind().await;
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((tcp, _)) = listener.accept().await {
                held.push(tcp);
            }
        });
        addr
    })
}

/// Answers every connection with `bytes` and closes it.
pub fn raw(rt: &Runtime, bytes: &'static [u8]) -> SocketAddr {
    rt.block_on(async {
        let listener = bind().await;
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            while let Ok((mut tcp, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    let _ = tokio::io::AsyncReadExt::read(&mut tcp, &mut buf).await;
                    let _ = tcp.write_all(bytes).await;
                    let _ = tcp.shutdown().await;
                });
            }
        });
        addr
    })
}

/// A loopback port nothing listens on.
pub fn closed_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    addr
}

/// Runs `work` on its own thread and fails the test if it does not finish within `limit`
/// (a bound against hanging, far above the expected time).
pub fn within<T: Send + 'static>(limit: Duration, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("did not finish within {limit:?}"))
}
