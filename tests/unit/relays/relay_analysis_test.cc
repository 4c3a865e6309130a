// SpamAssassin's relay analysis: Received lines of the common MTAs into relays, the trust
// boundary, the front door's client as the first hop, and the texts rules read. Every expected
// text below is what SpamAssassin 4.0.0 printed for the same header (X-Spam-Relays-*).
#include <catch2/catch.hpp>

#include "gateway/content/relays/received_parser.h"
#include "gateway/content/relays/relay_analysis.h"
#include "gateway/content/sa_text.h"
#include "gateway/mime/message.h"

using namespace portcullis;
using namespace portcullis::content::relays;

namespace {

std::pair<std::string, std::string> texts(const std::vector<std::string>& received,
                                          const TrustSettings& trust = {},
                                          const std::optional<SeenClient>& seen = {}) {
  RelayPath p = analyseRelays(received, {}, trust, seen);
  return {relaysText(p.trusted), relaysText(p.untrusted)};
}

}  // namespace

TEST_CASE("relays: Received lines of common MTAs as SpamAssassin reads them", "[relays]") {
  struct Case {
    const char* line;
    const char* trusted;
    const char* untrusted;
  };
  const Case cases[] = {
      {"from mail.example.com (mail.example.com [203.0.113.5]) by mx.example.org (Postfix) with "
       "ESMTP id 4ABC123; Mon, 1 Jan 2024 10:00:00 +0000",
       "",
       "[ ip=203.0.113.5 rdns=mail.example.com helo=mail.example.com by=mx.example.org ident= "
       "envfrom= intl=0 id=4ABC123 auth= msa=0 ]"},
      {"from unknown (HELO mailer.test) (198.51.100.7) by mx.example.org with SMTP; 1 Jan 2024 "
       "10:00:00 -0000",
       "",
       "[ ip=198.51.100.7 rdns= helo=mailer.test by=mx.example.org ident= envfrom= intl=0 id= "
       "auth= msa=0 ]"},
      {"from [203.0.113.9] (helo=bigsender.test) by mx.exim.test with esmtp (Exim 4.96) id "
       "1rAbCd-000123-Ab; Mon, 01 Jan 2024 10:00:00 +0000",
       "",
       "[ ip=203.0.113.9 rdns= helo=bigsender.test by=mx.exim.test ident= envfrom= intl=0 "
       "id=1rAbCd-000123-Ab auth= msa=0 ]"},
      {"from relay.test ([198.51.100.20]) by mail.sendmail.test (8.17.1/8.17.1) with ESMTP id "
       "401A0xYZ012345; Mon, 1 Jan 2024 10:00:00 GMT",
       "",
       "[ ip=198.51.100.20 rdns= helo=relay.test by=mail.sendmail.test ident= envfrom= intl=0 "
       "id=401A0xYZ012345 auth= msa=0 ]"},
      // A private first hop is trusted and internal when no networks are configured.
      {"from EXCH01.corp.test (10.1.2.3) by EXCH02.corp.test (10.1.2.4) with Microsoft SMTP Server "
       "(version=TLS1_2, cipher=TLS) id 15.1.2507.6; Mon, 1 Jan 2024 10:00:00 +0000",
       "[ ip=10.1.2.3 rdns=EXCH01.corp.test helo=EXCH01.corp.test by=EXCH02.corp.test ident= "
       "envfrom= intl=1 id=15.1.2507.6 auth= msa=0 ]",
       ""},
      // So is an authenticated one.
      {"from laptop (unknown [203.0.113.77]) (Authenticated sender: user@example.org) by "
       "smtp.example.org (Postfix) with ESMTPSA id ABCDEF; Mon, 1 Jan 2024 10:00:00 +0000",
       "[ ip=203.0.113.77 rdns= helo=laptop by=smtp.example.org ident= envfrom= intl=1 id=ABCDEF "
       "auth=ESMTPSA msa=0 ]",
       ""},
      // A local pickup names no relay; garbage neither.
      {"by mail.example.org (Postfix, from userid 1000) id 0F1E2D; Mon, 1 Jan 2024 10:00:00 +0000",
       "", ""},
      {"garbage that names no host at all", "", ""},
      {"from mail-ed1-f54.google.com (mail-ed1-f54.google.com [2a00:1450:4864:20::534]) by "
       "mx.example.org (Postfix) with ESMTPS id 4T2; Mon, 1 Jan 2024 10:00:00 +0000",
       "",
       "[ ip=2a00:1450:4864:20::534 rdns=mail-ed1-f54.google.com helo=mail-ed1-f54.google.com "
       "by=mx.example.org ident= envfrom= intl=0 id=4T2 auth= msa=0 ]"},
  };
  for (const auto& c : cases) {
    INFO(c.line);
    auto [trusted, untrusted] = texts({c.line});
    CHECK(trusted == c.trusted);
    CHECK(untrusted == c.untrusted);
  }
  CHECK(parseReceivedLine("garbage that names no host at all").kind == ReceivedKind::Skipped);
  CHECK(parseReceivedLine("from a by b").kind == ReceivedKind::Unparseable);
  // The MTA looked the client up and found nothing: SpamAssassin's no_reverse_dns.
  CHECK(parseReceivedLine("from mailer.test (unknown [198.51.100.8]) by mx.example.org (Postfix) "
                          "with ESMTP id X1; Mon, 1 Jan 2024 10:00:00 +0000")
            .relay.noReverseDns);
  // qmail's "unknown" records no lookup: not known to lack one (rdns_not_in_headers).
  CHECK_FALSE(parseReceivedLine(cases[1].line).relay.noReverseDns);
  CHECK_FALSE(parseReceivedLine(cases[0].line).relay.noReverseDns);
}

TEST_CASE("relays: trusted_networks set the boundary, with exclusions", "[relays]") {
  const std::vector<std::string> received = {
      "from relay.corp.test (relay.corp.test [192.0.2.10]) by mx.corp.test (Postfix) with ESMTP id "
      "A1; Mon, 1 Jan 2024 10:00:00 +0000",
      "from mail.example.com (mail.example.com [203.0.113.5]) by relay.corp.test (Postfix) with "
      "ESMTP id B2; Mon, 1 Jan 2024 09:59:00 +0000"};
  std::vector<std::string> errors;
  TrustSettings t =
      trustSettingsFrom({{"trusted_networks", "192.0.2.", "local.cf", 3}}, {}, {}, &errors);
  CHECK(errors.empty());
  RelayPath p = analyseRelays(received, {}, t, std::nullopt);
  REQUIRE(p.trusted.size() == 1);
  REQUIRE(p.untrusted.size() == 1);
  CHECK(p.untrusted[0].ip == "203.0.113.5");
  CHECK(p.lastTrustedHeader == 0);
  TrustSettings ex = trustSettingsFrom(
      {{"trusted_networks", "!192.0.2.10 192.0.2.0/24", "l.cf", 1}}, {}, {}, &errors);
  CHECK(analyseRelays(received, {}, ex, std::nullopt).trusted.empty());
  trustSettingsFrom({{"trusted_networks", "not-a-net", "l.cf", 7}}, {}, {}, &errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].starts_with("l.cf:7: "));
}

TEST_CASE("relays: the front door's client is the first hop, in place of forged lines",
          "[relays]") {
  // A spammer's forged "trusted" line below: the client we saw is public, so trust ends there.
  const std::vector<std::string> received = {
      "from localhost (localhost [127.0.0.1]) by mail.example.org (Postfix) with ESMTP id 123ABC; "
      "Mon, 1 Jan 2024 10:00:00 +0000"};
  SeenClient seen{*core::IpAddress::parse("198.51.100.99"), "", "friendly.test", "gw.test", ""};
  RelayPath p = analyseRelays(received, {}, {}, seen);
  REQUIRE(p.untrusted.size() == 2);
  CHECK(p.trusted.empty());
  CHECK(relaysText({p.untrusted[0]}) ==
        "[ ip=198.51.100.99 rdns= helo=friendly.test by=gw.test ident= envfrom= intl=0 id= auth= "
        "msa=0 ]");
  CHECK(p.untrusted[0].noReverseDns);
  CHECK(p.headerOffset == 1);
}

TEST_CASE("relays: ALL-TRUSTED and ALL-UNTRUSTED split the header block", "[relays]") {
  std::string raw =
      "Received: from EXCH01.corp.test (10.1.2.3) by EXCH02.corp.test (10.1.2.4) with Microsoft "
      "SMTP Server (version=TLS1_2, cipher=TLS) id 15.1.2507.6; Mon, 1 Jan 2024 10:00:00 +0000\n"
      "X-Inner: 1\n"
      "Received: from mail.example.com (mail.example.com [203.0.113.5]) by EXCH01.corp.test "
      "(Postfix) with ESMTP id 4ABC123; Mon, 1 Jan 2024 10:00:00 +0000\n"
      "X-Outer: 1\n"
      "From: a@example.com\n\nbody\n";
  mime::Message m = mime::parseMessage(raw);
  content::SaMessageText text(raw, m);
  std::vector<std::string> received;
  for (const auto& h : m.root.headers)
    if (h.name == "Received") received.push_back(h.value);
  RelayPath p = analyseRelays(received, {}, {}, std::nullopt);
  text.setRelays(&p);
  rules::HeaderQuery q;
  q.name = "ALL-TRUSTED";
  auto trusted = text.header(q);
  // Down to and including the Received line that crosses the boundary.
  REQUIRE(trusted.size() == 3);
  CHECK(trusted.back().starts_with("Received: from mail.example.com"));
  q.name = "ALL-UNTRUSTED";
  auto untrusted = text.header(q);
  REQUIRE(untrusted.size() == 3);
  CHECK(untrusted.front().starts_with("Received: from mail.example.com"));
  q.name = "X-Spam-Relays-Untrusted";
  CHECK(text.header(q) == std::vector<std::string>{relaysText(p.untrusted)});
}
