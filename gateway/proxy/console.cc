#include "gateway/proxy/console.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>

#include "gateway/core/activity.h"
#include "gateway/core/json.h"
#include "gateway/core/log.h"
#include "gateway/mime/charset.h"
#include "gateway/net/off_loop.h"
#include "gateway/quarantine/quarantine_store.h"

namespace portcullis::proxy {

namespace {
constexpr const char* kCookie = "portcullis_console";
constexpr auto kSessionLifetime = std::chrono::hours(12);
constexpr size_t kRulesShown = 200;

std::string js(std::string_view s) {
  return core::jsonString(mime::sanitizeUtf8(s));
}

std::string num(double d) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", d);
  return b;
}

std::string json(int code, std::string_view reason, const std::string& body) {
  return httpResponse(code, reason, "application/json", body);
}

std::string loginPage(const std::string& error) {
  return std::string(kConsoleLoginPage) +
         (error.empty() ? "" : "<p class=error>" + error + "</p>") + "</main></body></html>";
}

bool sameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}
}  // namespace

std::string Console::newSession() {
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) return "";
  std::string token;
  char hex[3];
  for (unsigned char c : raw) {
    std::snprintf(hex, sizeof hex, "%02x", c);
    token += hex;
  }
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(sessions_, [now](const auto& s) { return s.second <= now; });
  sessions_[token] = now + kSessionLifetime;
  return token;
}

bool Console::loggedIn(const HttpRequest& r) {
  const std::string token = cookieValue(r.header("cookie"), kCookie);
  if (token.empty()) return false;
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(token);
  return it != sessions_.end() && it->second > std::chrono::steady_clock::now();
}

std::string Console::state() {
  const int64_t nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  std::string out = "{\"now\":" + std::to_string(nowMs) + ",\"actions\":[";
  for (size_t a = 0; a < core::activity::kActions; ++a)
    out += (a ? "," : "") + js(core::actionName(static_cast<core::Action>(a)));
  out += "],\"minutes\":[";
  bool first = true;
  for (const auto& m : core::activity::lastHour(nowMs)) {
    out += first ? "[" : ",[";
    first = false;
    out += std::to_string(m.startMs);
    for (auto n : m.byAction) out += "," + std::to_string(n);
    out += "]";
  }
  out += "],\"latest\":[";
  first = true;
  for (const auto& t : core::activity::latest(50)) {
    out += first ? "{" : ",{";
    first = false;
    out += "\"time\":" + std::to_string(t.timeMs) + ",\"door\":" + js(t.door) +
           ",\"id\":" + js(t.id) + ",\"client\":" + js(t.client) + ",\"from\":" + js(t.from) +
           ",\"to\":" + js(t.to) + ",\"action\":" + js(core::actionName(t.action)) +
           ",\"score\":" + num(t.score) + ",\"reply\":" + js(t.reply) + ",\"symbols\":[";
    for (size_t i = 0; i < t.symbols.size(); ++i)
      out += (i ? ",[" : "[") + js(t.symbols[i].name) + "," + num(t.symbols[i].score) + "]";
    out += "]}";
  }
  out += "],\"quarantine\":[";
  first = true;
  for (const auto& e : quarantine::QuarantineStore(backend_.quarantineDir()).list()) {
    out += first ? "{" : ",{";
    first = false;
    std::string rcpts;
    for (const auto& r : e.recipients) rcpts += (rcpts.empty() ? "" : ", ") + r;
    out += "\"id\":" + js(e.id) + ",\"time\":" + std::to_string(e.time * 1000) +
           ",\"from\":" + js(e.mailFrom) + ",\"to\":" + js(rcpts) +
           ",\"subject\":" + js(e.subject) + ",\"score\":" + num(e.score) +
           ",\"symbols\":" + js(e.symbols) + ",\"size\":" + std::to_string(e.size) + "}";
  }
  out += "],\"rules\":[";
  // The most hit first, and only as many as the page shows: the stock SpamAssassin set has
  // thousands of rules, and this is sent every 5 seconds.
  const auto hits = core::activity::symbolHits();
  struct Row {
    const RuleRow* rule;
    uint64_t hits;
  };
  const auto rules = backend_.rules();
  std::vector<Row> rows;
  for (const auto& r : rules) {
    auto h = hits.find(r.name);
    rows.push_back({&r, h == hits.end() ? 0 : h->second});
  }
  const size_t shown = std::min(rows.size(), kRulesShown);
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(shown), rows.end(),
                    [](const Row& a, const Row& b) {
                      return a.hits != b.hits ? a.hits > b.hits : a.rule->name < b.rule->name;
                    });
  first = true;
  for (size_t i = 0; i < shown; ++i) {
    out += first ? "[" : ",[";
    first = false;
    out += js(rows[i].rule->name) + "," + num(rows[i].rule->score) + "," +
           std::to_string(rows[i].hits) + "," + js(rows[i].rule->description) + "]";
  }
  out += "]}";
  return out;
}

asio::awaitable<std::string> Console::handle(const HttpRequest& r) {
  const std::string password = backend_.password();
  if (password.empty())
    co_return httpResponse(404, "Not Found", "text/plain",
                           "the console is off: set [admin] console_password\n");
  if (r.path == "/console/login" && r.method == "POST") {
    if (!sameSecret(formValue(r.body, "password"), password)) {
      core::log::warn("console: failed login");
      co_return httpResponse(401, "Unauthorized", "text/html; charset=utf-8",
                             loginPage("Wrong password."));
    }
    const std::string token = newSession();
    co_return httpResponse(303, "See Other", "text/plain", "",
                           "Location: /console\r\nSet-Cookie: " + std::string(kCookie) + "=" +
                               token + "; Path=/console; HttpOnly; SameSite=Strict\r\n");
  }
  if (!loggedIn(r)) {
    if (r.path == "/console" && (r.method == "GET" || r.method == "HEAD"))
      co_return httpResponse(200, "OK", "text/html; charset=utf-8", loginPage(""));
    co_return json(401, "Unauthorized", "{\"error\":\"log in first\"}");
  }
  if (r.path == "/console" && (r.method == "GET" || r.method == "HEAD"))
    co_return httpResponse(200, "OK", "text/html; charset=utf-8", kConsolePage,
                           "Content-Security-Policy: default-src 'self'; "
                           "script-src 'unsafe-inline'; style-src 'unsafe-inline'\r\n",
                           r.method == "HEAD");
  // The API: state reads, quarantine writes. A custom header no form or foreign page can send.
  if (r.header("x-console") != "1")
    co_return json(403, "Forbidden", "{\"error\":\"X-Console header missing\"}");
  if (r.path == "/console/api/state" && r.method == "GET") {
    auto read = [this] { return state(); };
    co_return json(200, "OK", co_await net::offLoop(*backend_.filePool, std::move(read)));
  }
  const bool release = r.path == "/console/api/quarantine/release";
  const bool remove = r.path == "/console/api/quarantine/delete";
  if ((release || remove) && r.method == "POST") {
    const std::string id = formValue(r.body, "id");
    if (!quarantine::QuarantineStore::validId(id))
      co_return json(400, "Bad Request", "{\"error\":\"not a quarantine id\"}");
    if (remove) {
      auto removeIt = [dir = backend_.quarantineDir(), id] {
        return quarantine::QuarantineStore(dir).remove(id);
      };
      const bool gone = co_await net::offLoop(*backend_.filePool, std::move(removeIt));
      core::log::info("console: quarantine " + id + (gone ? " deleted" : " not found"));
      co_return gone ? json(200, "OK", "{\"ok\":true,\"detail\":\"deleted\"}")
                     : json(404, "Not Found", "{\"ok\":false,\"detail\":\"no such message\"}");
    }
    auto result = co_await backend_.release(id, "admin@console");
    std::string refused;
    for (const auto& x : result.refusedRecipients) refused += "; refused " + x;
    co_return json(result.released ? 200 : 502, result.released ? "OK" : "Bad Gateway",
                   "{\"ok\":" + std::string(result.released ? "true" : "false") +
                       ",\"detail\":" + js(result.detail + refused) + "}");
  }
  co_return json(404, "Not Found", "{\"error\":\"no such console path\"}");
}

}  // namespace portcullis::proxy
