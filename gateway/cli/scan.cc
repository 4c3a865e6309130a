#include "gateway/cli/scan.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "gateway/config/snapshot.h"
#include "gateway/core/headers.h"
#include "gateway/core/json.h"
#include "gateway/core/run_queue.h"
#include "gateway/smtp/command.h"
#include "gateway/smtp/long_header_lines.h"
#include "gateway/config/system_config.h"

namespace portcullis::cli {

using core::jsonString;

namespace {

struct ScanOptions {
  std::string configPath;
  std::vector<config::Override> overrides;
  bool json = false;
  std::optional<core::IpAddress> clientIp;
  std::string helo;
  core::Address mailFrom{"", "", true};
  std::vector<core::Address> rcpts;
  std::vector<std::string> files;
};

}  // namespace

std::string asSmtpMessage(std::string raw) {
  if (raw.starts_with("From ")) {
    auto nl = raw.find('\n');
    raw.erase(0, nl == std::string::npos ? raw.size() : nl + 1);
  }
  std::string out;
  out.reserve(raw.size() + raw.size() / 32);
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\n' && (i == 0 || raw[i - 1] != '\r')) out += '\r';
    out += c;
  }
  if (!out.empty() && !out.ends_with("\r\n")) out += "\r\n";
  return out;
}

namespace {

int statusFor(core::Action a) {
  switch (a) {
    case core::Action::Accept:
      return 0;
    case core::Action::Reject:
      return 1;
    case core::Action::Tempfail:
      return 2;
    default:
      return 3;
  }
}

void printReport(const std::string& file, const core::Decision& d, const core::Verdict& v,
                 const std::vector<core::HeaderField>& headers,
                 const std::vector<std::string>& notes, bool json) {
  char score[32];
  std::snprintf(score, sizeof score, "%.2f", v.score());
  if (json) {
    std::string out = "{\"file\":" + jsonString(file) +
                      ",\"action\":" + jsonString(core::actionName(d.action)) +
                      ",\"score\":" + score + ",\"decided_by\":" + jsonString(d.decidedBy);
    if (!d.reply.empty())
      out += ",\"reply\":{\"code\":" + std::to_string(d.reply.code) +
             ",\"enhanced\":" + jsonString(d.reply.enhanced) +
             ",\"text\":" + jsonString(d.reply.text) + "}";
    out += ",\"symbols\":[";
    for (size_t i = 0; i < v.symbols().size(); ++i) {
      const auto& s = v.symbols()[i];
      char sc[32];
      std::snprintf(sc, sizeof sc, "%.2f", s.score);
      out += std::string(i ? "," : "") + "{\"name\":" + jsonString(s.name) + ",\"score\":" + sc +
             ",\"stage\":" + jsonString(core::stageName(s.stage)) +
             ",\"reason\":" + jsonString(s.reason) + "}";
    }
    out += "],\"headers\":[";
    for (size_t i = 0; i < headers.size(); ++i)
      out += std::string(i ? "," : "") + "{\"name\":" + jsonString(headers[i].first) +
             ",\"value\":" + jsonString(headers[i].second) + "}";
    out += "],\"notes\":[";
    for (size_t i = 0; i < notes.size(); ++i)
      out += std::string(i ? "," : "") + jsonString(notes[i]);
    out += "]}";
    std::cout << out << "\n";
    return;
  }
  std::cout << "file: " << file << "\naction: " << core::actionName(d.action)
            << "\nscore: " << score << "\n";
  if (!d.reply.empty()) std::cout << "reply: " << d.reply.summary() << "\n";
  std::cout << "decided_by: " << d.decidedBy
            << "\nsymbols:" << (v.symbols().empty() ? " none\n" : "\n");
  for (const auto& s : v.symbols()) {
    char sc[32];
    std::snprintf(sc, sizeof sc, "%7.2f", s.score);
    std::cout << "  " << s.name << " " << sc << "  [" << core::stageName(s.stage) << "] "
              << s.reason << "\n";
  }
  std::cout << "headers:\n";
  for (const auto& h : headers) std::cout << "  " << h.first << ": " << h.second << "\n";
  for (const auto& n : notes) std::cout << "note: " << n << "\n";
}

}  // namespace

int scanCommand(const std::vector<std::string>& args) {
  ScanOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* name) -> std::optional<std::string> {
      if (i + 1 >= args.size()) {
        std::cerr << "portcullis scan: " << name << " needs a value\n";
        return std::nullopt;
      }
      return args[++i];
    };
    std::string why;
    if (a == "--json") {
      o.json = true;
    } else if (a == "--config" || a == "-c") {
      auto v = value("--config");
      if (!v) return 4;
      o.configPath = *v;
    } else if (a == "-o") {
      auto v = value("-o");
      if (!v) return 4;
      auto ov = config::parseOverride(*v, &why);
      if (!ov) return std::cerr << "portcullis scan: " << why << "\n", 4;
      o.overrides.push_back(*ov);
    } else if (a == "--client-ip") {
      auto v = value("--client-ip");
      if (!v) return 4;
      o.clientIp = core::IpAddress::parse(*v);
      if (!o.clientIp) return std::cerr << "portcullis scan: bad --client-ip '" << *v << "'\n", 4;
    } else if (a == "--helo") {
      auto v = value("--helo");
      if (!v) return 4;
      o.helo = *v;
    } else if (a == "--mail-from") {
      auto v = value("--mail-from");
      if (!v) return 4;
      auto addr = smtp::parseAddressText(*v, true, &why);
      if (!addr) return std::cerr << "portcullis scan: bad --mail-from: " << why << "\n", 4;
      o.mailFrom = *addr;
    } else if (a == "--rcpt") {
      auto v = value("--rcpt");
      if (!v) return 4;
      auto addr = smtp::parseAddressText(*v, false, &why);
      if (!addr) return std::cerr << "portcullis scan: bad --rcpt: " << why << "\n", 4;
      o.rcpts.push_back(*addr);
    } else if (a.starts_with("-") && a != "-") {
      std::cerr << "portcullis scan: unknown option " << a << "\n";
      return 4;
    } else {
      o.files.push_back(a);
    }
  }
  if (o.files.empty()) {
    std::cerr << "usage: portcullis scan [--config FILE] [-o key=value] [--json] [--client-ip IP] "
                 "[--helo NAME] [--mail-from ADDR] [--rcpt ADDR]... FILE...|-\n";
    return 4;
  }
  auto loaded = config::loadSnapshot(config::effectiveConfigPath(o.configPath), o.overrides);
  if (!loaded.snapshot) {
    for (const auto& e : loaded.errors) std::cerr << e.str() << "\n";
    return 4;
  }
  const auto& snap = *loaded.snapshot;
  const auto& cfg = *snap.config;
  int worst = 0;
  for (const auto& file : o.files) {
    std::string raw;
    if (file == "-") {
      std::stringstream ss;
      ss << std::cin.rdbuf();
      raw = ss.str();
    } else {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::cerr << "portcullis scan: " << file << ": cannot open\n";
        worst = 4;
        continue;
      }
      std::stringstream ss;
      ss << in.rdbuf();
      raw = ss.str();
    }
    core::SessionInfo session;
    session.id = "scan";
    session.frontDoor = core::FrontDoor::Scan;
    session.clientIp = o.clientIp;
    session.helo = o.helo;
    session.esmtp = true;
    core::Transaction tx;
    tx.id = "scan";
    tx.mailFrom = o.mailFrom;
    tx.message = asSmtpMessage(std::move(raw));
    std::vector<std::string> notes;
    // What the proxy does at the end of DATA, before its checks (smtp.long_header_lines).
    const auto limited = smtp::limitHeaderLines(tx.message, cfg.smtp.longHeaderLines);
    if (limited.refusal)
      notes.push_back("the proxy refuses this message at the end of DATA: " +
                      limited.refusal->summary());
    else if (limited.folded)
      notes.push_back(std::to_string(limited.folded) +
                      " header line(s) over 998 bytes folded, as the proxy does "
                      "(smtp.long_header_lines = \"fold\")");
    const core::Policy& base = *cfg.policies.fallback();
    core::Verdict verdict;
    std::optional<core::ForcedAction> refusal;
    // Asynchronous checks (DNS) complete through this queue, on this thread, as they would on a
    // session's event loop.
    core::RunQueue queue;
    auto stage = [&](core::Stage st, const core::Policy& policy, const core::Address* rcpt) {
      core::CheckContext ctx{session, st >= core::Stage::Mail ? &tx : nullptr, rcpt, policy,
                             [&queue](std::function<void()> f) { queue.post(std::move(f)); }};
      std::optional<core::StageOutcome> outcome;
      snap.pipeline->run(st, ctx, [&outcome](core::StageOutcome o) { outcome = std::move(o); });
      if (!queue.runUntil([&] { return outcome.has_value(); }, std::chrono::seconds(120))) {
        notes.push_back(std::string("a ") + std::string(core::stageName(st)) +
                        " check did not complete in 120 s");
        return core::StageOutcome{};
      }
      return *outcome;
    };
    for (core::Stage st : {core::Stage::Connect, core::Stage::Helo, core::Stage::Mail}) {
      auto out = stage(st, base, nullptr);
      for (auto& s : out.symbols) verdict.add(s);
      if (out.forced && !refusal) refusal = out.forced;
      // What the firewall learns about the client, as the proxy records it.
      if (out.clientName) session.clientName = *out.clientName;
      if (out.iprev) session.iprev = *out.iprev;
      session.allowlisted = session.allowlisted || out.allowlisted;
    }
    size_t refusedRcpts = 0;
    for (const auto& rcpt : o.rcpts) {
      auto policy = cfg.policies.forDomain(rcpt.domainLower());
      if (tx.policy && policy != tx.policy) {
        notes.push_back("<" + rcpt.str() + "> has a different policy (" + policy->name +
                        "); the proxy would defer it to its own transaction (452 4.5.3)");
        continue;
      }
      auto out = stage(core::Stage::Rcpt, *policy, &rcpt);
      if (out.forced) {
        ++refusedRcpts;
        notes.push_back("<" + rcpt.str() + "> refused at RCPT: " + out.forced->reply.summary());
        if (!refusal) refusal = out.forced;
        continue;
      }
      if (!tx.policy) tx.policy = policy;
      tx.recipients.push_back({rcpt, core::makeReply(250, "2.1.5", "Ok")});
      for (auto& s : out.symbols) verdict.add(s);
    }
    const core::Policy& policy = tx.policy ? *tx.policy : base;
    // The proxy refuses such a message before any data-stage check could.
    if (limited.refusal)
      verdict.force({core::Action::Reject, *limited.refusal, "smtp.long_header_lines"});
    auto out = stage(core::Stage::Data, policy, nullptr);
    for (auto& s : out.symbols) verdict.add(s);
    if (out.forced) verdict.force(*out.forced);
    // The verdict stage (reputation) reads the data stage's facts, as in the proxy.
    tx.facts = out.facts;
    auto late = stage(core::Stage::Verdict, policy, nullptr);
    for (auto& s : late.symbols) verdict.add(s);
    if (late.forced) verdict.force(*late.forced);
    // A connect/helo/mail refusal, or every recipient refused, is the message's fate.
    if (refusal && (refusedRcpts == 0 || refusedRcpts == o.rcpts.size())) verdict.force(*refusal);
    core::Decision d = verdict.decide(policy.thresholds);
    auto headers = out.headers;
    for (auto& h : core::verdictHeaders(verdict, d, policy.thresholds)) headers.push_back(h);
    printReport(file, d, verdict, headers, notes, o.json);
    worst = std::max(worst, statusFor(d.action));
  }
  return worst;
}

}  // namespace portcullis::cli
