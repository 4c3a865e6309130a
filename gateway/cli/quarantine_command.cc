#include "gateway/cli/quarantine_command.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "gateway/cli/config_args.h"
#include "gateway/cli/time_text.h"
#include "gateway/core/log.h"
#include "gateway/core/text.h"
#include "gateway/net/tls_context.h"
#include "gateway/quarantine/release.h"
#include "gateway/config/system_config.h"

namespace portcullis::cli {

namespace {

const char* kUsage =
    "usage: portcullis quarantine [--config FILE] [-o key=value]... list\n"
    "       portcullis quarantine [--config FILE] [-o key=value]... show ID\n"
    "       portcullis quarantine [--config FILE] [-o key=value]... release [--by NAME] ID...\n"
    "       portcullis quarantine [--config FILE] [-o key=value]... delete ID...\n";

// Who ran the command, for the X-Portcullis-Released field: the sudo user when there is one.
std::string invoker() {
  std::string name;
  if (const char* s = std::getenv("SUDO_USER"); s && *s) name = s;
  if (name.empty())
    if (const passwd* pw = ::getpwuid(::getuid())) name = pw->pw_name;
  if (name.empty()) name = "uid " + std::to_string(::getuid());
  return name + " with portcullis quarantine";
}

std::string cut(const std::string& s, size_t n) {
  return s.size() <= n ? s : s.substr(0, n - 3) + "...";
}

int list(const quarantine::QuarantineStore& store) {
  std::vector<std::string> problems;
  auto entries = store.list(&problems);
  for (const auto& p : problems) std::cerr << "portcullis quarantine: " << p << "\n";
  if (entries.empty()) {
    std::cout << "quarantine " << store.dir() << " is empty\n";
    return 0;
  }
  for (const auto& e : entries) {
    char score[32];
    std::snprintf(score, sizeof score, "%.2f", e.score);
    std::string rcpts;
    for (const auto& r : e.recipients) rcpts += (rcpts.empty() ? "" : ",") + r;
    std::cout << e.id << "  " << isoTime(e.time) << "  score " << score << "  <" << e.mailFrom
              << "> -> " << cut(rcpts, 60) << "  " << e.size
              << " bytes\n    From: " << cut(core::withoutControls(e.from), 50)
              << "  Subject: " << cut(core::withoutControls(e.subject), 70) << "\n";
  }
  std::cout << entries.size() << " message(s)\n";
  return 0;
}

int show(const quarantine::QuarantineStore& store, const std::string& id) {
  auto held = store.read(id);
  if (!held) {
    std::cerr << "portcullis quarantine: no quarantined message " << id << " in " << store.dir()
              << "\n";
    return 1;
  }
  const quarantine::Entry* e = &held->entry;
  char score[32];
  std::snprintf(score, sizeof score, "%.2f", e->score);
  std::string rcpts;
  for (const auto& r : e->recipients) rcpts += (rcpts.empty() ? "<" : ", <") + r + ">";
  std::cout << "id:         " << e->id << "\nheld:       " << isoTime(e->time)
            << "\nclient:     " << e->client << (e->helo.empty() ? "" : " helo=" + e->helo)
            << "\nfrom:       <" << e->mailFrom << ">\nto:         " << rcpts
            << "\nscore:      " << score << "\ndecided by: " << e->decidedBy
            << "\nsymbols:    " << (e->symbols.empty() ? "-" : e->symbols)
            << "\nsize:       " << held->message.size() << " bytes\n\n"
            << held->message;
  return 0;
}

int release(const config::Config& config, const quarantine::QuarantineStore& store,
            const std::vector<std::string>& ids, const std::string& who) {
  proxy::SharedState shared;
  if (config.relay.tls != relay::DownstreamTls::Off) {
    auto tls = net::makeClientTlsContext(config.relay.tlsVerify, config.relay.tlsCaFile);
    if (!tls.context) return std::cerr << "portcullis quarantine: " << tls.error << "\n", 1;
    shared.clientTls = tls.context;
  }
  asio::io_context io;
  int failures = 0;
  auto releaseAll = [&]() -> asio::awaitable<void> {
    for (const auto& id : ids) {
      auto r = co_await quarantine::release(store, id, config, shared, who);
      for (const auto& refused : r.refusedRecipients)
        std::cerr << "portcullis quarantine: " << id << ": refused " << refused << "\n";
      if (r.released) {
        std::cout << id << " released: " << r.detail << "\n";
      } else {
        ++failures;
        std::cerr << "portcullis quarantine: " << id << " not released: " << r.detail
                  << (r.refusedRecipients.empty() ? "" : " (kept for the refused recipients)")
                  << "\n";
      }
    }
  };
  asio::co_spawn(io, releaseAll, asio::detached);
  io.run();
  return failures ? 1 : 0;
}

}  // namespace

int quarantineCommand(const std::vector<std::string>& args) {
  ConfigArgs cfg;
  auto split = splitConfigArgs(args, cfg, "portcullis quarantine");
  if (!split || split->empty()) return std::cerr << kUsage, 2;
  const std::string verb = split->front();
  std::string who = invoker();
  std::vector<std::string> ids;
  for (size_t i = 1; i < split->size(); ++i) {
    const std::string& a = (*split)[i];
    if (a == "--by" && verb == "release" && i + 1 < split->size())
      who = (*split)[++i];
    else if (a.starts_with("-"))
      return std::cerr << "portcullis quarantine: unknown option " << a << "\n" << kUsage, 2;
    else
      ids.push_back(a);
  }
  const bool ok = (verb == "list" && ids.empty()) || (verb == "show" && ids.size() == 1) ||
                  ((verb == "release" || verb == "delete") && !ids.empty());
  if (!ok) return std::cerr << kUsage, 2;
  for (const auto& id : ids)
    if (!quarantine::QuarantineStore::validId(id))
      return std::cerr << "portcullis quarantine: '" << id << "' is not a quarantine id\n", 2;

  auto loaded = config::load(config::effectiveConfigPath(cfg.path), cfg.overrides);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::cerr << e.str() << "\n";
    return 1;
  }
  core::log::setLevel(core::log::Level::Warn);
  const quarantine::QuarantineStore store(loaded.config->quarantineDir);
  if (verb == "list") return list(store);
  if (verb == "show") return show(store, ids[0]);
  if (verb == "release") return release(*loaded.config, store, ids, core::withoutControls(who));
  int missing = 0;
  for (const auto& id : ids) {
    if (store.remove(id)) {
      std::cout << id << " deleted\n";
    } else {
      std::cerr << "portcullis quarantine: no quarantined message " << id << " in " << store.dir()
                << "\n";
      ++missing;
    }
  }
  return missing ? 1 : 0;
}

}  // namespace portcullis::cli
