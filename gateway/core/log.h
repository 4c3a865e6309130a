// Line-oriented logging to stderr (journald or a supervisor collects it). One write(2) per
// line so lines from worker threads never interleave.
//
// Two formats (`log_format`): text, "TIME portcullis[PID] LEVEL: message", and JSON lines,
// {"time":...,"level":...,"pid":...,"msg":...}. Events with fields (one per transaction) are
// `key=value ...` in text and keys of their own in JSON, so log shippers need no parsing.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portcullis::core::log {

enum class Level { Debug, Info, Warn, Error };
enum class Format { Text, Json };

struct Field {
  Field(std::string k, std::string v, bool q = false, std::string jk = {})
      : key(std::move(k)), value(std::move(v)), quote(q), jsonKey(std::move(jk)) {}
  std::string key;
  std::string value;
  bool quote = false;   // text: always in double quotes (otherwise only when it has a space)
  std::string jsonKey;  // when the JSON key differs ("time" is the line's own timestamp there)
};

void setLevel(Level l);
void setFormat(Format f);
bool enabled(Level l);
void write(Level l, std::string_view msg);
// An event with fields: `event` names it in JSON ("transaction"); text shows the fields only.
// A `lead` ("milter") starts the text line and is the JSON "door".
void event(Level l, std::string_view event, const std::vector<Field>& fields,
           std::string_view lead = {});
inline void debug(std::string_view m) {
  write(Level::Debug, m);
}
inline void info(std::string_view m) {
  write(Level::Info, m);
}
inline void warn(std::string_view m) {
  write(Level::Warn, m);
}
inline void error(std::string_view m) {
  write(Level::Error, m);
}

}  // namespace portcullis::core::log
