#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "gateway/quarantine/quarantine_store.h"

using namespace portcullis::quarantine;

namespace {
struct TempDir {
  std::string path;
  TempDir() {
    char t[] = "/tmp/portcullis-quarantine-XXXXXX";
    path = mkdtemp(t);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

Entry entry(std::string id) {
  Entry e;
  e.id = std::move(id);
  e.mailFrom = "spammer@sender.test";
  e.recipients = {"bob@example.com", "carol@example.com"};
  e.client = "192.0.2.7";
  e.helo = "client.test";
  e.score = 1003.5;
  e.decidedBy = "score";
  // Long enough to be folded.
  for (int i = 0; i < 12; ++i) e.symbols += "SYMBOL_NUMBER_" + std::to_string(i) + "(1.00) ";
  e.symbols.pop_back();
  return e;
}
}  // namespace

TEST_CASE("quarantine store: hold, list, find, message, keep recipients, remove") {
  TempDir dir;
  QuarantineStore store(dir.path + "/q");
  REQUIRE(store.create().empty());
  const std::string prepend = "Received: from client.test by gw.test\r\n";
  const std::string message =
      "From: Spammer <spammer@sender.test>\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\n\r\nbody\r\n";
  const std::string id = store.hold(entry("1A2B.1"), prepend, message);
  CHECK(id == "1A2B.1");
  // The same transaction id again (a restart within the same second): a suffix, no overwrite.
  const std::string again = store.hold(entry("1A2B.1"), prepend, message);
  CHECK(again == "1A2B.1-2");
  CHECK(std::filesystem::is_empty(dir.path + "/q/tmp"));

  auto held = store.read(id);
  REQUIRE(held);
  const Entry* e = &held->entry;
  CHECK(e->mailFrom == "spammer@sender.test");
  CHECK(e->recipients == std::vector<std::string>{"bob@example.com", "carol@example.com"});
  CHECK(e->helo == "client.test");
  CHECK(e->client == "192.0.2.7");
  CHECK(e->score == Approx(1003.5));
  CHECK(e->symbols == entry("x").symbols);
  CHECK(e->subject == "café");
  CHECK(e->from == "Spammer <spammer@sender.test>");
  CHECK(e->time > 0);
  CHECK(held->message == prepend + message);

  auto all = store.list();
  REQUIRE(all.size() == 2);
  CHECK(all[0].size == prepend.size() + message.size());

  REQUIRE(store.keepRecipients(id, {"carol@example.com"}));
  CHECK(store.read(id)->entry.recipients == std::vector<std::string>{"carol@example.com"});
  CHECK(store.read(id)->message == prepend + message);

  CHECK(store.remove(id));
  CHECK_FALSE(store.remove(id));
  CHECK_FALSE(store.read(id));
  CHECK(store.list().size() == 1);
}

TEST_CASE("quarantine store: ids and files that are not ours") {
  CHECK(QuarantineStore::validId("1A2B.1-2"));
  CHECK_FALSE(QuarantineStore::validId(""));
  CHECK_FALSE(QuarantineStore::validId("../x"));
  CHECK_FALSE(QuarantineStore::validId(".hidden"));
  CHECK_FALSE(QuarantineStore::validId("a b"));
  TempDir dir;
  QuarantineStore store(dir.path);
  REQUIRE(store.create().empty());
  std::ofstream(dir.path + "/new/stray") << "Subject: not held by us\r\n\r\nx\r\n";
  std::vector<std::string> problems;
  CHECK(store.list(&problems).empty());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("stray: not a quarantined message") != std::string::npos);
  CHECK_FALSE(parseFile("X-Quarantine-Id: x"));  // cut inside the block
  CHECK(parseFile("X-Quarantine-Id: x\r\n")->message.empty());
  CHECK_THROWS_WITH(store.hold(entry("../evil"), "", "x"), Catch::Contains("unusable id"));
}
