#include "gateway/cli/spf_command.h"

#include <iostream>

#include "gateway/auth/spf.h"
#include "gateway/config/config.h"
#include "gateway/config/system_config.h"

namespace portcullis::cli {

int spfCommand(const std::vector<std::string>& args) {
  std::string configPath, ip, helo, mailFrom;
  bool heloIdentity = false;
  std::vector<config::Override> overrides;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--helo-identity") {
      heloIdentity = true;
      continue;
    }
    if (i + 1 >= args.size()) {
      std::cerr << "portcullis spf: " << a << " needs a value\n";
      return 2;
    }
    const std::string& v = args[++i];
    if (a == "--config" || a == "-c") {
      configPath = v;
    } else if (a == "-o") {
      std::string why;
      auto o = config::parseOverride(v, &why);
      if (!o) return std::cerr << "portcullis spf: " << why << "\n", 2;
      overrides.push_back(*o);
    } else if (a == "--ip") {
      ip = v;
    } else if (a == "--helo") {
      helo = v;
    } else if (a == "--mail-from") {
      mailFrom = v;
    } else {
      std::cerr << "portcullis spf: unexpected argument '" << a << "'\n";
      return 2;
    }
  }
  if (ip.empty()) {
    std::cerr << "usage: portcullis spf [--config FILE] [-o key=value]... --ip IP [--helo NAME] "
                 "[--mail-from ADDR] [--helo-identity]\n";
    return 2;
  }
  auto loaded = config::load(config::effectiveConfigPath(configPath), overrides);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::cerr << e.str() << "\n";
    return 1;
  }
  std::string error;
  auto resolver = dns::Resolver::create(loaded.config->dns, &error);
  if (!resolver) {
    std::cerr << "portcullis spf: " << error << "\n";
    return 1;
  }
  auth::SpfVerifier spf(resolver, auth::SpfSettings{10, 2, loaded.config->hostname});
  auto out = heloIdentity ? spf.checkHelo(ip, helo) : spf.checkMailFrom(ip, helo, mailFrom);
  std::cout << auth::spfResultName(out.result) << " " << (out.domain.empty() ? "-" : out.domain)
            << " lookups=" << out.lookups << " void=" << out.voidLookups << ": " << out.explanation
            << "\n";
  return 0;
}

}  // namespace portcullis::cli
