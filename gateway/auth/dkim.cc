#include "gateway/auth/dkim.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "gateway/core/text.h"

extern "C" {
#define _Bool bool  // dkim.h is C and uses _Bool
#include <opendkim/dkim.h>
#undef _Bool
}

namespace portcullis::auth {

namespace {

using core::lowerAscii;

// Each DKIM-Signature field's value (unfolded), in message order.
std::vector<std::string> signatureFields(const std::vector<mime::Header>& header) {
  std::vector<std::string> out;
  for (const auto& h : header)
    if (mime::iequals(h.name, "DKIM-Signature")) out.push_back(h.value);
  return out;
}

struct KeyContext {
  const std::map<std::string, dns::Answer>* keys;
};

DKIM_CBSTAT lookupKey(DKIM* dkim, DKIM_SIGINFO* sig, u_char* buf, size_t buflen) {
  auto* ctx = static_cast<KeyContext*>(dkim_get_user_context(dkim));
  const char* d = reinterpret_cast<const char*>(dkim_sig_getdomain(sig));
  const char* s = reinterpret_cast<const char*>(dkim_sig_getselector(sig));
  if (!ctx || !d || !s) return DKIM_CBSTAT_ERROR;
  const std::string name = dns::normalizeName(std::string(s) + "._domainkey." + d).value_or("");
  auto it = ctx->keys->find(name);
  if (it == ctx->keys->end()) return DKIM_CBSTAT_TRYAGAIN;
  const dns::Answer& a = it->second;
  switch (a.status) {
    case dns::Status::Ok:
      break;
    case dns::Status::NoData:
    case dns::Status::NxDomain:
    case dns::Status::BadName:
      return DKIM_CBSTAT_NOTFOUND;
    case dns::Status::ServFail:
    case dns::Status::Timeout:
      return DKIM_CBSTAT_TRYAGAIN;
  }
  // RFC 6376 3.6.2.2: several TXT records for a key are an error; take the first as libopendkim's
  // own resolver does (it reports MULTIREPLY only for its DNS path).
  const std::string& txt = a.records.front().data;
  if (txt.size() + 1 > buflen) return DKIM_CBSTAT_ERROR;
  std::memcpy(buf, txt.c_str(), txt.size() + 1);
  return DKIM_CBSTAT_CONTINUE;
}

std::string resultFor(DKIM_SIGINFO* sig) {
  if (DKIM_SIG_CHECK(sig)) return "pass";
  switch (dkim_sig_geterror(sig)) {
    case DKIM_SIGERROR_KEYFAIL:
      return "temperror";
    case DKIM_SIGERROR_BADSIG:
    case DKIM_SIGERROR_EXPIRED:
    case DKIM_SIGERROR_FUTURE:
    case DKIM_SIGERROR_OK:  // processed, but the body hash did not match
      return "fail";
    case DKIM_SIGERROR_KEYTOOSMALL:
      return "policy";
    default:
      return "permerror";  // syntax, missing or unusable key (RFC 8601 2.7.1)
  }
}

}  // namespace

std::optional<std::map<std::string, std::string>> parseTagList(std::string_view text) {
  std::map<std::string, std::string> tags;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t semi = text.find(';', pos);
    std::string_view item = mime::trim(
        text.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos));
    pos = semi == std::string_view::npos ? text.size() + 1 : semi + 1;
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string name(mime::trim(item.substr(0, eq)));
    std::string value;
    for (char c : item.substr(eq + 1))
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') value += c;
    if (name.empty() || tags.contains(name)) return std::nullopt;
    tags[name] = value;
  }
  return tags;
}

struct DkimVerifier::Lib {
  DKIM_LIB* lib = nullptr;
  ~Lib() {
    if (lib) dkim_close(lib);
  }
};

DkimVerifier::DkimVerifier(DkimSettings settings)
    : lib_(std::make_unique<Lib>()), settings_(settings) {
  lib_->lib = dkim_init(nullptr, nullptr);
  if (!lib_->lib) throw std::runtime_error("libopendkim: dkim_init failed");
  unsigned int flags = DKIM_LIBFLAGS_BADSIGHANDLES;
  dkim_options(lib_->lib, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, &flags, sizeof flags);
  unsigned int bits = settings_.minKeyBits;
  dkim_options(lib_->lib, DKIM_OP_SETOPT, DKIM_OPTS_MINKEYBITS, &bits, sizeof bits);
  if (settings_.fixedTime) {
    uint64_t t = settings_.fixedTime;
    dkim_options(lib_->lib, DKIM_OP_SETOPT, DKIM_OPTS_FIXEDTIME, &t, sizeof t);
  }
  dkim_set_key_lookup(lib_->lib, lookupKey);
}

DkimVerifier::~DkimVerifier() = default;

std::vector<std::string> DkimVerifier::keyNames(const std::vector<mime::Header>& header) const {
  std::vector<std::string> names;
  for (const auto& field : signatureFields(header)) {
    if (names.size() >= settings_.maxSignatures) break;
    auto tags = parseTagList(field);
    if (!tags || !tags->contains("d") || !tags->contains("s")) continue;
    auto name = dns::normalizeName((*tags)["s"] + "._domainkey." + (*tags)["d"]);
    if (name && std::find(names.begin(), names.end(), *name) == names.end()) names.push_back(*name);
  }
  return names;
}

std::vector<DkimSignatureResult> DkimVerifier::verify(
    std::string_view message, const std::map<std::string, dns::Answer>& keys) const {
  std::vector<DkimSignatureResult> out;
  DKIM_STAT status = DKIM_STAT_OK;
  DKIM* dkim = dkim_verify(lib_->lib, reinterpret_cast<const unsigned char*>("portcullis"), nullptr,
                           &status);
  if (!dkim) return out;
  KeyContext ctx{&keys};
  dkim_set_user_context(dkim, &ctx);
  // dkim_chunk takes the whole message and finds the header/body split itself.
  status = dkim_chunk(dkim, reinterpret_cast<u_char*>(const_cast<char*>(message.data())),
                      message.size());
  if (status == DKIM_STAT_OK) status = dkim_chunk(dkim, nullptr, 0);
  bool testkey = false;
  if (status == DKIM_STAT_OK) dkim_eom(dkim, &testkey);
  DKIM_SIGINFO** sigs = nullptr;
  int nsigs = 0;
  if (dkim_getsiglist(dkim, &sigs, &nsigs) == DKIM_STAT_OK) {
    for (int i = 0; i < nsigs && out.size() < settings_.maxSignatures; ++i) {
      DKIM_SIGINFO* sig = sigs[i];
      DkimSignatureResult r;
      auto str = [](const unsigned char* s) {
        return s ? std::string(reinterpret_cast<const char*>(s)) : "";
      };
      r.domain = lowerAscii(str(dkim_sig_getdomain(sig)));
      r.selector = str(dkim_sig_getselector(sig));
      r.algorithm = str(dkim_sig_getalgorithm(sig));
      u_char id[512] = {};
      if (dkim_sig_getidentity(dkim, sig, id, sizeof id - 1) == DKIM_STAT_OK) r.identity = str(id);
      if (r.identity.empty() && !r.domain.empty()) r.identity = "@" + r.domain;
      r.b =
          str(dkim_sig_gettagvalue(sig, false, reinterpret_cast<u_char*>(const_cast<char*>("b"))));
      if (r.b.size() > 8) r.b.resize(8);
      if (!(dkim_sig_getflags(sig) & DKIM_SIGFLAG_PROCESSED)) dkim_sig_process(dkim, sig);
      r.result = resultFor(sig);
      if (r.result != "pass") {
        int err = dkim_sig_geterror(sig);
        const char* text = dkim_sig_geterrorstr(err);
        r.reason = err == DKIM_SIGERROR_OK && dkim_sig_getbh(sig) == DKIM_SIGBH_MISMATCH
                       ? "body hash mismatch"
                       : (text ? text : "error");
      }
      out.push_back(std::move(r));
    }
  }
  dkim_free(dkim);
  if (out.empty()) {
    // libopendkim keeps no signature list when a key callback asked to try again (or the
    // signatures did not parse): report each signature from our own reading of it.
    for (const auto& field : signatureFields(mime::parseHeaderSection(message).fields)) {
      if (out.size() >= settings_.maxSignatures) break;
      DkimSignatureResult r;
      auto tags = parseTagList(field);
      if (tags) {
        r.domain = lowerAscii((*tags)["d"]);
        r.selector = (*tags)["s"];
        r.algorithm = (*tags)["a"];
        r.identity = tags->contains("i") ? (*tags)["i"] : "@" + r.domain;
        r.b = (*tags)["b"].substr(0, 8);
      }
      auto it =
          tags ? keys.find(dns::normalizeName(r.selector + "._domainkey." + r.domain).value_or(""))
               : keys.end();
      const bool temporary = it == keys.end() || dns::isTemporary(it->second.status);
      r.result = tags && temporary ? "temperror" : "permerror";
      r.reason = tags ? (temporary ? "DNS error fetching the key" : "signature not usable")
                      : "malformed DKIM-Signature";
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace portcullis::auth
