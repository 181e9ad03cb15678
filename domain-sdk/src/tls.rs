//! The TLS of every HTTP client the SDK builds (the service's, STS's, the credential exchanges'): rustls on
//! the `ring` crypto provider with the platform's trust store (feature `rustls`, the default), or the
//! platform's TLS library (feature `native-tls`).
//!
//! reqwest 0.13's own rustls default is the `aws-lc-rs` provider, which compiles a large C library; the SDK
//! picks `ring` (pure Rust plus a little C and assembly, a faster clean build, portable to musl and cross
//! builds) and hands reqwest a finished `rustls::ClientConfig`, so it never installs a process-wide provider:
//! if your program installed one (`aws-lc-rs` for FIPS, say), the SDK uses yours.

use crate::error::Error;

/// A `reqwest::ClientBuilder` with the SDK's TLS setup (see the module's text) and no redirects followed:
/// start here to build your own client for [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)
/// (a proxy, a connection pool of your own sizing, mTLS); [`http_client_builder_with_roots`] adds root
/// certificates. A `reqwest::Client::builder()` of your own works too when reqwest has a crypto provider
/// (reqwest's default features bring `aws-lc-rs`; without them, install one before building).
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
    with_tls(
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()),
        None,
    )
}

/// [`http_client_builder`] trusting, besides the platform's roots, the certificates of `pem` (one or more
/// `-----BEGIN CERTIFICATE-----` blocks): a company's TLS-inspecting proxy, a private endpoint.
///
/// ```no_run
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let pem = std::fs::read("/etc/company/root-ca.pem")?;
/// let http = domain_sdk::transport::http_client_builder_with_roots(&pem)?
///     .pool_max_idle_per_host(4)
///     .build()?;
/// let client = domain_sdk::Client::builder().http_client(http).build()?;
/// # let _ = client; Ok(()) }
/// ```
pub fn http_client_builder_with_roots(pem: &[u8]) -> Result<reqwest::ClientBuilder, Error> {
    with_tls(
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()),
        Some(pem),
    )
}

#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn bad_roots(why: impl std::fmt::Display) -> Error {
    Error::Config(format!("root certificates: {why}"))
}

#[cfg(feature = "rustls")]
fn with_tls(builder: reqwest::ClientBuilder, pem: Option<&[u8]>) -> Result<reqwest::ClientBuilder, Error> {
    use std::sync::Arc;

    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::CertificateDer;

    let roots = match pem {
        None => Vec::new(),
        Some(pem) => {
            let roots = CertificateDer::pem_slice_iter(pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| match e {
                    rustls::pki_types::pem::Error::MissingSectionEnd { .. } => {
                        bad_roots("a `-----BEGIN` block has no `-----END` line")
                    }
                    other => bad_roots(other),
                })?;
            if roots.is_empty() {
                return Err(bad_roots("no `-----BEGIN CERTIFICATE-----` block found"));
            }
            roots
        }
    };

    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let fail = |e: rustls::Error| Error::Config(format!("cannot set up TLS: {e}"));
    let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone()).map_err(fail)?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(fail)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // What reqwest itself offers by ALPN: HTTP/2 only when built with it.
    config.alpn_protocols = if cfg!(feature = "http2") {
        vec![b"h2".to_vec(), b"http/1.1".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(builder.tls_backend_preconfigured(config))
}

#[cfg(all(not(feature = "rustls"), feature = "native-tls"))]
fn with_tls(builder: reqwest::ClientBuilder, pem: Option<&[u8]>) -> Result<reqwest::ClientBuilder, Error> {
    let Some(pem) = pem else { return Ok(builder) };
    let roots = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| bad_roots(crate::error::error_chain(&e)))?;
    if roots.is_empty() {
        return Err(bad_roots("no `-----BEGIN CERTIFICATE-----` block found"));
    }
    Ok(builder.tls_certs_merge(roots))
}

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
fn with_tls(builder: reqwest::ClientBuilder, pem: Option<&[u8]>) -> Result<reqwest::ClientBuilder, Error> {
    if pem.is_none() {
        Ok(builder)
    } else {
        Err(Error::Config(
            "root certificates given, but domain-sdk was built without TLS: enable its `rustls` (default) or \
             `native-tls` feature"
                .to_owned(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdk_builds_its_client_without_a_process_wide_provider() {
        // reqwest with only `rustls-no-provider` panics when it must pick a provider itself; the SDK's
        // config spares it that, and installs nothing.
        let client = http_client_builder().unwrap().build();
        assert!(client.is_ok(), "{:?}", client.err());
        #[cfg(feature = "rustls")]
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
    }

    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    #[test]
    fn pem_roots_are_read_or_refused_with_a_reason() {
        let pem = include_str!("../testdata/root-ca.pem");
        assert!(http_client_builder_with_roots(pem.as_bytes()).unwrap().build().is_ok());
        let err = |pem: &str| http_client_builder_with_roots(pem.as_bytes()).unwrap_err().to_string();
        assert!(
            err("no certificate here").contains("no `-----BEGIN CERTIFICATE-----`"),
            "{}",
            err("")
        );
        let cut = &pem[..pem.len() / 2];
        assert!(err(cut).contains("root certificates: "), "{}", err(cut));
        #[cfg(feature = "rustls")]
        assert!(err(cut).contains("has no `-----END` line"), "{}", err(cut));
    }
}
