#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

TEST_CASE("check_msg_parse_flags", "[evals][mime]") {
  std::string noHeaders =
      "From: a@b.c\nContent-Type: multipart/mixed; boundary=q\n\n--q\n"
      "just text\n--q--\n";
  CHECK(runEval("check_msg_parse_flags", noHeaders, {"missing_mime_headers"}) == 1);
  std::string epilogue =
      "From: a@b.c\nContent-Type: multipart/mixed; boundary=q\n\n--q\n"
      "Content-Type: text/plain\n\nhi\n--q--\nafterwards\n";
  CHECK(runEval("check_msg_parse_flags", epilogue, {"mime_epilogue_exists"}) == 1);
  CHECK(runEval("check_msg_parse_flags", epilogue, {"missing_mime_headers"}) == 0);
  std::string noSeparator =
      "From: a@b.c\nContent-Type: multipart/mixed; boundary=q\n\n--q\n"
      "Content-Type: text/plain\nhi there\n--q--\n";
  CHECK(runEval("check_msg_parse_flags", noSeparator, {"missing_mime_head_body_separator"}) == 1);
  CHECK(runEval("check_msg_parse_flags", epilogue, {"missing_mime_head_body_separator"}) == 0);
  CHECK(runEval("check_msg_parse_flags", "From: a@b.c\nSubject: x",
                {"missing_head_body_separator"}) == 1);
  CHECK(runEval("check_msg_parse_flags", "From: a@b.c\n\nbody\n",
                {"missing_head_body_separator"}) == 0);
  std::string longHeader = "From: a@b.c\nX-Long: " + std::string(9000, 'a') + "\n\nbody\n";
  CHECK(runEval("check_msg_parse_flags", longHeader, {"truncated_header"}) == 1);
  CHECK(runEval("check_msg_parse_flags", epilogue, {"truncated_header"}) == 0);
}
