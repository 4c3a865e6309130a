#include "gateway/quarantine/quarantine_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "gateway/core/headers.h"
#include "gateway/mime/headers.h"

namespace portcullis::quarantine {

namespace {

constexpr std::string_view kPrefix = "X-Quarantine-";

std::string errnoText(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

void writeAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(errnoText(path));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

void fsyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(errnoText(dir));
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error(errnoText(dir));
}

}  // namespace

std::string metadataBlock(const Entry& e) {
  auto field = [](std::string_view name, const std::string& value) {
    return core::formatHeader({std::string(kPrefix) + std::string(name), value});
  };
  std::string out = field("Id", e.id) + field("Time", std::to_string(e.time)) +
                    field("Envelope-From", "<" + e.mailFrom + ">");
  for (const auto& r : e.recipients) out += field("Envelope-To", "<" + r + ">");
  std::string body;
  if (e.body8bit) body += "8BITMIME";
  if (e.smtputf8) body += body.empty() ? "SMTPUTF8" : " SMTPUTF8";
  if (!body.empty()) out += field("Envelope-Body", body);
  char score[32];
  std::snprintf(score, sizeof score, "%.2f", e.score);
  out += field("Client", e.client.empty() ? "unknown" : e.client);
  if (!e.helo.empty()) out += field("Helo", e.helo);
  out += field("Score", score) + field("Decided-By", e.decidedBy);
  out += field("Symbols", e.symbols.empty() ? "-" : e.symbols);
  return out;
}

namespace {

std::string_view angleFree(std::string_view v) {
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') return v.substr(1, v.size() - 2);
  return v;
}

void fillFromMessage(Entry& e, std::string_view message) {
  const auto headers = mime::parseHeaderSection(message);
  for (const auto& h : headers.fields) {
    if (e.from.empty() && mime::iequals(h.name, "From")) e.from = h.decoded;
    if (e.subject.empty() && mime::iequals(h.name, "Subject")) e.subject = h.decoded;
  }
  e.size = message.size();
}

}  // namespace

bool QuarantineStore::validId(std::string_view id) {
  if (id.empty() || id.size() > 200 || id.front() == '.') return false;
  return std::all_of(id.begin(), id.end(),
                     [](unsigned char c) { return c > 0x20 && c < 0x7f && c != '/' && c != '\\'; });
}

std::string QuarantineStore::path(std::string_view id) const {
  return dir_ + "/new/" + std::string(id);
}

std::string QuarantineStore::create() const {
  std::error_code ec;
  for (const char* sub : {"tmp", "new", "cur"}) {
    std::filesystem::create_directories(dir_ + "/" + sub, ec);
    if (ec) return dir_ + "/" + sub + ": " + ec.message();
  }
  return "";
}

std::string QuarantineStore::hold(Entry meta, std::string_view prepend,
                                  std::string_view message) const {
  if (!validId(meta.id)) throw std::runtime_error("quarantine: unusable id '" + meta.id + "'");
  meta.time = std::time(nullptr);
  const std::string tmp = dir_ + "/tmp/" + meta.id + "." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 && errno == ENOENT && create().empty())  // removed while running
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error(errnoText("quarantine " + tmp));
  // The id is final only once linked into new/ without replacing anything (link(2) fails on
  // an existing name, rename(2) would not): a transaction id seen again after a restart
  // within the same second gets a suffix.
  const std::string wanted = meta.id;
  try {
    writeAll(fd, metadataBlock(meta), tmp);
    writeAll(fd, prepend, tmp);
    writeAll(fd, message, tmp);
    if (::fsync(fd) != 0) throw std::runtime_error(errnoText(tmp));
    if (::close(fd) != 0) {
      fd = -1;
      throw std::runtime_error(errnoText(tmp));
    }
    fd = -1;
    for (int n = 1;; ++n) {
      if (::link(tmp.c_str(), path(meta.id).c_str()) == 0) break;
      if (errno != EEXIST || n > 1000) throw std::runtime_error(errnoText(path(meta.id)));
      meta.id = wanted + "-" + std::to_string(n + 1);
    }
    ::unlink(tmp.c_str());
    fsyncDir(dir_ + "/new");
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  return meta.id;
}

std::optional<ParsedFile> parseFile(std::string_view bytes) {
  ParsedFile out;
  size_t pos = 0;
  bool sawId = false;
  while (pos < bytes.size()) {
    // One field: its first line and continuation lines (folded with CRLF + tab or space).
    size_t end = pos;
    for (;;) {
      size_t nl = bytes.find("\r\n", end);
      if (nl == std::string_view::npos) return std::nullopt;  // no message after the block
      end = nl + 2;
      if (end >= bytes.size() || (bytes[end] != ' ' && bytes[end] != '\t')) break;
    }
    std::string_view line = bytes.substr(pos, end - 2 - pos);
    if (line.size() < kPrefix.size() || !mime::iequals(line.substr(0, kPrefix.size()), kPrefix))
      break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string name = mime::lower(line.substr(kPrefix.size(), colon - kPrefix.size()));
    std::string value;
    for (size_t i = colon + 1; i < line.size(); ++i) {
      if (line[i] == '\r' && i + 2 < line.size() && line[i + 1] == '\n') {
        value += ' ';
        i += 2;  // the CRLF and the folding blank
        continue;
      }
      value += line[i];
    }
    const std::string v(mime::trim(value));
    Entry& e = out.entry;
    if (name == "id") {
      e.id = v;
      sawId = true;
    } else if (name == "time") {
      std::from_chars(v.data(), v.data() + v.size(), e.time);
    } else if (name == "envelope-from") {
      e.mailFrom = std::string(angleFree(v));
    } else if (name == "envelope-to") {
      e.recipients.emplace_back(angleFree(v));
    } else if (name == "envelope-body") {
      e.body8bit = v.find("8BITMIME") != std::string::npos;
      e.smtputf8 = v.find("SMTPUTF8") != std::string::npos;
    } else if (name == "client") {
      e.client = v;
    } else if (name == "helo") {
      e.helo = v;
    } else if (name == "score") {
      std::from_chars(v.data(), v.data() + v.size(), e.score);
    } else if (name == "decided-by") {
      e.decidedBy = v;
    } else if (name == "symbols") {
      e.symbols = v == "-" ? "" : v;
    }
    pos = end;
  }
  if (!sawId) return std::nullopt;
  out.message = bytes.substr(pos);
  fillFromMessage(out.entry, out.message);
  return out;
}

namespace {
// The whole file, or its first `limit` bytes.
std::optional<std::string> readFile(const std::string& path, size_t limit = SIZE_MAX) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  if (limit == SIZE_MAX) {
    std::ostringstream s;
    s << in.rdbuf();
    return std::move(s).str();
  }
  std::string out(limit, '\0');
  in.read(out.data(), static_cast<std::streamsize>(limit));
  out.resize(static_cast<size_t>(in.gcount()));
  return out;
}

// Listing reads the metadata and the message's header section, not whole messages.
constexpr size_t kListReadBytes = 64 * 1024;
}  // namespace

std::vector<Entry> QuarantineStore::list(std::vector<std::string>* problems) const {
  std::vector<Entry> out;
  DIR* d = ::opendir((dir_ + "/new").c_str());
  if (!d) return out;
  while (dirent* ent = ::readdir(d)) {
    const std::string name = ent->d_name;
    if (!validId(name)) continue;
    struct stat st {};
    auto bytes = readFile(path(name), kListReadBytes);
    auto parsed = bytes && ::stat(path(name).c_str(), &st) == 0 ? parseFile(*bytes) : std::nullopt;
    if (!parsed) {
      if (problems) problems->push_back(path(name) + ": not a quarantined message");
      continue;
    }
    parsed->entry.id = name;  // the file's name is what the commands take
    parsed->entry.size =
        static_cast<uint64_t>(st.st_size) - (bytes->size() - parsed->message.size());
    out.push_back(std::move(parsed->entry));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    return a.time != b.time ? a.time > b.time : a.id > b.id;
  });
  return out;
}

std::optional<QuarantineStore::Held> QuarantineStore::read(std::string_view id) const {
  if (!validId(id)) return std::nullopt;
  auto bytes = readFile(path(id));
  auto parsed = bytes ? parseFile(*bytes) : std::nullopt;
  if (!parsed) return std::nullopt;
  parsed->entry.id = std::string(id);
  return Held{std::move(parsed->entry), std::string(parsed->message)};
}

bool QuarantineStore::keepRecipients(std::string_view id,
                                     const std::vector<std::string>& recipients) const {
  if (!validId(id)) return false;
  auto bytes = readFile(path(id));
  auto parsed = bytes ? parseFile(*bytes) : std::nullopt;
  if (!parsed) return false;
  parsed->entry.id = std::string(id);
  parsed->entry.recipients = recipients;
  const std::string tmp =
      dir_ + "/tmp/" + std::string(id) + ".rewrite." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  try {
    writeAll(fd, metadataBlock(parsed->entry), tmp);
    writeAll(fd, parsed->message, tmp);
    const bool synced = ::fsync(fd) == 0;
    if (::close(fd) != 0 || !synced) throw std::runtime_error(errnoText(tmp));
    fd = -1;
    if (::rename(tmp.c_str(), path(id).c_str()) != 0) throw std::runtime_error(errnoText(tmp));
    fsyncDir(dir_ + "/new");
  } catch (const std::exception&) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

bool QuarantineStore::remove(std::string_view id) const {
  if (!validId(id)) return false;
  if (::unlink(path(id).c_str()) != 0) return false;
  try {
    fsyncDir(dir_ + "/new");
  } catch (const std::exception&) {
    // Removed; only the durability of the removal is in doubt.
  }
  return true;
}

}  // namespace portcullis::quarantine
