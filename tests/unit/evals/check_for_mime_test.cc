#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

TEST_CASE("check_for_mime: quoted-printable long line and base64 text", "[evals][mime]") {
  std::string longLine(90, 'a');
  std::string qp =
      "From: a@example.com\nSubject: s\nContent-Type: text/plain\n"
      "Content-Transfer-Encoding: quoted-printable\n\n" +
      longLine + "\nshort=41\n";
  CHECK(runEval("check_for_mime", qp, {"mime_qp_long_line"}) == 1);
  CHECK(runEval("check_for_mime", qp, {"mime_qp_count"}) == 1);
  CHECK(runEval("check_for_mime", qp, {"mime_base64_count"}) == 0);
  std::string shortQp =
      "From: a@example.com\nSubject: s\nContent-Type: text/plain\n"
      "Content-Transfer-Encoding: quoted-printable\n\nshort line\n";
  CHECK(runEval("check_for_mime", shortQp, {"mime_qp_long_line"}) == 0);
  std::string b64 =
      "From: a@example.com\nSubject: s\nContent-Type: text/plain; charset=us-ascii\n"
      "Content-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQK\n";
  CHECK(runEval("check_for_mime", b64, {"mime_base64_encoded_text"}) == 1);
  CHECK(runEval("check_for_mime", b64, {"mime_base64_count"}) == 1);
  std::string b64Utf8 =
      "From: a@example.com\nSubject: s\nContent-Type: text/plain; charset=utf-8\n"
      "Content-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQK\n";
  CHECK(runEval("check_for_mime", b64Utf8, {"mime_base64_encoded_text"}) == 0);
  // SpamAssassin 4.0 reads this one from the scan, where nothing sets it.
  CHECK(runEval("check_for_mime", b64, {"mimepart_limit_exceeded"}) == 0);
  CHECK(runEval("check_for_mime", b64, {}) == 0);
}

TEST_CASE("check_for_mime: bad ISO charset and attachments", "[evals][mime]") {
  std::string bad = "From: a@example.com\nContent-Type: text/plain; charset=iso-1234-5\n\nhi\n";
  CHECK(runEval("check_for_mime", bad, {"mime_bad_iso_charset"}) == 1);
  std::string good = "From: a@example.com\nContent-Type: text/plain; charset=iso-8859-1\n\nhi\n";
  CHECK(runEval("check_for_mime", good, {"mime_bad_iso_charset"}) == 0);
  std::string attached =
      "From: a@example.com\nContent-Type: multipart/mixed; boundary=x\n\n--x\n"
      "Content-Type: text/plain\n\nhi\n--x\nContent-Type: application/pdf\n"
      "Content-Disposition: attachment; filename=a.pdf\n\nJVBER\n--x--\n";
  CHECK(runEval("check_for_mime", attached, {"mime_attachment"}) == 1);
  CHECK(runEval("check_for_mime", good, {"mime_attachment"}) == 0);
}
