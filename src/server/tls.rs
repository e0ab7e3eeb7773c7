//! TLS for the connection, through rustls, with libpq's `sslmode` meanings:
//! `require` encrypts without checking the certificate (unless there is a
//! root certificate file, named or `~/.postgresql/root.crt`: then it checks
//! the chain, as libpq does);
//! `verify-ca` checks the chain; `verify-full` checks the chain and that the
//! certificate names the host. Roots: `sslrootcert` (a PEM file, or
//! `system`), else `~/.postgresql/root.crt` when it exists, else the
//! system's roots.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::url::{ServerUrl, SslMode};
use crate::error::Error;

/// How the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Encrypt only.
    Nothing,
    /// Signed by a trusted root.
    Chain,
    /// Signed by a trusted root and valid for the host name.
    Full,
}

pub fn check_for(url: &ServerUrl) -> Check {
    match url.sslmode() {
        SslMode::Disable | SslMode::Prefer => Check::Nothing,
        // libpq: "require" with a root certificate file (named, or the
        // default ~/.postgresql/root.crt) behaves as verify-ca.
        SslMode::Require if url.sslrootcert().is_some() || default_root_file().is_some() => Check::Chain,
        SslMode::Require => Check::Nothing,
        SslMode::VerifyCa => Check::Chain,
        SslMode::VerifyFull => Check::Full,
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The rustls configuration for this URL.
pub fn client_config(url: &ServerUrl) -> Result<rustls::ClientConfig> {
    let provider = provider();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .context("cannot set up TLS")?;
    let verifier: Arc<dyn ServerCertVerifier> = match check_for(url) {
        Check::Nothing => Arc::new(NoCheck(provider)),
        check => {
            let roots = roots(url)?;
            let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .context("cannot set up TLS certificate checks")?;
            if check == Check::Full { inner } else { Arc::new(ChainOnly(inner)) }
        }
    };
    Ok(builder.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth())
}

/// libpq's default root certificate file, `~/.postgresql/root.crt`, when it exists.
fn default_root_file() -> Option<PathBuf> {
    dirs::home_dir().map(|h| h.join(".postgresql").join("root.crt")).filter(|p| p.is_file())
}

fn roots(url: &ServerUrl) -> Result<RootCertStore> {
    let named = url.sslrootcert().map(PathBuf::from);
    let mut store = RootCertStore::empty();
    match named.or_else(default_root_file) {
        Some(path) if path.as_os_str() != "system" => {
            let certs = CertificateDer::pem_file_iter(&path)
                .and_then(|iter| iter.collect::<Result<Vec<_>, _>>())
                .map_err(|e| anyhow!("{e}"))
                .with_context(|| format!("cannot read the root certificate file {}", path.display()))
                .context(Error::environment_hint("sslrootcert in the URL names a PEM file of CA certificates"))?;
            let (added, _) = store.add_parsable_certificates(certs);
            if added == 0 {
                return Err(anyhow!(Error::environment_hint(
                    "sslrootcert in the URL names a PEM file of CA certificates"
                ))
                .context(format!("{} holds no usable certificate", path.display())));
            }
        }
        _ => {
            let found = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(found.certs);
            if store.is_empty() {
                return Err(anyhow!(Error::environment_hint("name the server's CA with sslrootcert=FILE in the URL"))
                    .context("no system root certificates were found to check the server's certificate"));
            }
        }
    }
    Ok(store)
}

/// Checks the chain, not the name (`verify-ca`).
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.0.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            // The name is checked last, once the chain is known good.
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// Encrypts without checking who is at the other end (`require`, `prefer`).
/// The handshake's signatures are still checked against the certificate.
#[derive(Debug)]
struct NoCheck(Arc<CryptoProvider>);

impl ServerCertVerifier for NoCheck {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn require_checks_the_chain_only_when_a_root_is_named() {
        let check = |u: &str| check_for(&ServerUrl::parse(u).unwrap());
        assert_eq!(check("postgresql://a@h/d?sslmode=require"), Check::Nothing);
        assert_eq!(check("postgresql://a@h/d?sslmode=require&sslrootcert=/x"), Check::Chain);
        assert_eq!(check("postgresql://a@h/d?sslmode=verify-ca"), Check::Chain);
        assert_eq!(check("postgresql://a@h/d?sslmode=verify-full"), Check::Full);
    }

    #[test]
    fn a_missing_root_file_is_an_error_naming_it() {
        let url = ServerUrl::parse("postgresql://a@h/d?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem").unwrap();
        let err = client_config(&url).unwrap_err();
        assert!(format!("{err:#}").contains("/nonexistent/ca.pem"), "{err:#}");
    }
}
