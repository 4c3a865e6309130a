#include "gateway/dns/message.h"

#include <arpa/inet.h>

#include <algorithm>
#include <set>

namespace portcullis::dns {

std::string_view typeName(Type t) {
  switch (t) {
    case Type::A:
      return "A";
    case Type::NS:
      return "NS";
    case Type::CNAME:
      return "CNAME";
    case Type::SOA:
      return "SOA";
    case Type::PTR:
      return "PTR";
    case Type::MX:
      return "MX";
    case Type::TXT:
      return "TXT";
    case Type::AAAA:
      return "AAAA";
  }
  return "?";
}

std::string_view statusName(Status s) {
  switch (s) {
    case Status::Ok:
      return "ok";
    case Status::NoData:
      return "nodata";
    case Status::NxDomain:
      return "nxdomain";
    case Status::ServFail:
      return "servfail";
    case Status::Timeout:
      return "timeout";
    case Status::BadName:
      return "badname";
  }
  return "?";
}

namespace {

class Reader {
 public:
  explicit Reader(std::string_view wire) : w_(wire) {}

  bool u8(size_t& pos, uint8_t& v) const {
    if (pos + 1 > w_.size()) return false;
    v = static_cast<uint8_t>(w_[pos++]);
    return true;
  }
  bool u16(size_t& pos, uint16_t& v) const {
    if (pos + 2 > w_.size()) return false;
    v = static_cast<uint16_t>(static_cast<uint8_t>(w_[pos]) << 8 |
                              static_cast<uint8_t>(w_[pos + 1]));
    pos += 2;
    return true;
  }
  bool u32(size_t& pos, uint32_t& v) const {
    uint16_t hi, lo;
    if (!u16(pos, hi) || !u16(pos, lo)) return false;
    v = uint32_t(hi) << 16 | lo;
    return true;
  }

  // Reads a possibly compressed name at `pos` and advances `pos` past it in the record. A name
  // with a byte normalizeName refuses inside a label ('.', '\\', a control or non-ASCII byte)
  // comes back empty with ok=true: such a record is skipped, never mistaken for another name,
  // and never followed to a name the resolver cannot query.
  bool name(size_t& pos, std::string& out) const {
    out.clear();
    size_t p = pos;
    bool jumped = false;
    bool usable = true;
    int jumps = 0;
    size_t total = 0;
    while (true) {
      uint8_t len;
      if (!u8(p, len)) return false;
      if ((len & 0xC0) == 0xC0) {
        uint8_t lo;
        if (!u8(p, lo)) return false;
        if (!jumped) pos = p;
        jumped = true;
        if (++jumps > 64) return false;  // a pointer loop
        p = size_t(len & 0x3F) << 8 | lo;
        continue;
      }
      if (len & 0xC0) return false;  // the reserved label types
      if (len == 0) break;
      if (p + len > w_.size()) return false;
      total += len + 1;
      if (total > 255) return false;
      if (!out.empty()) out += '.';
      for (size_t i = 0; i < len; ++i) {
        unsigned char c = static_cast<unsigned char>(w_[p + i]);
        if (c == '.' || c == '\\' || c < 0x20 || c > 0x7E) usable = false;
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      p += len;
    }
    if (!jumped) pos = p;
    if (!usable) out.clear();
    return true;
  }

  std::string_view bytes(size_t pos, size_t n) const { return w_.substr(pos, n); }
  size_t size() const { return w_.size(); }

 private:
  std::string_view w_;
};

}  // namespace

std::optional<Response> parseResponse(std::string_view wire, std::string* why) {
  Reader r(wire);
  Response resp;
  size_t pos = 0;
  uint16_t flags, qd, an, ns, ar;
  if (!r.u16(pos, resp.id) || !r.u16(pos, flags) || !r.u16(pos, qd) || !r.u16(pos, an) ||
      !r.u16(pos, ns) || !r.u16(pos, ar)) {
    *why = "response shorter than a DNS header";
    return std::nullopt;
  }
  if (!(flags & 0x8000)) {
    *why = "not a response (QR clear)";
    return std::nullopt;
  }
  resp.truncated = flags & 0x0200;
  resp.rcode = flags & 0x000F;
  std::string name;
  for (int i = 0; i < qd; ++i) {
    uint16_t t, c;
    if (!r.name(pos, name) || !r.u16(pos, t) || !r.u16(pos, c)) {
      *why = "malformed question section";
      return std::nullopt;
    }
  }
  auto readRecords = [&](int count, bool authority) -> bool {
    for (int i = 0; i < count; ++i) {
      Record rec;
      uint16_t type, cls, rdlen;
      if (!r.name(pos, rec.owner) || !r.u16(pos, type) || !r.u16(pos, cls) ||
          !r.u32(pos, rec.ttl) || !r.u16(pos, rdlen))
        return false;
      if (pos + rdlen > r.size()) return false;
      const size_t rdata = pos, rdend = pos + rdlen;
      pos = rdend;
      rec.ttl = std::min<uint32_t>(rec.ttl, 0x7FFFFFFF);  // RFC 2181 8: the top bit means zero
      if (cls != 1) continue;                             // IN only
      size_t p = rdata;
      bool ok = true;
      switch (type) {
        case 1:
        case 28: {
          const size_t n = type == 1 ? 4 : 16;
          if (rdlen != n) return false;
          char text[INET6_ADDRSTRLEN];
          inet_ntop(type == 1 ? AF_INET : AF_INET6, r.bytes(rdata, n).data(), text, sizeof text);
          rec.data = text;
          break;
        }
        case 2:
        case 5:
        case 12:
          ok = r.name(p, rec.data) && p == rdend;
          break;
        case 15:
          ok = r.u16(p, rec.preference) && r.name(p, rec.data) && p == rdend;
          break;
        case 16:
          while (p < rdend) {
            uint8_t len;
            if (!r.u8(p, len) || p + len > rdend) return false;
            rec.data.append(r.bytes(p, len));
            p += len;
          }
          break;
        case 6: {
          std::string mname, rname;
          uint32_t serial, refresh, retry, expire, minimum;
          ok = r.name(p, mname) && r.name(p, rname) && r.u32(p, serial) && r.u32(p, refresh) &&
               r.u32(p, retry) && r.u32(p, expire) && r.u32(p, minimum) && p == rdend;
          if (ok && authority) resp.negativeTtl = std::min(rec.ttl, minimum);
          break;
        }
        default:
          continue;  // types nobody asked about (OPT, RRSIG, ...)
      }
      if (!ok) return false;
      if (authority) continue;
      if (rec.owner.empty()) continue;  // an owner we refuse to read as a name
      if (type != 16 && type != 1 && type != 28 && rec.data.empty()) continue;
      rec.type = static_cast<Type>(type);
      resp.answers.push_back(std::move(rec));
    }
    return true;
  };
  if (!readRecords(an, false)) {
    *why = "malformed answer section";
    return std::nullopt;
  }
  // Authority is read only for the SOA that sets the negative TTL; a broken one is not fatal.
  readRecords(ns, true);
  return resp;
}

std::optional<std::string> normalizeName(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return std::nullopt;
  std::string out;
  out.reserve(name.size());
  size_t label = 0;
  for (char ch : name) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '.') {
      if (label == 0) return std::nullopt;
      label = 0;
    } else {
      // Printable ASCII but space: anything else would need escaping on the wire and no mail
      // domain contains it.
      if (c < 0x20 || c > 0x7E || c == '\\') return std::nullopt;
      if (++label > 63) return std::nullopt;
    }
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  if (label == 0) return std::nullopt;
  return out;
}

Chain followChain(const std::vector<Record>& answers, const std::string& qname, Type type,
                  int maxHops) {
  Chain chain;
  chain.end = qname;
  std::set<std::string> seen{qname};
  for (int hop = 0;; ++hop) {
    for (const auto& r : answers)
      if (r.type == type && r.owner == chain.end) chain.records.push_back(r);
    if (!chain.records.empty() || type == Type::CNAME) return chain;
    auto cname = std::find_if(answers.begin(), answers.end(), [&](const Record& r) {
      return r.type == Type::CNAME && r.owner == chain.end;
    });
    if (cname == answers.end()) return chain;
    if (hop >= maxHops || !seen.insert(cname->data).second) {
      chain.loop = true;
      return chain;
    }
    chain.cnames.push_back(cname->data);
    chain.end = cname->data;
  }
}

}  // namespace portcullis::dns
