// Line-oriented logging to stderr (journald or a supervisor collects it). One write(2) per
// line so lines from worker threads never interleave.
#pragma once
#include <string_view>

namespace portcullis::core::log {

enum class Level { Debug, Info, Warn, Error };

void setLevel(Level l);
void write(Level l, std::string_view msg);
inline void debug(std::string_view m) { write(Level::Debug, m); }
inline void info(std::string_view m) { write(Level::Info, m); }
inline void warn(std::string_view m) { write(Level::Warn, m); }
inline void error(std::string_view m) { write(Level::Error, m); }

}  // namespace portcullis::core::log
