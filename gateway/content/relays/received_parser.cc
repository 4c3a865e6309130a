// SpamAssassin's parse_received_line, pattern for pattern. Each `if` below is one of its
// cases, in its order; `{IP}` and `{LOCALHOST}` stand for its IP_ADDRESS and LOCALHOST
// patterns. Why not a parser of our own: the stock rules over X-Spam-Relays-* (RDNS_NONE,
// HELO_*, RCVD_IN_*...) were tuned on exactly what this code extracts, quirks included.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "gateway/content/relays/received_parser.h"

#include <pcre2.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/content/relays/sa_ip_patterns.h"

namespace portcullis::content::relays {
namespace {

// A header longer than this is cut before matching: real ones are a few hundred bytes.
constexpr size_t kMaxHeader = 8192;

struct Caps {
  std::vector<std::optional<std::string>> g;  // g[0]: the whole match; nullopt: group unset
  std::string operator[](size_t i) const { return i < g.size() && g[i] ? *g[i] : std::string(); }
  bool defined(size_t i) const { return i < g.size() && g[i].has_value(); }
};

std::string expand(std::string pattern) {
  auto replaceAll = [&](const std::string& from, const char* to) {
    for (size_t p; (p = pattern.find(from)) != std::string::npos;)
      pattern.replace(p, from.size(), to);
  };
  replaceAll("{IP}", kSaIpAddress);
  replaceAll("{LOCALHOST}", kSaLocalhost);
  return pattern;
}

class Re {
 public:
  explicit Re(const std::string& pattern) {
    std::string p = expand(pattern);
    int err = 0;
    PCRE2_SIZE offset = 0;
    code_ =
        pcre2_compile(reinterpret_cast<PCRE2_SPTR>(p.data()), p.size(), 0, &err, &offset, nullptr);
    if (code_) pcre2_jit_compile(code_, PCRE2_JIT_COMPLETE);
  }
  ~Re() { pcre2_code_free(code_); }
  Re(const Re&) = delete;
  Re& operator=(const Re&) = delete;

  // Searches `s` (Perl's `/re/`), filling `caps` when given; `start` is where to begin.
  bool match(std::string_view s, Caps* caps = nullptr, size_t* matchStart = nullptr,
             size_t* matchEnd = nullptr) const {
    if (!code_) return false;
    // One match block and context per thread: a message's Received lines meet a hundred
    // patterns each, and allocating per match showed in the profile.
    struct Scratch {
      pcre2_match_data* md = pcre2_match_data_create(64, nullptr);
      pcre2_match_context* mc = [] {
        pcre2_match_context* c = pcre2_match_context_create(nullptr);
        pcre2_set_match_limit(c, 200000);
        return c;
      }();
      ~Scratch() {
        pcre2_match_data_free(md);
        pcre2_match_context_free(mc);
      }
    };
    thread_local Scratch scratch;
    pcre2_match_data* md = scratch.md;
    int rc =
        pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0, 0, md, scratch.mc);
    bool ok = rc > 0;
    if (ok) {
      PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
      uint32_t count = std::min<uint32_t>(pcre2_get_ovector_count(md), static_cast<uint32_t>(rc));
      if (caps) {
        caps->g.assign(count, std::nullopt);
        for (uint32_t i = 0; i < count; ++i)
          if (ov[2 * i] != PCRE2_UNSET)
            caps->g[i] = std::string(s.substr(ov[2 * i], ov[2 * i + 1] - ov[2 * i]));
      }
      if (matchStart) *matchStart = ov[0];
      if (matchEnd) *matchEnd = ov[1];
    }
    return ok;
  }

 private:
  pcre2_code* code_ = nullptr;
};

// `s =~ s/re//` (first match removed); true if it matched. `caps` gets the groups.
bool removeFirst(const Re& re, std::string& s, Caps* caps) {
  size_t a = 0, b = 0;
  if (!re.match(s, caps, &a, &b)) return false;
  s.erase(a, b - a);
  return true;
}

// `s =~ s/re/!/gs` for the characters SpamAssassin strips from each field.
void stripChars(std::string& s) {
  for (char& c : s)
    if (std::isspace(static_cast<unsigned char>(c)) || c == '\0' || c == '#' || c == '[' ||
        c == ']' || c == '(' || c == ')' || c == '<' || c == '>' || c == '|')
      c = '!';
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One pattern, compiled on first use (thread-safe static), matched against the current text.
#define RX(pattern)              \
  ([]() -> const Re& {           \
    static const Re re(pattern); \
    return re;                   \
  }())

struct Fields {
  std::string ip, helo, rdns, by, id, ident, auth;
  std::optional<std::string> envfrom;
  bool lookedUpDns = false;
};

// The cases after "from ": fills `f` and returns Relay, or says the header is to be skipped.
// nullopt: no case matched (the caller tries its last resorts).
std::optional<ReceivedKind> parseFrom(std::string& s, Fields& f, bool& popFetcher) {
  Caps c;
  auto m = [&](const Re& re) { return re.match(s, &c); };
  constexpr auto kRelay = ReceivedKind::Relay;
  constexpr auto kSkip = ReceivedKind::Skipped;

  if (m(RX(R"((?i)(?:return-path:? |envelope-(?:sender|from)[ =])(\S+)\b)"))) f.envfrom = c[1];

  if (m(RX(R"( \((?:SquirrelMail|NaSMail) authenticated user )")) &&
      m(RX(R"(({IP})\b(?![.-]).{10,80}by (\S+) with HTTP)"))) {
    f.ip = c[1], f.by = c[2];
    return kRelay;
  }
  if (m(RX(R"(aol\.com)")) && m(RX(R"(with HTTP \(WebMailUI\))")) &&
      m(RX(R"(({IP}) by (\S+) \({IP}\) with HTTP \(WebMailUI\))"))) {
    f.ip = c[1], f.by = c[2];
    return kRelay;
  }

  if (m(RX(R"( SMTPSVC)"))) {
    if (m(RX(R"(^(\S*) \(\[({IP})\][^\)]{0,40}\) by (\S+) with Microsoft SMTPSVC)"))) {
      f.helo = c[1], f.ip = c[2], f.by = c[3];
      return kRelay;
    }
    if (m(RX(R"(^mail pickup service by (\S+) with Microsoft SMTPSVC$)"))) return kSkip;
  } else if (
      m(RX(
          R"( with (?:Microsoft SMTP Server|mapi id) (?:\([^\)]+\) )?\d+\.\d+\.\d+\.\d+(?:$| ))"))) {
    if (m(RX(R"(^(\S+) \(\[?({IP})(?:%[A-Z0-9._~-]*)?\]?\) by (\S+) )"))) {
      f.helo = c[1], f.ip = c[2], f.by = c[3], f.id.clear();
      return kRelay;
    }
  } else if (m(RX(R"(\[XMail )"))) {
    if (m(RX(R"(^(\S+) \((\[?{IP}\]?)(?::\d+)\) by (\S+)(?: \(\S+\))? with \[XMail)"))) {
      f.helo = c[1], f.ip = c[2], f.by = c[3];
      if (m(RX(R"( id <(\S+)>)"))) f.id = c[1];
      if (m(RX(R"( from <(\S+)>)"))) f.envfrom = c[1];
      return kRelay;
    }
  } else if (m(RX(R"(\(ecelerity\b)"))) {
    if (m(RX(R"(^\(\[({IP}):\d+\] helo=(\S+)\) by (\S+) )"))) {
      f.ip = c[1], f.helo = c[2], f.by = c[3];
      return kRelay;
    }
    if (m(RX(R"(^\S+ \(\[({IP}):\d+\]\) by (\S+) )"))) {
      f.ip = c[1], f.by = c[2];
      return kRelay;
    }
  } else if (m(RX(R"(Exim)"))) {
    if (m(RX(R"(\bwith local(?:-\S+)? )"))) return kSkip;
    auto subFields = [&](std::string sub) {
      Caps k;
      if (removeFirst(RX(R"(helo=(\S+))"), sub, &k)) f.helo = k[1];
      if (removeFirst(RX(R"(ident=(\S*))"), sub, &k)) f.ident = k[1];
    };
    if (m(RX(R"(^\[({IP})\] \((.*?)\) by (\S+) )"))) {
      f.ip = c[1], f.by = c[3];
      subFields(c[2]);
      return kRelay;
    }
    if (m(RX(R"(^(\S+) \(\[({IP})\](.*?)\) by (\S+) )"))) {
      f.rdns = c[1], f.ip = c[2], f.by = c[4];
      f.helo = f.rdns;  // the default, apparently (SpamAssassin bug 5112)
      subFields(c[3]);
      return kRelay;
    }
    if (m(RX(R"(^(\S+) \[({IP})\](:\d+)? by (\S+) )"))) {
      f.rdns = c[1], f.ip = c[2], f.helo = c[1], f.by = c[4];
      return kRelay;
    }
    if (m(RX(R"(^(\S+) )"))) f.rdns = c[1];
    if (m(RX(R"( \((\S+)\) )"))) f.helo = c[1];
    if (m(RX(R"( \[({IP})(?:\.\d+)?\] )"))) f.ip = c[1];
    if (m(RX(R"(by (\S+) )"))) {
      f.by = c[1];
      if (!f.ip.empty()) return kRelay;
    }
  } else if (m(RX(R"( \(Postfix\) with)"))) {
    if (m(RX(R"(^(\S+) \((\S+) \[({IP})\]\) by (\S+) )")) ||
        m(RX(R"(^(\S+) \((\S+)\[({IP})\]\) by (\S+) )"))) {
      f.lookedUpDns = true;
      f.helo = c[1], f.rdns = c[2], f.ip = c[3], f.by = c[4];
      if (f.rdns == "unknown") f.rdns.clear();
      return kRelay;
    }
  } else if (m(RX(R"(\(Scalix SMTP Relay)"))) {
    if (m(RX(R"(^(\S+) \( ?({IP})\) by (\S+))"))) {
      f.helo = c[1], f.ip = c[2], f.by = c[3];
      return kRelay;
    }
  } else if (m(RX(R"( \(Lotus Domino )"))) {
    if (m(RX(R"(^(\S+) \(\[({IP})\]\) by (\S+) \(Lotus)"))) {
      f.lookedUpDns = false;
      f.helo = c[1], f.ip = c[2], f.by = c[3];
      return kRelay;
    }
  }

  if (m(RX(R"(\bwith HTTP\b)")) && m(RX(R"(^({IP}) \(\[{IP}\]\) by (\S+))"))) {
    f.ip = c[1], f.by = c[2];
    return kRelay;
  }
  if (!m(RX(R"( by \S+ \(qmail-\S+\) with )")) &&
      m(RX(R"(^(\S+) \((\S+) \[({IP})\].*\) by (\S+) \()"))) {
    f.lookedUpDns = true;
    f.helo = c[1], f.rdns = c[2], f.ip = c[3], f.by = c[4];
    Caps k;
    if (removeFirst(RX(R"(^IDENT:([^\@]*)\@)"), f.rdns, &k)) f.ident = k[1];
    if (removeFirst(RX(R"(^([^\@]*)\@)"), f.rdns, &k)) f.ident = k[1];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \((\S+) \[({IP})\]\) by (\S+) with \S+ \()"))) {
    f.lookedUpDns = true;
    f.rdns = c[2], f.ip = c[3], f.helo = c[1], f.by = c[4];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \(\[({IP})\] helo=(\S+)\) by (\S+) with )"))) {
    f.rdns = c[1], f.ip = c[2], f.helo = c[3], f.by = c[4];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \(<unknown\S*>\[({IP})\]\) by (\S+) )"))) {
    f.helo = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \((\S+\.\S+)\[({IP})\]\) by (\S+) )"))) {
    f.lookedUpDns = true;
    f.helo = c[1], f.rdns = c[2], f.ip = c[3], f.by = c[4];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \((\S*)\@\[({IP})\].*\) by (\S+) \()"))) {
    f.lookedUpDns = true;
    f.helo = c[1], f.ip = c[3], f.by = c[4], f.ident = c[2];
    return kRelay;
  }
  if (m(RX(R"(by (\S+\.hotmail\.msn\.com) )"))) {
    f.by = c[1];
    if (m(RX(R"(^({IP}) )"))) f.ip = c[1];
    return kRelay;
  }
  if (m(RX(
          R"(^(\S+) \((?:HELO|EHLO) (\S*)\) \(({IP})\) by (\S+) \(qpsmtpd\/\S+\) with (?:ESMTP|SMTP))")) ||
      m(RX(R"(^(\S+) \(LHLO (\S*)\) \(({IP})\) by (\S+) with LMTP)")) ||
      m(RX(
          R"(^(\S+) \((?:HELO|EHLO) (\S*)\) \[({IP})\] by (\S+) \([^\)]+\) with (?:ESMTP|SMTP))"))) {
    f.rdns = c[1], f.helo = c[2], f.ip = c[3], f.by = c[4];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \(\[({IP})\]\) by (\S+) via smtpd \(for \S+\) with SMTP\()"))) {
    f.helo = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  // qmail
  if (m(RX(
          R"(^\S+( \((?:HELO|EHLO) \S*\))? \((\S+\@)?\[?{IP}\]?\)( \(envelope-sender <\S+>\))? by \S+( \(.+\))* with (.* )?(SMTP|QMQP)(?! id ))"))) {
    if (m(RX(
            R"(^(\S+) \((?:HELO|EHLO) ([^ \(\)]*)\) \((\S*)\@\[?({IP})\]?\)( \(envelope-sender <\S+>\))? by (\S+))"))) {
      f.rdns = c[1], f.helo = c[2], f.ident = c[3], f.ip = c[4], f.by = c[6];
    } else if (
        m(RX(
            R"(^(\S+) \((?:HELO|EHLO) ([^ \(\)]*)\) \(\[?({IP})\]?\)( \(envelope-sender <\S+>\))? by (\S+))"))) {
      f.rdns = c[1], f.helo = c[2], f.ip = c[3], f.by = c[5];
    } else if (m(RX(R"(^(\S+) \((\S*)\@\[?({IP})\]?\)( \(envelope-sender <\S+>\))? by (\S+))"))) {
      f.helo = f.rdns = c[1], f.ident = c[2], f.ip = c[3], f.by = c[5];
    } else if (m(RX(R"(^(\S+) \(\[?({IP})\]?\)( \(envelope-sender <\S+>\))? by (\S+))"))) {
      f.helo = f.rdns = c[1], f.ip = c[2], f.by = c[4];
    }
    if (f.rdns != "unknown")
      f.lookedUpDns = true;
    else
      f.rdns.clear();
    return kRelay;
  }
  if (m(RX(R"( via HTTP$)")) && m(RX(R"(^\[({IP})\] by (\S+) via HTTP$)"))) {
    f.ip = c[1], f.by = c[2];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \( \[({IP})\]\).*? by (\S+) )"))) {
    f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^\((\S+) \[({IP})\]\) by (\S+) )"))) {
    f.helo = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^\[({IP})\] by (\S+) )")) || m(RX(R"(^\(\[?({IP})\]?\) by (\S+) )"))) {
    f.ip = c[1], f.by = c[2];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \[({IP})\] by (\S+) \[{IP}\] with )"))) {
    f.lookedUpDns = true;
    f.helo = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \[\(({IP})\)\] by (\S+) \({IP}\) )"))) {
    f.helo = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \(\[({IP})\]\) by (\S+) \()"))) {  // sendmail
    f.lookedUpDns = true;
    f.helo = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \((\S+) \[({IP})\]\).*? by (\S+)\b)"))) {  // sendmail
    if (c[2] == "softdnserr") {
      f.lookedUpDns = false;  // couriertcpd (SpamAssassin bug 2326)
    } else {
      f.lookedUpDns = true;
      f.rdns = c[2];
    }
    f.helo = c[1], f.ip = c[3], f.by = c[4];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \(\[({IP})(?:[.:]\d+)?\]\).*? by (\S+) )"))) {
    f.lookedUpDns = true;
    f.helo = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \((\S+) \[({IP})\]\)(?: \(authenticated bits=\d+\))? by (\S+) \()"))) {
    f.lookedUpDns = true;
    f.helo = c[1], f.rdns = c[2], f.ip = c[3], f.by = c[4];
    return kRelay;
  }
  if (m(RX(R"(with (?:POP3|IMAP))"))) {
    popFetcher = true;
    return kSkip;  // a mail fetcher's handover
  }
  if (m(RX(R"(^(\S+) \((?:HELO|EHLO) ([^\)]*)\) \((\S*@)?\[?({IP})\]?\).* by (\S+) )"))) {
    f.lookedUpDns = true;
    f.rdns = c[1], f.helo = c[2], f.ident = c[3], f.ip = c[4], f.by = c[5];
    if (!f.ident.empty() && f.ident.back() == '@') f.ident.pop_back();
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \((\S*@)?\[?({IP})\]?\).* by (\S+) )"))) {
    f.lookedUpDns = true;
    f.rdns = c[1], f.helo = f.rdns, f.ident = c[2], f.ip = c[3], f.by = c[4];
    if (!f.ident.empty() && f.ident.back() == '@') f.ident.pop_back();
    return kRelay;
  }
  if (m(RX(R"( with http for )")) && m(RX(R"(^\[({IP})\] by (\S+) with http for )"))) {
    f.ip = c[1], f.by = c[2];
    return kRelay;
  }
  if (m(RX(R"( via smap )")) && m(RX(R"(^(\S+)\(({IP})\) by (\S+) via smap )"))) {
    f.lookedUpDns = true;
    f.rdns = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^(\S+)\(({IP}), (?:HELO|EHLO) (\S*)\) by (\S+) via smap )"))) {
    f.lookedUpDns = true;
    f.rdns = c[1], f.ip = c[2], f.helo = c[3], f.by = c[4];
    return kRelay;
  }
  if ((m(RX(R"( \(Post)")) && m(RX(R"(^\[({IP})\] by (\S+) \(Post)"))) ||
      (m(RX(R"( \(ArGoSoft)")) && m(RX(R"(^\[({IP})\] by (\S+) \(ArGoSoft)"))) ||
      m(RX(R"(^({IP}) by (\S+) \((?:SMTPL|InterScan)\b)"))) {
    f.ip = c[1], f.by = c[2];
    return kRelay;
  }
  if (m(RX(R"( with BSMTP)")) && m(RX(R"(^\S+ by \S+ with BSMTP)"))) return kSkip;
  if (m(RX(R"(^(\S+) \((\S+) \[({IP})\]\) by (\S+) with )"))) {
    f.lookedUpDns = true;
    f.helo = c[1], f.rdns = c[2], f.ip = c[3], f.by = c[4];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \((?:HELO|EHLO) (\S*)\) \((?:(\S+)\@)?({IP}).*?\) by (\S+) with )"))) {
    f.lookedUpDns = true;
    f.rdns = c[1], f.helo = c[2], f.ip = c[4], f.by = c[5];
    if (c.defined(3)) f.ident = c[3];
    return kRelay;
  }
  if (m(RX(R"(^\[({IP})\] \((?:account \S+ )?(?:HELO|EHLO) (\S*)\) by (\S+) \()"))) {
    f.ip = c[1], f.helo = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"( \(CommuniGate Pro)")) && m(RX(R"(^(\S+) \(\[({IP})\] verified\) by (\S+) \()"))) {
    f.lookedUpDns = true;
    f.rdns = c[1], f.helo = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^\(\[({IP})\]\) by (\S+) with )"))) {
    f.ip = c[1], f.by = c[2];
    return kRelay;
  }
  if (m(RX(R"(^([^\d]\S+) \(({IP})\) by (\S+) )"))) {
    f.helo = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^\S+ \(\S+\) by \S+ \(Content Technologies )"))) return kSkip;
  if (m(RX(R"(^(\S+) \(\[({IP})\] \[(\S+)\]\) by (\S+) with )"))) {
    f.helo = c[1], f.ip = c[2], f.by = c[4];
    return kRelay;
  }
  if (m(RX(R"(^({IP}) by (\S+) with )"))) {
    f.ip = c[1], f.by = c[2];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \((\S+)\[({IP})\]\) by (\S+) )"))) {
    f.lookedUpDns = true;
    f.helo = c[1], f.rdns = c[2], f.ip = c[3], f.by = c[4];
    return kRelay;
  }
  if (m(RX(R"(^\[({IP})\]\S+ \((?:HELO|EHLO) (\S*)\) by (\S+) )")) ||
      m(RX(R"(^({IP}) \((?:HELO|EHLO) (\S*)\) by (\S+) )"))) {
    f.ip = c[1], f.helo = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \[({IP})\] by (\S+) )"))) {
    f.helo = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^(\S+)\(({IP})\) by (\S+) )"))) {
    f.rdns = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^\[({IP})\] by (\S+) \(MailGate )"))) {
    f.ip = c[1], f.by = c[2];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \(unverified \[({IP})\]\) by (\S+) )"))) {
    f.helo = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"(^({IP}) \([A-Za-z][^\)]+\) by (\S+) with )"))) {
    f.ip = c[1], f.by = c[2];
    return kRelay;
  }
  if (m(RX(R"(^\[({IP})\] \(([^\)]+)\) by (\S+) )"))) {
    f.ip = c[1], f.by = c[3];
    std::string sub = c[2];
    Caps k;
    if (removeFirst(RX(R"(helo=(\S+))"), sub, &k)) f.helo = k[1];
    if (removeFirst(RX(R"(ident=(\S*))"), sub, &k)) f.ident = k[1];
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \((?:\S+\@)?({IP})\) by (\S+) with )"))) {
    f.rdns = c[1], f.ip = c[2], f.by = c[3];
    return kRelay;
  }
  if (m(RX(R"RE(^(\S+)\(({IP})\)(?:, claiming to be "(\S+)")? via \S+ by (\S+),)RE"))) {
    f.rdns = c[1], f.ip = c[2], f.helo = c[3], f.by = c[4];
    if (c[1] != "UNKNOWN") f.lookedUpDns = true;
    return kRelay;
  }
  if (m(RX(R"(^(\S+) \((\S+)@({IP}) with login\) by (\S+\.yahoo\.com) with SMTP)"))) {
    f.helo = c[1], f.ip = c[3], f.by = c[4];
    return kRelay;
  }
  if (m(RX(R"(^X-Originating-IP: ({IP})$)"))) {
    f.ip = c[1], f.by.clear();
    return kRelay;
  }

  // Handovers SpamAssassin knows carry no useful relay.
  static const char* const kIgnored[] = {
      R"(^\S+ \([^\s\@]+\@{LOCALHOST}\) by \S+ \()",
      R"(^\S+ \S+ by \S+ with local-e?smtp )",
      R"(^127\.0\.0\.1 \(AVG SMTP \S+ \[\S+\]\))",
      R"(^\S+\@\S+ by \S+ by uid \S+ )",
      R"(^\S+\@\S+ by \S+ )",
      R"(^Unknown\/Local \()",
      R"(^{LOCALHOST} \((?:\S+\@)?{LOCALHOST}[\)\[])",
      R"(^\S+ \((?:\S+\@)?{LOCALHOST}\) )",
      R"(^\S+ \(\S+\@\S+ \[{LOCALHOST}\]\) )",
      R"(^\(AUTH: \S+\) by \S+ with )",
      R"(^localhost \(localhost \[\[UNIX: localhost\]\]\) by )",
      R"(^\S+\.amazon\.com by \S+\.amazon\.com with ESMTP \(peer crosscheck: )",
      R"(^[^\.]+ by \S+ with Novell_GroupWise)",
      R"(^no\.name\.available by \S+ via smtpd \(for )",
      // qmail-scanner: SpamAssassin carries its envelope sender to the next header; the
      // handover itself is skipped.
      R"(^\S+ by \S+ \(.{0,100}\) with qmail-scanner)",
      R"(^\S+ by \S+ with local)",
      R"(^\S+ \(\[unix socket\]\) by \S+ \(Cyrus v[0-9]*?\.[0-9]*?\.[0-9]*?\) with LMTPA)",
      R"(^\S+ by \S+ (?:with|via|for|\())",
      R"(^\S+ (?:(?:with|via|for) \S+|\(unverified\)) by\b)",
      R"(^\S+ \(unknown\) by \S+ \(SG\) with \b)",
      R"(^\S+ \(\S+ \[local\]\) by \S+ \(OpenSMTPD\) with \b)",
      R"(\(LSMTP for)",
      R"(^\(\[{LOCALHOST}\]\) with MailEnable )",
      R"(^facebook\.com \([^\)]+\) by facebook\.com with Thrift id \S+$)",
      R"(^\S+ named \S+ by gmailapi\.google\.com with HTTPREST$)",
      R"(^\S+ id \S+$)",
      R"(^\[<.*? \(Jetsend)",
  };
  static const std::vector<std::unique_ptr<Re>> ignored = [] {
    std::vector<std::unique_ptr<Re>> v;
    for (const char* p : kIgnored) v.push_back(std::make_unique<Re>(p));
    return v;
  }();
  for (const auto& re : ignored)
    if (re->match(s)) return kSkip;
  if (f.helo.empty() && m(RX(R"(^(\S+)[^-A-Za-z0-9\.])"))) f.helo = c[1];
  return std::nullopt;
}

}  // namespace

bool isSaPrivateAddress(std::string_view ip) {
  static const Re re(std::string("^") + kSaIpPrivate + "$");
  return re.match(ip);
}

ParsedReceived parseReceivedLine(std::string_view value) {
  ParsedReceived out;
  std::string s(value.substr(0, kMaxHeader));
  // s/\s+/ /g; trim; drop trailing semicolons.
  {
    std::string t;
    bool space = false;
    for (char ch : s) {
      if (std::isspace(static_cast<unsigned char>(ch))) {
        space = true;
        continue;
      }
      if (space && !t.empty()) t += ' ';
      space = false;
      t += ch;
    }
    s = std::move(t);
    while (!s.empty() && s.back() == ';') {
      s.pop_back();
      if (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    }
  }
  Caps c;
  auto m = [&](const Re& re) { return re.match(s, &c); };

  // Only headers that start with "from" describe a handover.
  if (!m(RX(R"((?i)^\(?from )"))) return {ReceivedKind::Skipped, {}, false};
  if (m(RX(R"(\bwith local for\b)"))) return {ReceivedKind::Skipped, {}, false};
  if (m(RX(R"((?i)^from (\S+) by [^\s;]+ ?;)")) && !RX(R"(^\[[\d.]+\]$)").match(c[1]))
    return {ReceivedKind::Skipped, {}, false};

  // The date at the end.
  removeFirst(
      RX(R"([\s;]+(?:(?:Mon|T(?:ue|hu)|Wed|Fri|S(?:at|un)), )?\d+ (?:J(?:an|u[nl])|Feb|Ma[ry]|A(?:pr|ug)|Sep|Oct|Nov|Dec) \d+ \d+:\d+(?::\d+)? \S+$)"),
      s, nullptr);
  for (size_t p; (p = s.find(")by ")) != std::string::npos;) s.replace(p, 4, ") by ");

  Fields f;
  if (m(RX(R"( id <?([^\s<>;]{3,}))"))) f.id = c[1];
  if (m(RX(
          R"(\bhelo=([-A-Za-z0-9\.\^+_&:=?!@%*\$\\\/]+)(?:[^-A-Za-z0-9\.\^+_&:=?!@%*\$\\\/]|$))")) ||
      m(RX(
          R"(\b(?:HELO|EHLO) ([-A-Za-z0-9\.\^+_&:=?!@%*\$\\\/]+)(?:[^-A-Za-z0-9\.\^+_&:=?!@%*\$\\\/]|$))")))
    f.helo = c[1];
  if (m(RX(R"( by (\S+)(?:[^-A-Za-z0-9\;\.]|$))"))) f.by = c[1];

  // Authentication, as the MTAs SpamAssassin knows write it.
  if (m(RX(R"( by )")) &&
      m(RX(R"((?i) with ((?:ES|L|UTF8S|UTF8L)MTPS?A|ASMTP|HTTP[SU]?)(?: |;|$))"))) {
    f.auth = c[1];
  } else if (
      m(RX(
          R"( by mx\.google\.com with ESMTPS id [a-z0-9]{1,4}sm[0-9]{2,9}[a-z]{3}\.[0-9]{1,3}\.[0-9]{4}\.(?:[0-6][0-9]\.){4}[0-6][0-9])")) &&
      m(RX(R"(\(version=([^ ]+) cipher=([^\)]+)\))"))) {
    f.auth = "GMail - transport=" + c[1] + " cipher=" + c[2];
  } else if (
      m(RX(
          R"(^from .*?(?:\]\)|\)\]) \(AUTH: (LOGIN|PLAIN|DIGEST-MD5|CRAM-MD5) \S+(?:, .*?)?\) by )"))) {
    f.auth = c[1];
  } else if (m(RX(R"(authenticated)")) &&
             m(RX(R"(^from .*?(?:\](?: \([^)]*\))?\)|\)\]) .*?\(.*?authenticated.*?\).*? by)"))) {
    f.auth = "Sendmail";
  } else if (
      m(RX(
          R"(from \S* \((?:HELO|EHLO) (\S*)\) \[({IP})\] by (mail\.gmx\.(?:net|com)) \([^\)]+\) with ((?:ESMTP|SMTP)))"))) {
    f.auth = "GMX (" + c[4] + " / " + c[3] + ")";
  } else if (m(RX(R"( \(authenticated as )")) &&
             m(RX(
                 R"(\) by .+ \(\d{1,2}\.\d\.\d{3}(?:\.\d{1,3})?\) \(authenticated as .+\) id )"))) {
    f.auth = "CriticalPath";
  } else if (m(RX(R"(\) \(Authenticated sender: \S+\) by \S+ \(([^\)]+)\) with )"))) {
    f.auth = c[1] == "Postfix" ? c[1] : "Postfix (" + c[1] + ")";
  } else if (m(RX(R"(CommuniGate Pro (HTTP|SMTP|XIMSS|IMAP))")) && m(RX(R"( \(account )"))) {
    f.auth = "Communigate";
  } else if (m(RX(R"( with Microsoft Exchange Server HTTP-DAV\b)"))) {
    f.auth = "HTTP-DAV";
  } else if (m(RX(R"( by )")) && m(RX(R"((?i) \(via (HTTP.?)\)(?: |;|$))"))) {
    f.auth = c[1];
  }

  std::optional<ReceivedKind> decided;
  if (s.starts_with("from ")) {
    s.erase(0, 5);
    decided = parseFrom(s, f, out.popFetcher);
  } else if (s.starts_with("FROM ")) {
    s.erase(0, 5);
    if (m(RX(
            R"(^(\S+) \((\S+) \[({IP})\]\) BY (\S+) (?:\([^\)]+\) WITH SMTP )?ID <?(\S+?)>?(?: FOR <[^>]+>)?$)"))) {
      f.lookedUpDns = true;
      f.helo = c[1], f.rdns = c[2], f.ip = c[3], f.by = c[4], f.id = c[5];
      if (f.rdns == "unverified") f.rdns.clear();
      decided = ReceivedKind::Relay;
    }
  } else if (s.starts_with("(from ")) {
    s.erase(0, 6);
    if (m(RX(R"(^(\S*) \[({IP})\]\) by (\S+) \(NAVGW .*?\) with )"))) {
      f.helo = c[1], f.ip = c[2], f.by = c[3];
      decided = ReceivedKind::Relay;
    } else if (m(RX(R"(^\S+\@localhost\) by \S+ )")) ||
               m(RX(R"(^[^\s\@]+\@[^)]+\) by \S+\(jqueuemail\) id [^\s;]+)"))) {
      decided = ReceivedKind::Skipped;
    }
  }
  if (decided == ReceivedKind::Skipped) {
    out.kind = ReceivedKind::Skipped;
    return out;
  }
  if (!decided) {
    if (f.ip.empty() && m(RX(R"(\[({IP})\])"))) f.ip = c[1];
    if (f.ip.empty() || f.by.empty()) return out;  // unparseable
  }

  // enough: the cleanups SpamAssassin applies to every relay.
  while (!f.rdns.empty() && f.rdns.back() == '.') f.rdns.pop_back();
  if (lower(f.rdns) == "unknown" || f.rdns.starts_with("[")) f.rdns.clear();
  if (lower(f.ip).starts_with("ipv6:")) f.ip.erase(0, 5);
  if (f.ip.starts_with("[")) f.ip.erase(0, 1);
  if (f.ip.ends_with("]")) f.ip.pop_back();
  {
    Caps k;
    removeFirst(RX(R"((?i)%[A-Z0-9._~-]*\z)"), f.ip, nullptr);
    if (RX(R"((?i)^0*:0*:(?:0*:)*ffff:(\d+\.\d+\.\d+\.\d+)$)").match(f.ip, &k)) f.ip = k[1];
  }
  if (!f.by.empty() && f.by.back() == ';') f.by.pop_back();
  stripChars(f.ip);
  stripChars(f.rdns);
  stripChars(f.helo);
  stripChars(f.by);
  stripChars(f.ident);
  Relay& r = out.relay;
  if (f.envfrom) {
    std::string e = *f.envfrom;
    size_t a = 0;
    while (a < e.size() && (std::isspace(static_cast<unsigned char>(e[a])) || e[a] == '<')) ++a;
    e.erase(0, a);
    while (!e.empty() && (std::isspace(static_cast<unsigned char>(e.back())) || e.back() == '>'))
      e.pop_back();
    stripChars(e);
    r.envfrom = e;
  }
  r.ip = f.ip;
  r.address = core::IpAddress::parse(f.ip);
  r.rdns = f.rdns;
  r.helo = f.helo;
  r.by = f.by;
  r.ident = f.ident;
  r.id = f.id;
  r.auth = f.auth;
  r.lcRdns = lower(f.rdns);
  r.lcHelo = lower(f.helo);
  r.lcBy = lower(f.by);
  r.ipPrivate = isSaPrivateAddress(f.ip);
  r.noReverseDns = f.rdns.empty() && f.lookedUpDns;
  out.kind = ReceivedKind::Relay;
  return out;
}

}  // namespace portcullis::content::relays
