#include "rules/engine/rule_file_parser.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <unordered_map>

#include "rules/engine/meta_expression.h"
#include "rules/engine/perl_regex.h"

namespace portcullis::rules {
namespace fs = std::filesystem;

std::string Diagnostic::str() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  if (!out.empty()) out += ": ";
  return out + message;
}

std::set<std::string> ParseOptions::defaultPlugins() {
  // /etc/spamassassin/*.pre of Debian's spamassassin 4.0.1, the loadplugin lines not
  // commented out. Check is the plugin that runs regex rules at all.
  return {"Mail::SpamAssassin::Plugin::URIDNSBL",
          "Mail::SpamAssassin::Plugin::SPF",
          "Mail::SpamAssassin::Plugin::Pyzor",
          "Mail::SpamAssassin::Plugin::Razor2",
          "Mail::SpamAssassin::Plugin::SpamCop",
          "Mail::SpamAssassin::Plugin::AutoLearnThreshold",
          "Mail::SpamAssassin::Plugin::WelcomeListSubject",
          "Mail::SpamAssassin::Plugin::MIMEHeader",
          "Mail::SpamAssassin::Plugin::ReplaceTags",
          "Mail::SpamAssassin::Plugin::DKIM",
          "Mail::SpamAssassin::Plugin::Check",
          "Mail::SpamAssassin::Plugin::HTTPSMismatch",
          "Mail::SpamAssassin::Plugin::URIDetail",
          "Mail::SpamAssassin::Plugin::Bayes",
          "Mail::SpamAssassin::Plugin::BodyEval",
          "Mail::SpamAssassin::Plugin::DNSEval",
          "Mail::SpamAssassin::Plugin::HTMLEval",
          "Mail::SpamAssassin::Plugin::HeaderEval",
          "Mail::SpamAssassin::Plugin::MIMEEval",
          "Mail::SpamAssassin::Plugin::RelayEval",
          "Mail::SpamAssassin::Plugin::URIEval",
          "Mail::SpamAssassin::Plugin::WLBLEval",
          "Mail::SpamAssassin::Plugin::VBounce",
          "Mail::SpamAssassin::Plugin::ImageInfo",
          "Mail::SpamAssassin::Plugin::FreeMail",
          "Mail::SpamAssassin::Plugin::AskDNS",
          "Mail::SpamAssassin::Plugin::HashBL",
          "Mail::SpamAssassin::Plugin::DMARC",
          "Mail::SpamAssassin::Plugin::Rule2XSBody"};
}

namespace {

// What SpamAssassin 4.0.1 answers to `if can(...)`: the feature_/has_/compat_ methods it
// defines (Conf.pm and its plugins). A rule file written for a later version takes the
// branch for an older one, as SpamAssassin 4.0.1 would.
const std::set<std::string>& knownMethods() {
  static const std::set<std::string> m = {"feature_bayes_auto_learn_on_error",
                                          "feature_bayes_stopwords",
                                          "feature_blocklist_welcomelist",
                                          "feature_bug6558_free",
                                          "feature_capture_rules",
                                          "feature_compile_regexp",
                                          "feature_dns_block_rule",
                                          "feature_dns_local_ports_permit_avoid",
                                          "feature_dns_query_restriction",
                                          "feature_edns",
                                          "feature_geodb",
                                          "feature_get_host",
                                          "feature_header_address_parser",
                                          "feature_header_first_last",
                                          "feature_header_match_many",
                                          "feature_local_tests_only",
                                          "feature_meta_rules_matching",
                                          "feature_originating_ip_headers",
                                          "feature_registryboundaries",
                                          "feature_subjprefix",
                                          "feature_uri_host_listed",
                                          "feature_welcomelist_blocklist",
                                          "feature_yesno_takes_args",
                                          "has_all_header",
                                          "has_arc",
                                          "has_check_abundant_unicode_ratio",
                                          "has_check_body_length",
                                          "has_check_for_ascii_text_illegal",
                                          "has_check_qp_ratio",
                                          "has_capture_rules",
                                          "has_tflags_multiple",
                                          "has_tflags_nosubject",
                                          "has_tflags_nolog",
                                          "has_short_url",
                                          "has_tflags_range",
                                          "has_uridnsbl_for_a",
                                          "has_uridnsbl_a_ns",
                                          "has_check_for_spf_errors",
                                          "has_check_spf_skipped_noenvfrom",
                                          "has_plaintext_body_sig_ratio",
                                          "perl_min_version_5010000"};
  return m;
}

// Directives that define a rule of a kind this engine does not run (DNS lists, plugins).
const std::set<std::string>& unsupportedRuleKinds() {
  static const std::set<std::string> k = {
      "uri_detail", "askdns",      "urirhsbl",       "urirhssub",       "uridnsbl",
      "urinsrhsbl", "urinsrhssub", "urifullnsrhsbl", "urifullnsrhssub", "urianydnsbl"};
  return k;
}

// Pseudo-headers SpamAssassin computes from Received lines and its trusted_networks.
// X-Spam-Relays-* and ALL-TRUSTED & co. are answered by the caller's MessageText (relay
// analysis); these two come from network services we do not query.
bool isUnsupportedPseudoHeader(std::string_view name) {
  return name == "X-Spam-DCC" || name == "X-Spam-Pyzor";
}

bool isRuleName(std::string_view n) {
  if (n.empty()) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// `name(args)` of `eval:name(args)`: the arguments are Perl literals, quoted or bare, split at
// top-level commas. False when the text is not a call.
bool parseEvalCall(std::string_view text, EvalCall& call) {
  text = trim(text);
  size_t open = text.find('(');
  if (open == std::string_view::npos || text.back() != ')') return false;
  std::string_view name = trim(text.substr(0, open));
  if (!isRuleName(name)) return false;
  call.function = std::string(name);
  std::string_view inner = text.substr(open + 1, text.size() - open - 2);
  std::string current;
  char quote = 0;
  bool any = false, quoted = false;
  auto flush = [&] {
    std::string_view v = current;
    call.args.push_back(quoted ? std::string(v) : std::string(trim(v)));
    current.clear();
    quoted = false;
  };
  for (size_t i = 0; i < inner.size(); ++i) {
    char c = inner[i];
    if (quote) {
      if (c == '\\' && i + 1 < inner.size() && (inner[i + 1] == quote || inner[i + 1] == '\\'))
        current += inner[++i];
      else if (c == quote)
        quote = 0;
      else
        current += c;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      quoted = any = true;
      current.clear();
    } else if (c == ',') {
      flush();
    } else if (!quoted) {
      current += c;
      if (!std::isspace(static_cast<unsigned char>(c))) any = true;
    }
  }
  if (quote) return false;
  if (any || !call.args.empty()) flush();
  return true;
}

// Splits off the first blank-separated word.
std::string_view firstWord(std::string_view s, std::string_view* rest) {
  s = trim(s);
  size_t i = 0;
  while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  *rest = trim(s.substr(i));
  return s.substr(0, i);
}

struct Conditional {
  bool active;        // lines in this branch apply
  bool parentActive;  // the enclosing block applies
  bool elseSeen = false;
};

}  // namespace

struct RuleFileParser::Impl {
  ParseOptions options;
  ParsedRules out;
  std::unordered_map<std::string, size_t> index;
  std::unordered_map<std::string, std::array<double, 4>> scores;
  std::unordered_map<std::string, std::string> descriptions;
  std::unordered_map<std::string, std::string> tflags;
  std::unordered_map<std::string, std::vector<InlineTest>> tests;
  std::string replaceStart = "<", replaceEnd = ">";
  std::unordered_map<std::string, std::string> replaceTag, replacePre, replaceInter, replacePost;
  std::set<std::string> replaceRules;
  int includeDepth = 0;

  void error(const std::string& file, int line, std::string message) {
    out.errors.push_back({file, line, std::move(message)});
  }

  void define(Rule r) {
    auto it = index.find(r.name);
    if (it != index.end()) {
      out.rules[it->second] = std::move(r);  // a later definition replaces an earlier one
    } else {
      index.emplace(r.name, out.rules.size());
      out.rules.push_back(std::move(r));
    }
  }

  void readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error(path, 0, "cannot read rule file");
      return;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    out.files.push_back(path);
    readText(ss.str(), path);
  }

  void readText(const std::string& text, const std::string& file) {
    std::vector<Conditional> stack;
    std::istringstream in(text);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      processLine(file, n, line, stack);
    }
    if (!stack.empty()) error(file, n, "missing endif (" + std::to_string(stack.size()) + " open)");
  }

  bool active(const std::vector<Conditional>& stack) const {
    return stack.empty() || stack.back().active;
  }

  bool evalCondition(std::string_view expr, const std::string& file, int line) {
    std::string e(expr);
    static const std::regex fn(R"((plugin|can)\s*\(\s*([\w:]+)\s*\))");
    std::string replaced;
    auto begin = std::sregex_iterator(e.begin(), e.end(), fn);
    size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      const auto& m = *it;
      replaced += e.substr(last, static_cast<size_t>(m.position(0)) - last);
      std::string arg = m[2].str();
      bool yes;
      if (m[1].str() == "plugin") {
        yes = options.plugins.count(arg) > 0;
      } else {
        size_t sep = arg.rfind("::");
        std::string pkg = sep == std::string::npos ? "" : arg.substr(0, sep);
        std::string method = sep == std::string::npos ? arg : arg.substr(sep + 2);
        bool pkgLoaded = pkg == "Mail::SpamAssassin::Conf" || options.plugins.count(pkg) > 0;
        yes = pkgLoaded && knownMethods().count(method) > 0;
      }
      replaced += yes ? " 1 " : " 0 ";
      last = static_cast<size_t>(m.position(0) + m.length(0));
    }
    replaced += e.substr(last);
    static const std::regex version(R"(\bperl_version\b)");
    replaced = std::regex_replace(replaced, version, " 5.036000 ");
    static const std::regex saVersion(R"(\bversion\b)");
    replaced = std::regex_replace(replaced, saVersion, " 4.000001 ");
    MetaExpression m;
    std::string err;
    if (!m.parse(replaced, &err)) {
      error(file, line, "cannot evaluate 'if " + std::string(expr) + "': " + err);
      return false;
    }
    if (!m.names().empty()) {
      error(file, line,
            "cannot evaluate 'if " + std::string(expr) + "': unknown word '" + m.names().front() +
                "'");
      return false;
    }
    return m.evaluate([](size_t) { return 0.0; }) != 0;
  }

  void processLine(const std::string& file, int n, std::string line,
                   std::vector<Conditional>& stack) {
    // Comments run from an unescaped '#'; "\#" stands for '#'.
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '#' && (i == 0 || line[i - 1] != '\\')) {
        line.resize(i);
        break;
      }
    }
    for (size_t p; (p = line.find("\\#")) != std::string::npos;) line.erase(p, 1);
    std::string_view rest;
    std::string_view keyView = firstWord(line, &rest);
    if (keyView.empty()) return;
    std::string key(keyView);
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return c == '-' ? '_' : std::tolower(c); });

    if (key == "if" || key == "ifplugin") {
      bool parent = active(stack);
      bool cond = false;
      if (parent) {
        if (key == "ifplugin")
          cond = options.plugins.count(std::string(rest)) > 0;
        else
          cond = evalCondition(rest, file, n);
      }
      stack.push_back({parent && cond, parent});
      return;
    }
    if (key == "else") {
      if (stack.empty() || stack.back().elseSeen) {
        error(file, n, "'else' without 'if'");
        return;
      }
      stack.back().active = stack.back().parentActive && !stack.back().active;
      stack.back().elseSeen = true;
      return;
    }
    if (key == "endif") {
      if (stack.empty())
        error(file, n, "'endif' without 'if'");
      else
        stack.pop_back();
      return;
    }
    if (!active(stack)) return;

    if (key == "header" || key == "mimeheader" || key == "body" || key == "rawbody" ||
        key == "uri" || key == "full") {
      regexRule(key, rest, file, n);
    } else if (key == "meta") {
      std::string_view expr;
      std::string name(firstWord(rest, &expr));
      if (!isRuleName(name) || expr.empty())
        return error(file, n, "expected: meta NAME EXPRESSION");
      Rule r = baseRule(name, key, Target::Meta, file, n);
      r.metaExpr = std::string(expr);
      define(std::move(r));
    } else if (unsupportedRuleKinds().count(key)) {
      std::string_view tail;
      std::string name(firstWord(rest, &tail));
      if (!isRuleName(name)) return error(file, n, "expected a rule name after " + key);
      Rule r = baseRule(name, key, Target::Header, file, n);
      r.support = Support::UnsupportedType;
      r.reason = "'" + key + "' rules (a SpamAssassin plugin's rule type) are not supported";
      define(std::move(r));
    } else if (key == "score") {
      std::string_view values;
      std::string name(firstWord(rest, &values));
      std::array<double, 4> s{};
      int count = 0;
      std::string_view v = values;
      while (!v.empty() && count < 4) {
        std::string_view tail;
        std::string word(firstWord(v, &tail));
        // SpamAssassin writes unmutable scores as "(1.0)".
        if (word.size() > 2 && word.front() == '(' && word.back() == ')')
          word = word.substr(1, word.size() - 2);
        char* end = nullptr;
        double d = std::strtod(word.c_str(), &end);
        if (word.empty() || *end != '\0')
          return error(file, n, "score for " + name + ": '" + word + "' is not a number");
        s[static_cast<size_t>(count++)] = d;
        v = tail;
      }
      if (!isRuleName(name) || (count != 1 && count != 4))
        return error(file, n, "expected: score NAME SCORE (one value or four)");
      if (count == 1) s = {s[0], s[0], s[0], s[0]};
      scores[name] = s;
    } else if (key == "describe") {
      std::string_view text;
      std::string name(firstWord(rest, &text));
      if (!isRuleName(name)) return error(file, n, "expected: describe NAME TEXT");
      descriptions[name] = std::string(text);
    } else if (key == "tflags") {
      std::string_view flags;
      std::string name(firstWord(rest, &flags));
      if (!isRuleName(name)) return error(file, n, "expected: tflags NAME FLAGS");
      tflags[name] = std::string(flags);
    } else if (key == "test") {
      std::string_view tail, text;
      std::string name(firstWord(rest, &tail));
      std::string verdict(firstWord(tail, &text));
      if (!isRuleName(name) || (verdict != "ok" && verdict != "fail"))
        return error(file, n, "expected: test NAME ok|fail TEXT");
      tests[name].push_back({verdict == "ok", std::string(text), file, n});
    } else if (key == "include") {
      fs::path target = fs::path(file).parent_path() / std::string(rest);
      if (++includeDepth > 20)
        error(file, n, "include nested too deeply");
      else
        readFile(target.string());
      --includeDepth;
    } else if (key == "loadplugin" || key == "tryplugin") {
      std::string_view tail;
      options.plugins.insert(std::string(firstWord(rest, &tail)));
    } else if (key == "replace_start") {
      replaceStart = std::string(rest);
    } else if (key == "replace_end") {
      replaceEnd = std::string(rest);
    } else if (key == "replace_tag" || key == "replace_pre" || key == "replace_inter" ||
               key == "replace_post") {
      std::string_view value;
      std::string name(firstWord(rest, &value));
      auto& map = key == "replace_tag"     ? replaceTag
                  : key == "replace_pre"   ? replacePre
                  : key == "replace_inter" ? replaceInter
                                           : replacePost;
      map[name] = std::string(value);
    } else if (key == "replace_rules") {
      std::string_view v = rest;
      while (!v.empty()) {
        std::string_view tail;
        replaceRules.insert(std::string(firstWord(v, &tail)));
        v = tail;
      }
    } else {
      ++out.ignored[key];
      out.settings.push_back({key, std::string(trim(rest)), file, n});
    }
  }

  Rule baseRule(const std::string& name, const std::string& kind, Target t, const std::string& file,
                int line) {
    Rule r;
    r.name = name;
    r.kind = kind;
    r.target = t;
    r.file = file;
    r.line = line;
    return r;
  }

  void regexRule(const std::string& kind, std::string_view rest, const std::string& file, int n) {
    std::string_view def;
    std::string name(firstWord(rest, &def));
    if (!isRuleName(name) || def.empty())
      return error(file, n,
                   "expected: " + kind + " NAME " + (kind == "header" ? "Header =~ /re/" : "/re/"));
    Target t = kind == "header" || kind == "mimeheader" ? Target::Header
               : kind == "body"                         ? Target::Body
               : kind == "rawbody"                      ? Target::RawBody
               : kind == "uri"                          ? Target::Uri
                                                        : Target::Full;
    Rule r = baseRule(name, kind, t, file, n);
    if (def.rfind("eval:", 0) == 0) {
      if (!parseEvalCall(def.substr(5), r.eval))
        return error(file, n, "expected: " + kind + " " + name + " eval:function(arguments)");
      r.support = Support::Eval;
      r.reason = "eval function " + r.eval.function + " is not implemented";
      return define(std::move(r));
    }
    if (t == Target::Header) {
      std::string_view tail;
      std::string query(firstWord(def, &tail));
      // "Subject=~/x/" without blanks around the operator.
      size_t op = query.find_first_of("=!");
      if (op != std::string::npos && op + 1 < query.size() && query[op + 1] == '~') {
        tail = trim(def.substr(def.find(query) + op));
        query = query.substr(0, op);
      }
      if (query.rfind("exists:", 0) == 0) {
        r.existsTest = true;
        r.query.name = query.substr(7);
        if (r.query.name.empty()) return error(file, n, "exists: needs a header name");
        return define(std::move(r));
      }
      std::string err = parseQuery(query, r);
      if (kind == "mimeheader") {
        r.query.anyPart = true;
        if (err.empty() && (r.query.addr || r.query.displayName || r.query.first || r.query.last))
          err = "mimeheader takes only the :raw modifier";
      }
      if (err.empty() && isUnsupportedPseudoHeader(r.query.name))
        err = "'" + r.query.name + "' is the answer of a network service Portcullis does not query";
      if (!err.empty()) {
        r.support = Support::UnsupportedType;
        r.reason = err;
        return define(std::move(r));
      }
      if (tail.rfind("=~", 0) == 0) {
        tail.remove_prefix(2);
      } else if (tail.rfind("!~", 0) == 0) {
        r.negate = true;
        tail.remove_prefix(2);
      } else {
        return error(file, n, "header rule " + name + ": expected =~ or !~ after " + query);
      }
      def = tail;
    }
    RegexParse p = parsePerlRegex(def);
    if (!p.error.empty()) {
      error(file, n, kind + " rule " + name + ": " + p.error);
      r.support = Support::InvalidRegex;
      r.reason = p.error;
      return define(std::move(r));
    }
    r.regex = p.regex;
    std::string_view after = trim(p.rest);
    if (t == Target::Header && after.rfind("[if-unset:", 0) == 0 && after.back() == ']') {
      r.ifUnset = std::string(trim(after.substr(10, after.size() - 11)));
      after = {};
    }
    if (!after.empty()) {
      error(file, n,
            kind + " rule " + name + ": unexpected text after the regex: " + std::string(after));
      r.support = Support::InvalidRegex;
      r.reason = "unexpected text after the regex";
    }
    define(std::move(r));
  }

  static std::string parseQuery(const std::string& query, Rule& r) {
    size_t colon = query.find(':');
    r.query.name = query.substr(0, colon);
    if (r.query.name.empty()) return "empty header name";
    while (colon != std::string::npos) {
      size_t next = query.find(':', colon + 1);
      std::string mod =
          query.substr(colon + 1, next == std::string::npos ? std::string::npos : next - colon - 1);
      if (mod == "raw")
        r.query.raw = true;
      else if (mod == "addr")
        r.query.addr = true;
      else if (mod == "name")
        r.query.displayName = true;
      else if (mod == "first")
        r.query.first = true;
      else if (mod == "last")
        r.query.last = true;
      else
        return "header modifier ':" + mod + "' is not supported";
      colon = next;
    }
    return {};
  }

  // SpamAssassin's ReplaceTags plugin, step for step (Plugin/ReplaceTags.pm).
  std::string replaceTags(std::string re) const {
    auto takeNamed = [&](const std::string& kind, std::string* name) {
      std::string marker = replaceStart + kind + " ";
      size_t a = re.find(marker);
      if (a == std::string::npos) return;
      size_t b = re.find(replaceEnd, a + marker.size());
      if (b == std::string::npos || b == a + marker.size()) return;
      *name = re.substr(a + marker.size(), b - a - marker.size());
      re.erase(a, b + replaceEnd.size() - a);
    };
    int passes = 0;
    bool again;
    do {
      again = false;
      std::string pre, post, inter;
      takeNamed("pre", &pre);
      takeNamed("post", &post);
      takeNamed("inter", &inter);
      // Perl's split(/(<[^<>]+>)/): text and tags alternate; trailing empty fields dropped.
      std::vector<std::string> parts;
      size_t pos = 0;
      while (true) {
        size_t a = re.find('<', pos);
        size_t b = a == std::string::npos ? a : re.find_first_of("<>", a + 1);
        while (b != std::string::npos && re[b] == '<') {
          a = b;
          b = re.find_first_of("<>", a + 1);
        }
        if (a == std::string::npos || b == std::string::npos || b == a + 1) {
          parts.push_back(re.substr(pos));
          break;
        }
        parts.push_back(re.substr(pos, a - pos));
        parts.push_back(re.substr(a, b + 1 - a));
        pos = b + 1;
      }
      while (!parts.empty() && parts.back().empty()) parts.pop_back();
      auto isTag = [&](const std::string& s) {
        return s.size() > replaceStart.size() + replaceEnd.size() &&
               s.rfind(replaceStart, 0) == 0 &&
               s.compare(s.size() - replaceEnd.size(), replaceEnd.size(), replaceEnd) == 0;
      };
      auto lookup = [](const auto& map, const std::string& k) -> const std::string* {
        auto it = map.find(k);
        return it == map.end() || it->second.empty() ? nullptr : &it->second;
      };
      const std::string* preValue = pre.empty() ? nullptr : lookup(replacePre, pre);
      const std::string* postValue = post.empty() ? nullptr : lookup(replacePost, post);
      const std::string* interValue = inter.empty() ? nullptr : lookup(replaceInter, inter);
      for (auto& part : parts) {
        if (isTag(part)) {
          if (preValue) part = *preValue + part;
          if (postValue) part = part + *postValue;
        } else if (part.empty() && interValue) {
          part = *interValue;
        }
      }
      for (auto& part : parts) {
        size_t a = part.find(replaceStart);
        if (a == std::string::npos) continue;
        size_t b = part.find(replaceEnd, a + replaceStart.size());
        if (b == std::string::npos || b == a + replaceStart.size()) continue;
        std::string tag = part.substr(a + replaceStart.size(), b - a - replaceStart.size());
        const std::string* value = lookup(replaceTag, tag);
        if (!value) continue;
        std::string whole = replaceStart + tag + replaceEnd;
        for (size_t p = 0; (p = part.find(whole, p)) != std::string::npos; p += value->size())
          part.replace(p, whole.size(), *value);
        if (value->find('<') != std::string::npos && value->find('>') != std::string::npos)
          again = true;
      }
      re.clear();
      for (const auto& part : parts) re += part;
      ++passes;
    } while (again && passes <= 5);
    return re;
  }

  void finish() {
    for (auto& r : out.rules) {
      if (auto it = scores.find(r.name); it != scores.end()) r.scores = it->second;
      if (auto it = descriptions.find(r.name); it != descriptions.end()) r.description = it->second;
      if (auto it = tests.find(r.name); it != tests.end()) r.tests = it->second;
      if (auto it = tflags.find(r.name); it != tflags.end()) {
        std::string_view v = it->second;
        while (!v.empty()) {
          std::string_view tail;
          std::string flag(firstWord(v, &tail));
          v = tail;
          r.tflags.push_back(flag);
          if (flag == "multiple") r.multiple = true;
          if (flag == "nosubject") r.noSubject = true;
          if (flag.rfind("maxhits=", 0) == 0) {
            r.maxHits = std::atoi(flag.c_str() + 8);
            r.multiple = true;  // maxhits implies counting
          }
        }
      }
      if (r.target != Target::Meta && !r.existsTest && r.support == Support::Ok) {
        if (replaceRules.count(r.name)) r.regex.pattern = replaceTags(r.regex.pattern);
        applyExtended(r.regex);
        if (r.regex.pattern.find("%{") != std::string::npos) {
          r.support = Support::UnsupportedType;
          r.reason = "capture templates (%{NAME}) are not supported";
        }
      }
    }
    checkMetas();
  }

  void checkMetas() {
    std::unordered_map<std::string, std::vector<std::string>> deps;
    for (auto& r : out.rules) {
      if (r.target != Target::Meta || r.support != Support::Ok) continue;
      MetaExpression m;
      std::string err;
      if (r.metaExpr.find("rules_matching") != std::string::npos) {
        r.support = Support::BadMeta;
        r.reason = "rules_matching() is not supported";
        continue;
      }
      if (!m.parse(r.metaExpr, &err)) {
        r.support = Support::BadMeta;
        r.reason = "meta expression: " + err;
        out.errors.push_back({r.file, r.line, "meta " + r.name + ": " + err});
        continue;
      }
      for (const auto& name : m.names()) {
        if (!index.count(name))
          out.warnings.push_back(
              {r.file, r.line,
               "meta " + r.name + " uses undefined rule " + name + " (counts as 0)"});
      }
      deps[r.name] = m.names();
    }
    // A meta that depends, directly or not, on a cycle can never be evaluated. One depth-
    // first pass; metas over unsupported rules are the compiler's business (it also knows
    // which regexes no engine takes).
    enum : char { Unseen, Visiting, Acyclic, Cyclic };
    std::unordered_map<std::string, char> state;
    std::function<bool(const std::string&)> reachesCycle = [&](const std::string& name) -> bool {
      auto it = deps.find(name);
      if (it == deps.end()) return false;
      char& s = state[name];
      if (s == Visiting) return true;
      if (s != Unseen) return s == Cyclic;
      s = Visiting;
      bool found = false;
      for (const auto& d : it->second) found = reachesCycle(d) || found;
      state[name] = found ? Cyclic : Acyclic;
      return found;
    };
    for (auto& r : out.rules) {
      if (deps.count(r.name) && reachesCycle(r.name)) {
        r.support = Support::BadMeta;
        r.reason = "meta rules depend on each other in a cycle";
        out.errors.push_back({r.file, r.line, "meta " + r.name + ": dependency cycle"});
      }
    }
  }
};

RuleFileParser::RuleFileParser(ParseOptions options) : impl_(std::make_shared<Impl>()) {
  impl_->options = std::move(options);
}

void RuleFileParser::addPath(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> pre, cf;
    for (const auto& e : fs::directory_iterator(path, ec)) {
      if (!e.is_regular_file()) continue;
      auto ext = e.path().extension();
      if (ext == ".pre") pre.push_back(e.path().string());
      if (ext == ".cf") cf.push_back(e.path().string());
    }
    std::sort(pre.begin(), pre.end());
    std::sort(cf.begin(), cf.end());
    for (const auto& f : pre) impl_->readFile(f);
    for (const auto& f : cf) impl_->readFile(f);
    if (pre.empty() && cf.empty()) impl_->error(path, 0, "no *.cf rule files in this directory");
    return;
  }
  impl_->readFile(path);
}

void RuleFileParser::addText(const std::string& text, const std::string& name) {
  impl_->readText(text, name);
}

ParsedRules RuleFileParser::finish() {
  impl_->finish();
  return std::move(impl_->out);
}

}  // namespace portcullis::rules
