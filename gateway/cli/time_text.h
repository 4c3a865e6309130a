// Times as the CLI prints them: ISO 8601 in UTC, to the second.
#pragma once
#include <cstdint>
#include <ctime>
#include <string>

namespace portcullis::cli {

inline std::string isoTime(int64_t unixSeconds) {
  std::time_t tt = static_cast<std::time_t>(unixSeconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return b;
}

}  // namespace portcullis::cli
