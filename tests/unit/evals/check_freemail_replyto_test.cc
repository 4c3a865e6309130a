#include <catch2/catch.hpp>

#include "freemail_fixture.h"
#include "gateway/content/evals/freemail_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

namespace {
int run(const std::string& headers, const std::string& body, const std::string& what) {
  FreemailConfig config(freemailSettings());
  HeaderEvalFixture f(headers + "Subject: x\r\n\r\n" + body + "\r\n");
  return checkFreemailReplyto(config, f.ctx, {what});
}
}  // namespace

TEST_CASE("check_freemail_replyto", "[evals][header][freemail]") {
  // Different freemails in From and Reply-To.
  CHECK(run("From: a@gmail.com\r\nReply-To: b@hotmail.com\r\n", "hi", "replyto") == 1);
  CHECK(run("From: a@gmail.com\r\nReply-To: a@gmail.com\r\n", "hi", "replyto") == 0);
  // A freemail Reply-To and another freemail in the body.
  CHECK(run("From: a@example.com\r\nReply-To: b@hotmail.com\r\n", "write to c@mail.ru now",
            "replyto") == 1);
  CHECK(run("From: a@example.com\r\nReply-To: b@hotmail.com\r\n", "write to b@hotmail.com",
            "replyto") == 0);
  // 'reply': no Reply-To, a freemail From, another freemail in the body.
  CHECK(run("From: a@gmail.com\r\n", "contact c@mail.ru today", "reply") == 1);
  CHECK(run("From: a@gmail.com\r\n", "contact c@mail.ru today", "replyto") == 0);
  CHECK(run("From: a@example.com\r\n", "contact c@mail.ru today", "reply") == 0);
  // Addresses inside URLs or labelled ("x@y.com web:") do not count.
  CHECK(run("From: a@gmail.com\r\n", "see http://t.example.com/?u=c@mail.ru", "reply") == 0);
  CHECK(run("From: a@gmail.com\r\n", "c@mail.ru web: here", "reply") == 0);
  // Too many addresses in the body: the body is not judged.
  CHECK(run("From: a@gmail.com\r\n", "c@mail.ru d@mail.ru e@mail.ru f@example.com g@example.com",
            "reply") == 0);
  CHECK(run("From: a@gmail.com\r\nReply-To: b@hotmail.com\r\n", "hi", "bogus") == 0);
}

TEST_CASE("check_freemail_replyto: a list's envelope sender is skipped",
          "[evals][header][freemail]") {
  FreemailConfig config(freemailSettings());
  Envelope envelope;
  envelope.mailFrom = "owner-list@lists.example.org";
  std::string raw = "From: a@gmail.com\r\nReply-To: b@hotmail.com\r\n\r\nhi\r\n";
  portcullis::mime::Message message = portcullis::mime::parseMessage(raw);
  portcullis::content::SaMessageText text(raw, message, envelope.mailFrom);
  portcullis::content::relays::RelayPath path;
  EvalSettings settings;
  EvalContext ctx(raw, message, text, path, settings, envelope);
  CHECK(checkFreemailReplyto(config, ctx, {"replyto"}) == 0);
  portcullis::content::SaMessageText plain(raw, message, std::string("a@gmail.com"));
  EvalContext ctx2(raw, message, plain, path, settings, envelope);
  CHECK(checkFreemailReplyto(config, ctx2, {"replyto"}) == 1);
}
