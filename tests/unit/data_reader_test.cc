// The DATA reader: where a message ends, dot-unstuffing, and every SMTP-smuggling sequence.
#include <catch2/catch.hpp>

#include "gateway/smtp/data_reader.h"

using portcullis::smtp::BareLineEndings;
using portcullis::smtp::DataReader;
using Status = DataReader::Status;

namespace {
struct Fed {
  DataReader::Result result;
  std::string message;
  std::string rest;
  bool overflowed = false;
};

Fed feedAll(std::string_view input, BareLineEndings mode = BareLineEndings::Reject,
            uint64_t max = 1 << 20, bool byteByByte = false) {
  DataReader r(mode, max);
  Fed f;
  size_t pos = 0;
  while (pos < input.size()) {
    size_t n = byteByByte ? 1 : input.size() - pos;
    auto res = r.feed(input.substr(pos, n), f.message);
    pos += res.consumed;
    f.result = res;
    if (res.status != Status::NeedMore) break;
  }
  f.rest = std::string(input.substr(pos));
  f.overflowed = r.overflowed();
  return f;
}

// Every CR is followed by LF and every LF preceded by CR.
bool canonicalLineEnds(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) return false;
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return false;
  }
  return true;
}
}  // namespace

TEST_CASE("data ends only at CRLF.CRLF, and the rest is left for the next command") {
  for (bool bytewise : {false, true}) {
    auto f = feedAll("Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n", BareLineEndings::Reject, 1 << 20, bytewise);
    CHECK(f.result.status == Status::End);
    CHECK(f.message == "Subject: x\r\n\r\nbody\r\n");
    CHECK(f.rest == "QUIT\r\n");
  }
  auto empty = feedAll(".\r\n");
  CHECK(empty.result.status == Status::End);
  CHECK(empty.message.empty());
}

TEST_CASE("dot-stuffing is removed exactly once") {
  auto f = feedAll("..leading\r\n...two\r\n.x\r\nmid.dle\r\n.\r\n");
  CHECK(f.result.status == Status::End);
  CHECK(f.message == ".leading\r\n..two\r\nx\r\nmid.dle\r\n");
}

// Every non-RFC end-of-data sequence from the SMTP-smuggling research
// (tests/data/smuggling/eod_sequences.tsv): none may end DATA.
static const std::vector<std::string> kSmuggling = {
    std::string("\n.\n"),         std::string("\n.\r\n"),         std::string("\r.\r"),
    std::string("\r.\r\n"),       std::string("\r\n.\n"),         std::string("\r\n.\r"),
    std::string("\n.\r"),         std::string("\r.\n"),           std::string("\r\n\0.\r\n", 6),
    std::string("\r\n.\0\r\n", 6), std::string("\r\n.\r\r\n"),    std::string("\r\r\n.\r\r\n"),
    std::string("\0\r\n.\r\n", 6), std::string("\r\0\n.\r\n", 6), std::string("\r\n.\r\0\n", 6),
};

TEST_CASE("no smuggling sequence ends DATA - reject mode flags it as a violation") {
  for (const auto& seq : kSmuggling) {
    for (bool bytewise : {false, true}) {
      std::string input = "Subject: x\r\n\r\nhello" + seq + "MAIL FROM:<evil@x>\r\n";
      auto f = feedAll(input, BareLineEndings::Reject, 1 << 20, bytewise);
      INFO("sequence bytes: " << seq.size() << " bytewise " << bytewise);
      CHECK(f.result.status == Status::Violation);
      CHECK(f.message.find("MAIL FROM") == std::string::npos);
    }
  }
}

TEST_CASE("the real terminator followed by NUL ends data - the NUL is the next command's problem") {
  auto f = feedAll(std::string("x\r\n.\r\n\0", 7));
  CHECK(f.result.status == Status::End);
  CHECK(f.rest == std::string("\0", 1));
}

TEST_CASE("normalise mode turns bare LF and CR into CRLF, and ends data only at CRLF.CRLF") {
  for (bool bytewise : {false, true}) {
    auto f = feedAll("a\nb\rc\r\n.\r\nQUIT\r\n", BareLineEndings::Normalize, 1 << 20, bytewise);
    CHECK(f.result.status == Status::End);
    CHECK(f.message == "a\r\nb\r\nc\r\n");
    CHECK(f.rest == "QUIT\r\n");
  }
  // The reported attack: x<LF>.<LF> is not an end, so what follows is message text, not a
  // second transaction. The lone dot line is dropped (as Postfix does), not kept as content.
  auto g = feedAll("x\n.\nMAIL FROM:<evil@x>\r\n", BareLineEndings::Normalize);
  CHECK(g.result.status == Status::NeedMore);
  CHECK(g.message == "x\r\nMAIL FROM:<evil@x>\r\n");
  // A real end right after a bare line end is no end either: the CRLF before the dot must be
  // real too (RFC 5321 4.1.1.4: the first CRLF of <CRLF>.<CRLF> ends the last line).
  auto h = feedAll("x\n.\r\ny\r\n.\r\n", BareLineEndings::Normalize);
  CHECK(h.result.status == Status::End);
  CHECK(h.message == "x\r\ny\r\n");
  // Stuffed dots after a bare line end are still unstuffed once.
  auto d = feedAll("x\n..y\n.z\r\n.\r\n", BareLineEndings::Normalize);
  CHECK(d.result.status == Status::End);
  CHECK(d.message == "x\r\n.y\r\nz\r\n");
  auto nul = feedAll(std::string("a\0b\r\n.\r\n", 8), BareLineEndings::Normalize);
  CHECK(nul.result.status == Status::Violation);
  CHECK(nul.result.violation == "NUL");
}

TEST_CASE("no smuggling sequence ends DATA - normalise mode keeps reading") {
  for (const auto& seq : kSmuggling) {
    for (bool bytewise : {false, true}) {
      std::string input = "Subject: x\r\n\r\nhello" + seq + "MAIL FROM:<evil@x>\r\n";
      auto f = feedAll(input, BareLineEndings::Normalize, 1 << 20, bytewise);
      INFO("sequence bytes: " << seq.size() << " bytewise " << bytewise);
      if (seq.find('\0') != std::string::npos) {
        CHECK(f.result.status == Status::Violation);
        CHECK(f.result.violation == "NUL");
      } else {
        // Still in the data: the would-be next command is message text.
        CHECK(f.result.status == Status::NeedMore);
        CHECK(f.rest.empty());
        CHECK(f.message.ends_with("\r\nMAIL FROM:<evil@x>\r\n"));
        CHECK(canonicalLineEnds(f.message));
      }
      CHECK(f.message.find(".\r\nMAIL") == std::string::npos);
    }
  }
}

TEST_CASE("oversized messages are read to the end but not stored") {
  std::string body(5000, 'a');
  for (auto mode : {BareLineEndings::Reject, BareLineEndings::Normalize}) {
    auto f = feedAll(body + "\r\nmore\r\n.\r\nNOOP\r\n", mode, 1000);
    CHECK(f.result.status == Status::End);
    CHECK(f.overflowed);
    // Nothing from past the limit, nor what crossed it.
    CHECK(f.message.size() <= 1000);
    CHECK(f.message.find("more") == std::string::npos);
    CHECK(f.rest == "NOOP\r\n");
  }
  // At the limit exactly: stored whole, and not flagged.
  auto exact = feedAll(std::string(998, 'b') + "\r\n.\r\n", BareLineEndings::Reject, 1000);
  CHECK(exact.result.status == Status::End);
  CHECK_FALSE(exact.overflowed);
  CHECK(exact.message == std::string(998, 'b') + "\r\n");
}
