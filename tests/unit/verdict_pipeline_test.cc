// Verdict thresholds, forced actions, the pipeline's early stop and asynchronous completion,
// and per-domain policies.
#include <catch2/catch.hpp>

#include "gateway/core/pipeline.h"

using namespace portcullis::core;

TEST_CASE("thresholds pick the harshest action reached") {
  Verdict v;
  v.add({"A", 3, "", Stage::Data});
  v.add({"B", 4, "", Stage::Data});
  Thresholds t;  // reject 15, add_headers 6
  CHECK(v.decide(t).action == Action::AddHeaders);
  t.tempfail = 5;
  CHECK(v.decide(t).action == Action::Tempfail);
  CHECK(v.decide(t).reply.code == 451);
  v.add({"C", 10, "", Stage::Data});
  CHECK(v.decide(t).action == Action::Reject);
  CHECK(v.decide(t).reply.code == 550);
  Thresholds none{std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  CHECK(v.decide(none).action == Action::Accept);
}

TEST_CASE("a forced action wins over a lower score and names its symbol") {
  Verdict v;
  v.add({"GOOD", -100, "", Stage::Connect});
  v.force({Action::Reject, makeReply(554, "5.7.1", "no"), "CLIENT_DENYLISTED"});
  auto d = v.decide({});
  CHECK(d.action == Action::Reject);
  CHECK(d.reply.code == 554);
  CHECK(d.decidedBy == "CLIENT_DENYLISTED");
}

namespace {
struct FakeCheck : Check {
  std::string n;
  Stage s;
  std::function<void(StageOutcome&, std::function<void()>)> body;
  mutable int runs = 0;
  std::string_view name() const override { return n; }
  Stage stage() const override { return s; }
  void run(const CheckContext&, StageOutcome& out, std::function<void()> done) const override {
    ++runs;
    body(out, std::move(done));
  }
};
std::shared_ptr<FakeCheck> fake(std::string name, Stage s,
                                std::function<void(StageOutcome&, std::function<void()>)> body) {
  auto c = std::make_shared<FakeCheck>();
  c->n = std::move(name);
  c->s = s;
  c->body = std::move(body);
  return c;
}
}  // namespace

TEST_CASE("pipeline runs only the stage's enabled checks and stops after a decisive one") {
  auto deny = fake("deny", Stage::Connect, [](StageOutcome& o, auto done) {
    o.force({Action::Reject, {}, "DENY"});
    done();
  });
  auto later = fake("later", Stage::Connect, [](StageOutcome& o, auto done) {
    o.symbols.push_back({"LATER", 1, "", Stage::Connect});
    done();
  });
  auto rcpt = fake("rcpt", Stage::Rcpt, [](StageOutcome&, auto done) { done(); });
  Pipeline p({deny, later, rcpt});
  SessionInfo s;
  Policy pol;
  CheckContext ctx{s, nullptr, nullptr, pol};
  auto out = p.runNow(Stage::Connect, ctx);
  REQUIRE(out);
  CHECK(out->forced->symbol == "DENY");
  CHECK(later->runs == 0);
  CHECK(rcpt->runs == 0);

  pol.disabledChecks.insert("deny");
  out = p.runNow(Stage::Connect, ctx);
  REQUIRE(out);
  CHECK_FALSE(out->forced);
  CHECK(out->symbols.size() == 1);
}

TEST_CASE("pipeline waits for asynchronous checks, calling done exactly once") {
  std::vector<std::function<void()>> pending;
  auto async1 = fake("a1", Stage::Data, [&](StageOutcome& o, auto done) {
    pending.push_back([&o, done] {
      o.symbols.push_back({"A1", 1, "", Stage::Data});
      done();
    });
  });
  auto async2 = fake("a2", Stage::Data, [&](StageOutcome& o, auto done) {
    pending.push_back([&o, done] {
      o.symbols.push_back({"A2", 2, "", Stage::Data});
      done();
    });
  });
  Pipeline p({async1, async2});
  SessionInfo s;
  Policy pol;
  CheckContext ctx{s, nullptr, nullptr, pol};
  int calls = 0;
  StageOutcome result;
  p.run(Stage::Data, ctx, [&](StageOutcome o) {
    ++calls;
    result = std::move(o);
  });
  CHECK(calls == 0);
  REQUIRE(pending.size() == 2);  // both started before either finished
  pending[1]();
  CHECK(calls == 0);
  pending[0]();
  CHECK(calls == 1);
  CHECK(result.symbols.size() == 2);
}

TEST_CASE("policy map: exact domain, parent entries, default") {
  auto base = std::make_shared<Policy>();
  PolicyMap m(base);
  auto org = std::make_shared<Policy>();
  org->name = "example.org";
  auto sub = std::make_shared<Policy>();
  sub->name = ".example.net";
  m.add("Example.ORG", org);
  m.add(".example.net", sub);
  CHECK(m.forDomain("example.org") == org);
  CHECK(m.forDomain("EXAMPLE.org") == org);
  CHECK(m.forDomain("mx.example.org") == base);
  CHECK(m.forDomain("a.b.example.net") == sub);
  CHECK(m.forDomain("example.net") == base);
  CHECK(m.forDomain("other.test") == base);
}

TEST_CASE("a forced reject keeps its own reply even when the score also rejects") {
  Verdict v;
  v.add({"CLIENT_DENYLISTED", 20, "", Stage::Connect});
  v.force({Action::Reject, makeReply(554, "5.7.1", "Listed"), "CLIENT_DENYLISTED"});
  auto d = v.decide({});
  CHECK(d.reply.code == 554);
  CHECK(d.reply.text == "Listed");
  CHECK(d.decidedBy == "CLIENT_DENYLISTED");
}

TEST_CASE("a symbol counts once per verdict: first place kept, the stronger score wins") {
  Verdict v;
  v.add({"HELO_NOT_FQDN", 1.0, "HELO a", Stage::Helo});
  v.add({"SPF_NONE", 0.0, "", Stage::Data});
  v.add({"HELO_NOT_FQDN", 1.0, "HELO b", Stage::Helo});  // EHLO again
  v.add({"RBL_X", -0.5, "weak", Stage::Connect});
  v.add({"RBL_X", -2.0, "strong", Stage::Connect});
  v.add({"RBL_X", -1.0, "middle", Stage::Connect});
  REQUIRE(v.symbols().size() == 3);
  CHECK(v.symbols()[0].name == "HELO_NOT_FQDN");
  CHECK(v.symbols()[0].reason == "HELO a");
  CHECK(v.symbols()[2].score == -2.0);
  CHECK(v.symbols()[2].reason == "strong");
  CHECK(v.score() == -1.0);
  // The connection's symbols meet the transaction's: still once.
  Verdict tx;
  tx.add({"HELO_NOT_FQDN", 1.0, "HELO a", Stage::Helo});
  tx.add({"DKIM_NONE", 0.1, "", Stage::Data});
  v.merge(tx);
  CHECK(v.symbols().size() == 4);
  CHECK(v.score() == Approx(-0.9));
  CHECK(v.symbolList() == "HELO_NOT_FQDN(1.00),SPF_NONE(0.00),RBL_X(-2.00),DKIM_NONE(0.10)");
}
