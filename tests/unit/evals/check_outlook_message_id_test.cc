#include <catch2/catch.hpp>

#include "gateway/content/evals/header_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::HeaderEvalFixture;

namespace {
// 01c25332 is the token Outlook wrote at Tue, 3 Sep 2002 10:11:12 +0000.
int run(const std::string& messageId, const std::string& date) {
  HeaderEvalFixture f("Message-ID: " + messageId + "\r\nDate: " + date +
                      "\r\nReceived: from a by b; Tue, 3 Sep 2002 10:11:12 +0000\r\n\r\nbody\r\n");
  return checkOutlookMessageId(f.ctx, {});
}
}  // namespace

TEST_CASE("check_outlook_message_id", "[evals][header]") {
  const std::string id = "<000001c25332$0a1b2c3d$6401a8c0@host>";
  CHECK(run(id, "Tue, 3 Sep 2002 10:11:12 +0000") == 0);  // the Date agrees
  CHECK(run(id, "Tue, 3 Sep 2002 10:30:00 +0000") == 0);  // within the fudge
  // The Date is a week off, but the Received date agrees.
  CHECK(run(id, "Tue, 10 Sep 2002 10:11:12 +0000") == 0);
  // Neither agrees with a token from 2001.
  CHECK(run("<000001c0ffff$0a1b2c3d$6401a8c0@host>", "Tue, 3 Sep 2002 10:11:12 +0000") == 1);
  CHECK(run("<not-outlook@host>", "Tue, 3 Sep 2002 10:11:12 +0000") == 0);
  CHECK(run("<000001C0FFFF$0a1b2c3d$6401a8c0@host>", "Tue, 3 Sep 2002 10:11:12 +0000") == 0);
}
