// portcullis: run | check-config | scan | rules | spf | reputation | learn | quarantine | version
#include <iostream>
#include <string>
#include <vector>

#include "gateway/cli/config_args.h"
#include "gateway/cli/learn_command.h"
#include "gateway/cli/quarantine_command.h"
#include "gateway/cli/reputation_command.h"
#include "gateway/cli/rules_command.h"
#include "gateway/cli/scan.h"
#include "gateway/cli/spf_command.h"
#include "gateway/config/snapshot.h"
#include "gateway/config/system_config.h"
#include "gateway/core/log.h"
#include "gateway/proxy/server.h"

#ifndef PORTCULLIS_VERSION
#define PORTCULLIS_VERSION "unknown"
#endif

namespace {

using namespace portcullis;

const char* kUsage =
    "usage: portcullis run [--config FILE] [-o key=value]...\n"
    "       portcullis check-config [FILE] [-o key=value]...\n"
    "       portcullis scan [--config FILE] [-o key=value]... [--json] [--client-ip IP] [--helo "
    "NAME]\n"
    "                       [--mail-from ADDR] [--rcpt ADDR]... FILE...|-\n"
    "       portcullis rules lint|test|list [--config FILE] [-o key=value]... [--score-set N] "
    "[--cache DIR]\n"
    "                       [--verbose] [--json] [FILE|DIR|builtin:NAME]...\n"
    "       portcullis spf [--config FILE] [-o key=value]... --ip IP [--helo NAME] [--mail-from "
    "ADDR]\n"
    "       portcullis reputation [--config FILE] [-o key=value]... show KEY...\n"
    "       portcullis reputation [--config FILE] [-o key=value]... set KEY "
    "allow|deny|neutral|none\n"
    "       portcullis learn [--config FILE] [-o key=value]... --spam|--ham FILE...\n"
    "       portcullis quarantine [--config FILE] [-o key=value]... list|show ID|release "
    "ID...|delete ID...\n"
    "       portcullis version\n";

using Common = cli::ConfigArgs;

// Parses --config/-c and -o; returns false (after printing why) on a bad argument.
bool parseCommon(const std::vector<std::string>& args, Common& c, bool positionalConfig) {
  for (size_t i = 0; i < args.size(); ++i) {
    const auto t = cli::takeConfigArg(args, i, c, "portcullis");
    if (t == cli::ArgTaken::Error) return false;
    if (t == cli::ArgTaken::Yes) continue;
    const std::string& a = args[i];
    if (positionalConfig && c.path.empty() && !a.starts_with("-")) {
      c.path = a;
    } else {
      std::cerr << "portcullis: unexpected argument '" << a << "'\n" << kUsage;
      return false;
    }
  }
  return true;
}

int runCommand(const std::vector<std::string>& args) {
  Common c;
  if (!parseCommon(args, c, false)) return 2;
  // SIGHUP re-reads the same file: the system config found now, or the built-in defaults.
  c.path = config::effectiveConfigPath(c.path);
  auto result = config::loadSnapshot(c.path, c.overrides);
  if (!result.snapshot) {
    for (const auto& e : result.errors) core::log::error(e.str());
    return 1;
  }
  core::log::setLevel(result.snapshot->config->logLevel);
  core::log::setFormat(result.snapshot->config->logFormat);
  for (const auto& w : result.warnings) core::log::warn(w);
  core::log::info(std::string("portcullis ") + PORTCULLIS_VERSION + " starting with " +
                  (c.path.empty() ? std::string("built-in defaults") : c.path));
  proxy::Server server(c.path, c.overrides, result.snapshot);
  return server.run();
}

int checkConfigCommand(const std::vector<std::string>& args) {
  Common c;
  if (!parseCommon(args, c, true)) return 2;
  c.path = config::effectiveConfigPath(c.path);
  const std::string name = c.path.empty() ? "built-in defaults" : c.path;
  auto result = config::loadSnapshot(c.path, c.overrides);
  for (const auto& e : result.errors) std::cerr << e.str() << "\n";
  for (const auto& w : result.warnings) std::cerr << name << ": warning: " << w << "\n";
  if (!result.snapshot) return 1;
  std::cout << name << ": OK\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string cmd = args.front();
  args.erase(args.begin());
  try {
    if (cmd == "run") return runCommand(args);
    if (cmd == "check-config") return checkConfigCommand(args);
    if (cmd == "scan") return cli::scanCommand(args);
    if (cmd == "rules") return cli::rulesCommand(args);
    if (cmd == "spf") return cli::spfCommand(args);
    if (cmd == "reputation") return cli::reputationCommand(args);
    if (cmd == "learn") return cli::learnCommand(args);
    if (cmd == "quarantine") return cli::quarantineCommand(args);
    if (cmd == "version" || cmd == "--version") {
      std::cout << "portcullis " << PORTCULLIS_VERSION << "\n";
      return 0;
    }
    if (cmd == "help" || cmd == "--help" || cmd == "-h") {
      std::cout << kUsage;
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "portcullis: " << e.what() << "\n";
    return cmd == "scan" ? 4 : 1;
  }
  std::cerr << "portcullis: unknown command '" << cmd << "'\n" << kUsage;
  return 2;
}
