#include "gateway/core/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "gateway/core/json.h"
#include "gateway/core/text.h"
#include "gateway/mime/charset.h"

namespace portcullis::core::log {

namespace {
std::atomic<Level> gLevel{Level::Info};
std::atomic<Format> gFormat{Format::Text};
constexpr const char* kNames[] = {"debug", "info", "warning", "error"};

std::string timestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return stamp;
}

// JSON strings must be UTF-8: client-supplied text (HELO names, addresses) may not be.
std::string json(std::string_view s) {
  return jsonString(mime::sanitizeUtf8(s));
}

std::string jsonPrefix(Level l) {
  return "{\"time\":\"" + timestamp() + "\",\"level\":\"" + kNames[static_cast<int>(l)] +
         "\",\"pid\":" + std::to_string(getpid());
}

std::string textPrefix(Level l) {
  return timestamp() + " portcullis[" + std::to_string(getpid()) + "] " +
         kNames[static_cast<int>(l)] + ": ";
}

void emit(std::string line) {
  line.push_back('\n');
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}
}  // namespace

void setLevel(Level l) {
  gLevel = l;
}
void setFormat(Format f) {
  gFormat = f;
}
bool enabled(Level l) {
  return l >= gLevel.load(std::memory_order_relaxed);
}

void write(Level l, std::string_view msg) {
  if (!enabled(l)) return;
  if (gFormat.load(std::memory_order_relaxed) == Format::Json)
    return emit(jsonPrefix(l) + ",\"msg\":" + json(msg) + "}");
  emit(textPrefix(l) + withoutControls(msg));
}

void event(Level l, std::string_view name, const std::vector<Field>& fields,
           std::string_view lead) {
  if (!enabled(l)) return;
  if (gFormat.load(std::memory_order_relaxed) == Format::Json) {
    std::string line = jsonPrefix(l) + ",\"event\":" + json(name);
    if (!lead.empty()) line += ",\"door\":" + json(lead);
    for (const auto& f : fields)
      line += "," + json(f.jsonKey.empty() ? f.key : f.jsonKey) + ":" + json(f.value);
    return emit(line + "}");
  }
  std::string line(lead);
  for (const auto& f : fields) {
    if (!line.empty()) line += ' ';
    const std::string v = withoutControls(f.value);
    line += f.key + "=";
    if (f.quote || v.find(' ') != std::string::npos) {
      line += '"';
      for (char c : v) line += c == '"' ? '\'' : c;  // keeps the field's end unambiguous
      line += '"';
    } else {
      line += v;
    }
  }
  emit(textPrefix(l) + line);
}

}  // namespace portcullis::core::log
