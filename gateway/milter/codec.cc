#include "gateway/milter/codec.h"

#include <libmilter/mfapi.h>
#include <libmilter/mfdef.h>

#include <cstdio>

namespace portcullis::milter {

namespace {

uint32_t get32(std::string_view s, size_t at) {
  return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) |
         (uint32_t(uint8_t(s[at + 2])) << 8) | uint32_t(uint8_t(s[at + 3]));
}

void put32(std::string& out, uint32_t v) {
  out += char(v >> 24);
  out += char((v >> 16) & 0xff);
  out += char((v >> 8) & 0xff);
  out += char(v & 0xff);
}

// The NUL-terminated strings of a payload. `complete` is false when the last one lacks its NUL.
std::vector<std::string> strings(std::string_view data, bool* complete) {
  std::vector<std::string> out;
  size_t i = 0;
  *complete = true;
  while (i < data.size()) {
    auto nul = data.find('\0', i);
    if (nul == std::string_view::npos) {
      *complete = false;
      out.emplace_back(data.substr(i));
      break;
    }
    out.emplace_back(data.substr(i, nul - i));
    i = nul + 1;
  }
  return out;
}

std::string stripNul(std::string_view s) {
  while (!s.empty() && s.back() == '\0') s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::optional<Packet> PacketReader::next() {
  if (!error_.empty() || buffer_.size() - pos_ < MILTER_LEN_BYTES) return std::nullopt;
  const uint32_t len = get32(buffer_, pos_);
  if (len == 0) {
    error_ = "a packet of length 0 (no command byte)";
    return std::nullopt;
  }
  if (len - 1 > max_) {
    error_ = "a packet of " + std::to_string(len) + " bytes, above the limit of " +
             std::to_string(max_ + 1);
    return std::nullopt;
  }
  if (buffer_.size() - pos_ < MILTER_LEN_BYTES + len) return std::nullopt;
  Packet p;
  p.command = buffer_[pos_ + MILTER_LEN_BYTES];
  p.data = buffer_.substr(pos_ + MILTER_LEN_BYTES + 1, len - 1);
  pos_ += MILTER_LEN_BYTES + len;
  // Compact now and then, not per packet: body chunks arrive back to back.
  if (pos_ > 65536 && pos_ * 2 > buffer_.size()) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  return p;
}

std::variant<Command, std::string> decodeCommand(const Packet& p) {
  const std::string name = commandName(p.command);
  auto bad = [&](const std::string& what) -> std::variant<Command, std::string> {
    return name + ": " + what;
  };
  const std::string_view d = p.data;
  bool complete = true;
  switch (p.command) {
    case SMFIC_OPTNEG: {
      if (d.size() < MILTER_OPTLEN)
        return bad(std::to_string(d.size()) + " bytes, needs " + std::to_string(MILTER_OPTLEN));
      return Command(OptNeg{get32(d, 0), get32(d, 4), get32(d, 8)});
    }
    case SMFIC_MACRO: {
      if (d.empty()) return bad("no command byte");
      Macros m;
      m.forCommand = d[0];
      auto s = strings(d.substr(1), &complete);
      if (!complete) return bad("a name or value without its NUL");
      if (s.size() % 2) return bad("a macro name without a value");
      for (size_t i = 0; i + 1 < s.size(); i += 2) m.values.emplace_back(s[i], s[i + 1]);
      return Command(std::move(m));
    }
    case SMFIC_CONNECT: {
      Connect c;
      auto nul = d.find('\0');
      if (nul == std::string_view::npos) return bad("no NUL after the host name");
      c.hostname = std::string(d.substr(0, nul));
      if (nul + 1 >= d.size()) return bad("no address family");
      c.family = d[nul + 1];
      if (c.family == SMFIA_UNKNOWN) return Command(std::move(c));
      if (c.family != SMFIA_INET && c.family != SMFIA_INET6 && c.family != SMFIA_UNIX)
        return bad("unknown address family '" + std::string(1, c.family) + "'");
      if (nul + 4 > d.size()) return bad("no port");
      c.port = uint16_t((uint8_t(d[nul + 2]) << 8) | uint8_t(d[nul + 3]));
      std::string_view addr = d.substr(nul + 4);
      if (addr.empty() || addr.back() != '\0') return bad("no NUL after the address");
      c.address = stripNul(addr);
      if (c.family == SMFIA_INET6 && c.address.starts_with("IPv6:")) c.address.erase(0, 5);
      if (c.address.empty()) return bad("an empty address");
      return Command(std::move(c));
    }
    case SMFIC_HELO: {
      auto s = strings(d, &complete);
      if (!complete || s.empty()) return bad("no NUL after the name");
      return Command(Helo{s[0]});
    }
    case SMFIC_MAIL:
    case SMFIC_RCPT: {
      auto s = strings(d, &complete);
      if (!complete || s.empty()) return bad("no NUL after the address");
      Envelope e;
      e.mail = p.command == SMFIC_MAIL;
      e.address = s[0];
      e.params.assign(s.begin() + 1, s.end());
      return Command(std::move(e));
    }
    case SMFIC_DATA:
      return Command(Data{});
    case SMFIC_HEADER: {
      auto s = strings(d, &complete);
      if (!complete || s.size() != 2) return bad("not a name and a value, each with its NUL");
      if (s[0].empty()) return bad("an empty header name");
      return Command(Header{s[0], s[1]});
    }
    case SMFIC_EOH:
      return Command(EndOfHeaders{});
    case SMFIC_BODY:
      return Command(Body{std::string(d)});
    case SMFIC_BODYEOB:
      return Command(EndOfMessage{std::string(d)});
    case SMFIC_ABORT:
      return Command(Abort{});
    case SMFIC_QUIT:
      return Command(Quit{false});
    case SMFIC_QUIT_NC:
      return Command(Quit{true});
    case SMFIC_UNKNOWN:
      return Command(Unknown{stripNul(d)});
    default:
      return bad("unknown command");
  }
}

std::string encodePacket(char command, std::string_view data) {
  std::string out;
  out.reserve(MILTER_LEN_BYTES + 1 + data.size());
  put32(out, static_cast<uint32_t>(data.size() + 1));
  out += command;
  out.append(data);
  return out;
}

std::string encodeOptNeg(const OptNeg& o) {
  std::string data;
  put32(data, o.version);
  put32(data, o.actions);
  put32(data, o.protocol);
  return encodePacket(SMFIC_OPTNEG, data);
}

std::string encodeReplyCode(int code, std::string_view enhanced, std::string_view text) {
  // One line per text line; '%' is doubled because the MTA formats the reply with printf-like
  // expansion (Sendmail), and a NUL ends it.
  std::string out;
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (true) {
    auto nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? nl : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += "\r\n";
    out += std::to_string(code) + (i + 1 < lines.size() ? "-" : " ");
    if (!enhanced.empty()) out += std::string(enhanced) + " ";
    for (char c : lines[i]) {
      if (c == '\0') continue;
      if (c == '%') out += '%';
      out += c;
    }
  }
  out += '\0';
  return encodePacket(SMFIR_REPLYCODE, out);
}

namespace {
// Header modifications: [index(4)] name NUL value NUL.
std::string headerPacket(char command, std::optional<uint32_t> index, std::string_view name,
                         std::string_view value) {
  std::string data;
  if (index) put32(data, *index);
  data.append(name);
  data += '\0';
  data.append(value);
  data += '\0';
  return encodePacket(command, data);
}
}  // namespace

std::string encodeAddHeader(std::string_view name, std::string_view value) {
  return headerPacket(SMFIR_ADDHEADER, std::nullopt, name, value);
}

std::string encodeInsertHeader(uint32_t index, std::string_view name, std::string_view value) {
  return headerPacket(SMFIR_INSHEADER, index, name, value);
}

std::string encodeChangeHeader(uint32_t index, std::string_view name, std::string_view value) {
  return headerPacket(SMFIR_CHGHEADER, index, name, value);
}

std::string encodeQuarantine(std::string_view reason) {
  std::string data(reason);
  data += '\0';
  return encodePacket(SMFIR_QUARANTINE, data);
}

std::string commandName(char c) {
  switch (c) {
    case SMFIC_ABORT:
      return "SMFIC_ABORT";
    case SMFIC_BODY:
      return "SMFIC_BODY";
    case SMFIC_CONNECT:
      return "SMFIC_CONNECT";
    case SMFIC_MACRO:
      return "SMFIC_MACRO";
    case SMFIC_BODYEOB:
      return "SMFIC_BODYEOB";
    case SMFIC_HELO:
      return "SMFIC_HELO";
    case SMFIC_QUIT_NC:
      return "SMFIC_QUIT_NC";
    case SMFIC_HEADER:
      return "SMFIC_HEADER";
    case SMFIC_MAIL:
      return "SMFIC_MAIL";
    case SMFIC_EOH:
      return "SMFIC_EOH";
    case SMFIC_OPTNEG:
      return "SMFIC_OPTNEG";
    case SMFIC_QUIT:
      return "SMFIC_QUIT";
    case SMFIC_RCPT:
      return "SMFIC_RCPT";
    case SMFIC_DATA:
      return "SMFIC_DATA";
    case SMFIC_UNKNOWN:
      return "SMFIC_UNKNOWN";
  }
  char b[16];
  std::snprintf(b, sizeof b, "command 0x%02x", static_cast<unsigned char>(c));
  return b;
}

}  // namespace portcullis::milter
