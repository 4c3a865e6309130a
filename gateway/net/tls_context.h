// TLS contexts: the server side (certificate from config, or a self-signed one made at
// start-up) and the downstream client side.
#pragma once
#include <memory>
#include <string>

#include "gateway/net/asio.h"

namespace portcullis::net {

struct TlsContextResult {
  std::shared_ptr<asio::ssl::context> context;
  std::string error;        // empty on success
  std::string description;  // for the start-up log: which certificate, its fingerprint
};

TlsContextResult makeServerTlsContext(const std::string& certFile, const std::string& keyFile,
                                      const std::string& hostname);
TlsContextResult makeClientTlsContext(bool verify, const std::string& caFile);

}  // namespace portcullis::net
