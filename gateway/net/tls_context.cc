#include "gateway/net/tls_context.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>

namespace portcullis::net {

namespace {

std::string opensslError() {
  unsigned long e = ERR_get_error();
  if (!e) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

std::string fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert, EVP_sha256(), md, &n);
  std::string out;
  char hex[4];
  for (unsigned i = 0; i < n; ++i) {
    std::snprintf(hex, sizeof hex, i ? ":%02X" : "%02X", md[i]);
    out += hex;
  }
  return out;
}

void hardenServer(asio::ssl::context& ctx) {
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  // Renegotiation lets a client push plaintext-era state across the handshake: refuse it.
  SSL_CTX_set_options(ctx.native_handle(), SSL_OP_NO_RENEGOTIATION);
}

}  // namespace

TlsContextResult makeServerTlsContext(const std::string& certFile, const std::string& keyFile,
                                      const std::string& hostname) {
  TlsContextResult r;
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  hardenServer(*ctx);
  if (!certFile.empty()) {
    std::error_code ec;
    ctx->use_certificate_chain_file(certFile, ec);
    if (ec) return r.error = certFile + ": cannot load certificate chain: " + ec.message(), r;
    ctx->use_private_key_file(keyFile, asio::ssl::context::pem, ec);
    if (ec) return r.error = keyFile + ": cannot load private key: " + ec.message(), r;
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
      return r.error = keyFile + ": private key does not match " + certFile, r;
    r.description = "certificate " + certFile + " (SHA-256 " +
                    fingerprint(SSL_CTX_get0_certificate(ctx->native_handle())) + ")";
    r.context = ctx;
    return r;
  }
  // No certificate configured: make a self-signed one so STARTTLS works out of the box.
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* cert = X509_new();
  bool ok = key && cert;
  if (ok) {
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), static_cast<long>(time(nullptr)));
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 365L * 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(hostname.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
    std::string san = "DNS:" + hostname;
    if (X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, san.c_str())) {
      X509_add_ext(cert, ext, -1);
      X509_EXTENSION_free(ext);
    }
    ok = X509_sign(cert, key, EVP_sha256()) > 0 &&
         SSL_CTX_use_certificate(ctx->native_handle(), cert) == 1 &&
         SSL_CTX_use_PrivateKey(ctx->native_handle(), key) == 1;
  }
  if (ok) {
    r.description = "self-signed certificate for " + hostname + " made at start-up (SHA-256 " +
                    fingerprint(cert) + "); configure smtp.tls_cert and smtp.tls_key for a real one";
    r.context = ctx;
  } else {
    r.error = "cannot make a self-signed certificate: " + opensslError();
  }
  X509_free(cert);
  EVP_PKEY_free(key);
  return r;
}

TlsContextResult makeClientTlsContext(bool verify, const std::string& caFile) {
  TlsContextResult r;
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  std::error_code ec;
  if (!caFile.empty())
    ctx->load_verify_file(caFile, ec);
  else
    ctx->set_default_verify_paths(ec);
  if (ec) return r.error = "downstream TLS trust store: " + ec.message(), r;
  ctx->set_verify_mode(verify ? asio::ssl::verify_peer : asio::ssl::verify_none);
  r.context = ctx;
  r.description = verify ? "verifying downstream certificates" : "not verifying downstream certificates";
  return r;
}

}  // namespace portcullis::net
