// Headers the gateway adds can never carry client-supplied CR/LF.
#include <algorithm>

#include <catch2/catch.hpp>

#include "gateway/core/headers.h"

using namespace portcullis::core;

TEST_CASE("Received header: shape, folding, and no injected line breaks") {
  SessionInfo s;
  s.clientIp = IpAddress::parse("192.0.2.1");
  s.helo = "evil\r\nX-Injected: yes";
  s.esmtp = true;
  s.tls = {true, "TLSv1.3", "TLS_AES_256_GCM_SHA384"};
  Transaction tx;
  tx.id = "ABC.1";
  Address rcpt;
  rcpt.local = "bob\nBcc: x";
  rcpt.domain = "example.com";
  tx.recipients.push_back({rcpt, {}});
  std::string h = receivedHeader(s, tx, "gw.test", std::chrono::system_clock::time_point{});
  std::string unfolded = h;
  for (size_t p; (p = unfolded.find("\r\n\t")) != std::string::npos;) unfolded.replace(p, 3, " ");
  // Not only CR and LF: a blank, a quote or a ':' in client text is a '?' in the trace too.
  CHECK(unfolded.starts_with("Received: from evil??X-Injected:?yes (unknown [192.0.2.1])"));
  CHECK(unfolded.find("(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384) by gw.test (Portcullis) "
                      "with ESMTPS id ABC.1 for <?bob?Bcc??x?@example.com>;") != std::string::npos);
  CHECK(h.ends_with("\r\n"));
  // Every line break in the header is a fold (CRLF followed by whitespace).
  for (size_t p = h.find("\r\n"); p + 2 < h.size(); p = h.find("\r\n", p + 2))
    CHECK((h[p + 2] == '\t' || h[p + 2] == ' '));
  CHECK(h.find('\n') == h.find("\r\n") + 1);
  for (size_t i = 0; i < h.size(); ++i)
    if (h[i] == '\n') CHECK(h[i - 1] == '\r');
}

TEST_CASE("Received header: HELO and DNS names cannot write comments, quotes or clauses") {
  SessionInfo s;
  s.clientIp = IpAddress::parse("192.0.2.1");
  s.helo = "evil(by x.test);\"\\<y>";
  s.clientName = "ptr(by z.test);";
  Transaction tx;
  tx.id = "ABC.1";
  Address rcpt;
  rcpt.local = "a>;b";
  rcpt.domain = "example.com";
  tx.recipients.push_back({rcpt, {}});
  const std::string h = receivedHeader(s, tx, "gw.test", std::chrono::system_clock::time_point{});
  CHECK(h.starts_with("Received: from evil?by?x.test?????y? (ptr?by?z.test?? [192.0.2.1]) by "));
  CHECK(h.find(" for <?a??b?@example.com>; ") != std::string::npos);
  CHECK(std::count(h.begin(), h.end(), ';') == 1);  // the one before the date
  // Names as they should be pass unchanged: a domain, an address literal, IPv6 included.
  for (const char* helo : {"mail.example.com", "[192.0.2.1]", "[IPv6:2001:db8::1]", "x_y-z"}) {
    s.helo = helo;
    s.clientName = "mail.example.com";
    CHECK(receivedHeader(s, tx, "gw.test", {}).starts_with(
        std::string("Received: from ") + helo + " (mail.example.com [192.0.2.1])"));
  }
}

TEST_CASE("verdict headers list symbols") {
  Verdict v;
  v.add({"CLIENT_ALLOWLISTED", -5, "", Stage::Connect});
  auto d = v.decide({});
  auto hs = verdictHeaders(v, d, {});
  CHECK(hs.at(0).first == "X-Spam-Status");
  CHECK(hs.at(0).second == "No, score=-5.0 required=5.0 tests=CLIENT_ALLOWLISTED");
}

// SpamAssassin writes the score with sprintf("%2.1f") (PerMsgStatus.pm
// _get_tag_value_for_score), the tests sorted and comma-joined, and a message it does not call
// spam never shows a score at or above the required one (Util.pm get_tag_value_for_score).
TEST_CASE("X-Spam-Status and X-Spam-Score are written as SpamAssassin writes them") {
  Thresholds t;
  t.addHeaders = 5.0;
  t.reject = 100.0;
  Verdict spam;
  spam.add({"PC_PHARMA", 3.25, "", Stage::Data});
  spam.add({"BAYES_99", 3.5, "", Stage::Data});
  spam.add({"GTUBE_LIKE", 0.06, "", Stage::Data});
  auto hs = verdictHeaders(spam, spam.decide(t), t);
  REQUIRE(hs.at(0).first == "X-Spam-Status");
  CHECK(hs.at(0).second == "Yes, score=6.8 required=5.0 tests=BAYES_99,GTUBE_LIKE,PC_PHARMA");
  CHECK(hs.at(1) == HeaderField{"X-Spam-Score", "6.8"});
  CHECK(hs.at(2) == HeaderField{"X-Spam-Flag", "YES"});

  // 4.96 rounds to 5.0, the required score, on a message that is not spam: 4.9, as SpamAssassin.
  Verdict near;
  near.add({"A_RULE", 4.96, "", Stage::Data});
  hs = verdictHeaders(near, near.decide(t), t);
  CHECK(hs.at(0).second == "No, score=4.9 required=5.0 tests=A_RULE");
  CHECK(hs.at(1).second == "4.9");

  Verdict none;
  hs = verdictHeaders(none, none.decide(t), t);
  CHECK(hs.at(0).second == "No, score=0.0 required=5.0 tests=none");
}
