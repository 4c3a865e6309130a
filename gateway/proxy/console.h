// The web console on the admin listener (/console): live throughput and actions over the last
// hour as charts, the latest transactions with their symbols and scores, the quarantine with
// release and delete, and the loaded rules with hit counts. Plain HTML, JS and SVG served from
// the binary (nothing fetched from elsewhere). Protected by [admin] console_password: a login
// form sets a random session cookie (HttpOnly, SameSite=Strict); the JSON API also requires an
// X-Console header, which no other origin can send without a CORS preflight we never answer.
// No password configured: the console is off (404) and /metrics works as before.
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "gateway/net/asio.h"
#include "gateway/proxy/http.h"
#include "gateway/quarantine/release.h"

namespace portcullis::proxy {

struct RuleRow {
  std::string name;
  std::string description;
  double score = 0;
};

struct ConsoleBackend {
  std::function<std::string()> password;  // the current config's; "" = console off
  std::function<std::string()> quarantineDir;
  std::function<std::vector<RuleRow>()> rules;
  std::function<asio::awaitable<quarantine::ReleaseResult>(std::string id, std::string who)>
      release;
  asio::thread_pool* filePool = nullptr;  // the quarantine's file reads run there
};

class Console {
 public:
  explicit Console(ConsoleBackend backend) : backend_(std::move(backend)) {}
  static bool handles(const std::string& path) {
    return path == "/console" || path.starts_with("/console/");
  }
  // The whole HTTP response for a request under /console.
  asio::awaitable<std::string> handle(const HttpRequest& request);

 private:
  bool loggedIn(const HttpRequest& request);
  std::string newSession();
  std::string state();

  ConsoleBackend backend_;
  std::mutex mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> sessions_;  // token -> expiry
};

// The console's pages (console_page.cc); the login page is open at the end, for an error line.
extern const char* const kConsoleLoginPage;
extern const char* const kConsolePage;

}  // namespace portcullis::proxy
