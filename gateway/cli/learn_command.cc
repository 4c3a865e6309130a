#include "gateway/cli/learn_command.h"

#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "gateway/auth/auth_results.h"
#include "gateway/checks/reputation_check.h"
#include "gateway/cli/config_args.h"
#include "gateway/cli/scan.h"
#include "gateway/config/config.h"
#include "gateway/core/text.h"
#include "gateway/mime/headers.h"
#include "gateway/smtp/command.h"
#include "gateway/config/system_config.h"

namespace portcullis::cli {

namespace {

const char* kUsage =
    "usage: portcullis learn [--config FILE] [-o key=value]... --spam|--ham FILE...\n"
    "Teaches the reputation store what an admin decided about messages that passed through\n"
    "this gateway: the sender's identity is read from the Received and\n"
    "Authentication-Results headers this gateway added (its hostname names them).\n";

// "from HELO (NAME [IP]) by HOST (Portcullis) ...": the client as this gateway saw it.
bool readReceived(const std::string& value, const std::string& hostname, core::SessionInfo& s) {
  const std::string lower = core::lowerAscii(value);
  if (lower.find(" by " + core::lowerAscii(hostname) + " (portcullis)") == std::string::npos)
    return false;
  if (!value.starts_with("from ")) return false;
  const size_t heloEnd = value.find(" (", 5);
  const size_t open = value.find(" [", heloEnd == std::string::npos ? 0 : heloEnd);
  const size_t close = value.find("])", open == std::string::npos ? 0 : open);
  if (heloEnd == std::string::npos || open == std::string::npos || close == std::string::npos)
    return false;
  s.helo = value.substr(5, heloEnd - 5);
  if (s.helo == "unknown") s.helo.clear();
  s.clientName = value.substr(heloEnd + 2, open - heloEnd - 2);
  std::string ip = value.substr(open + 2, close - open - 2);
  if (ip.starts_with("IPv6:")) ip = ip.substr(5);
  s.clientIp = core::IpAddress::parse(ip);
  return s.clientIp.has_value();
}

std::string domainOf(const std::string& addressOrDomain) {
  auto at = addressOrDomain.rfind('@');
  return core::lowerAscii(at == std::string::npos ? addressOrDomain
                                                  : addressOrDomain.substr(at + 1));
}

// The facts our own Authentication-Results proves, as the auth check would have recorded them.
void readAuthResults(const auth::ParsedAuthResults& ar, core::Transaction& tx,
                     std::string* envelope) {
  for (const auto& e : ar.entries) {
    auto prop = [&](const char* name) -> std::string {
      for (const auto& [k, v] : e.properties)
        if (k == name) return v;
      return "";
    };
    if (e.method == "spf") {
      if (auto m = prop("smtp.mailfrom"); !m.empty()) {
        *envelope = m;
        if (e.result == "pass") tx.facts["spf.pass"].push_back(domainOf(m));
      }
    } else if (e.method == "dkim" && e.result == "pass") {
      if (auto d = prop("header.d"); !d.empty()) tx.facts["dkim.pass"].push_back(domainOf(d));
    } else if (e.method == "dmarc" && e.result == "pass") {
      if (auto f = prop("header.from"); !f.empty()) tx.facts["dmarc.pass"].push_back(domainOf(f));
    }
  }
}

}  // namespace

int learnCommand(const std::vector<std::string>& args) {
  ConfigArgs cfg;
  std::vector<std::string> files;
  std::optional<reputation::Outcome> outcome;
  for (size_t i = 0; i < args.size(); ++i) {
    const auto taken = takeConfigArg(args, i, cfg, "portcullis learn");
    if (taken == ArgTaken::Error) return 2;
    if (taken == ArgTaken::Yes) continue;
    const std::string& a = args[i];
    if (a == "--spam" || a == "--ham") {
      auto o = a == "--spam" ? reputation::Outcome::Spam : reputation::Outcome::Ham;
      if (outcome && *outcome != o)
        return std::cerr << "portcullis learn: --spam and --ham exclude each other\n", 2;
      outcome = o;
    } else if (a.starts_with("-") && a != "-") {
      return std::cerr << "portcullis learn: unknown option " << a << "\n" << kUsage, 2;
    } else {
      files.push_back(a);
    }
  }
  if (!outcome || files.empty()) return std::cerr << kUsage, 2;

  auto loaded = config::load(config::effectiveConfigPath(cfg.path), cfg.overrides);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::cerr << e.str() << "\n";
    return 1;
  }
  const config::Config& c = *loaded.config;
  std::string error;
  auto store = reputation::openStore(c.store, &error);
  if (!store) return std::cerr << "portcullis learn: " << error << "\n", 1;

  const auto delta = reputation::Delta::of(*outcome, c.reputation.learnWeights.manual);
  const double halfLife = c.reputation.score.halfLifeDays * 86400;
  int failures = 0;
  for (const auto& file : files) {
    std::string message;
    if (file == "-") {
      message.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::cerr << file << ": cannot read\n";
        ++failures;
        continue;
      }
      message.assign(std::istreambuf_iterator<char>(in), {});
    }
    message = asSmtpMessage(std::move(message));
    auto headers = mime::parseHeaderSection(message);
    core::SessionInfo session;
    core::Transaction tx;
    bool traced = false, authenticated = false;
    std::string envelope;
    for (const auto& h : headers.fields) {
      // The topmost of each: what this gateway added last (a message may pass twice).
      if (!traced && mime::iequals(h.name, "Received"))
        traced = readReceived(h.value, c.hostname, session);
      if (!authenticated && mime::iequals(h.name, "Authentication-Results")) {
        auto ar = auth::parseAuthResults(h.value);
        if (ar.authservId == core::lowerAscii(c.hostname)) {
          readAuthResults(ar, tx, &envelope);
          authenticated = true;
        }
      }
      if (envelope.empty() && mime::iequals(h.name, "Return-Path")) {
        if (auto a = smtp::parseAddressText(h.value, true)) tx.mailFrom = *a;
      }
    }
    if (!traced) {
      std::cerr << file << ": no Received header from " << c.hostname
                << " (Portcullis): the sender's address is unknown, nothing learned\n";
      ++failures;
      continue;
    }
    if (!envelope.empty()) {
      tx.mailFrom = core::Address{};
      tx.mailFrom.local =
          envelope.substr(0, envelope.rfind('@') == std::string::npos ? 0 : envelope.rfind('@'));
      tx.mailFrom.domain = domainOf(envelope);
    }
    tx.message = std::move(message);
    auto keys =
        reputation::keysFor(checks::identityOf(session, tx, c.mime.limits), c.reputation.keys);
    try {
      store->update(keys, delta, std::time(nullptr), halfLife);
    } catch (const std::exception& e) {
      std::cerr << file << ": " << e.what() << "\n";
      ++failures;
      continue;
    }
    std::cout << file << ": learned " << (*outcome == reputation::Outcome::Spam ? "spam" : "ham")
              << " (weight " << c.reputation.learnWeights.manual << ") for";
    for (const auto& k : keys) std::cout << " " << k.str();
    std::cout << "\n";
  }
  return failures ? 1 : 0;
}

}  // namespace portcullis::cli
