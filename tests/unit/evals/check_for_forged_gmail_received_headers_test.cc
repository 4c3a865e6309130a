#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

TEST_CASE("check_for_forged_gmail_received_headers: @gmail.com without Gmail's marks",
          "[evals][relay]") {
  RelayEvalMessage msg(
      "Received: from dsl.example.net (dsl.example.net [203.0.113.5]) by mx.example.org; 1 Jan "
      "2020\n"
      "From: someone@gmail.com\n\nbody\n");
  CHECK(checkForForgedGmailReceivedHeaders(msg.ctx(), {}) == 1);
}

TEST_CASE("check_for_forged_gmail_received_headers: Gmail's X-Received or submission host",
          "[evals][relay]") {
  RelayEvalMessage internal(
      "Received: from mail-wr1-f41.google.com (mail-wr1-f41.google.com [209.85.221.41])\n"
      "    by mx.example.org with ESMTPS id 42; 1 Jan 2020\n"
      "X-Received: by 2002:a17:906:4e8b:b0:33d:1234:5678 with SMTP id "
      "v11mr1234567wrs.12.1700000000000;\n"
      "    Tue, 14 Nov 2023 12:00:00 -0800 (PST)\n"
      "From: someone@gmail.com\n\nbody\n");
  CHECK(checkForForgedGmailReceivedHeaders(internal.ctx(), {}) == 0);
  RelayEvalMessage submission(
      "Received: from [192.168.1.2] ([203.0.113.5]) by smtp.googlemail.com with ESMTPSA id x1sm1\n"
      "    for <a@example.org>; 1 Jan 2020\n"
      "From: someone@gmail.com\n\nbody\n");
  CHECK(checkForForgedGmailReceivedHeaders(submission.ctx(), {}) == 0);
  RelayEvalMessage shortState(
      "Received: from dsl.example.net (dsl.example.net [203.0.113.5]) by mx.example.org; 1 Jan "
      "2020\n"
      "X-Gm-Message-State: short\nX-Google-Smtp-Source: short\n"
      "From: someone@gmail.com\n\nbody\n");
  CHECK(checkForForgedGmailReceivedHeaders(shortState.ctx(), {}) == 1);
}
