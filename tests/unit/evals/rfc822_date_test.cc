#include <catch2/catch.hpp>

#include "gateway/content/evals/rfc822_date.h"

using portcullis::content::evals::parseRfc822Date;

// Expected values checked against Mail::SpamAssassin::Util::parse_rfc822_date 4.0.0.
TEST_CASE("parse_rfc822_date: the forms SpamAssassin reads", "[evals][header]") {
  // 2002-09-03 10:11:12 UTC = 1031047872
  CHECK(parseRfc822Date("Tue, 3 Sep 2002 10:11:12 +0000") == 1031047872);
  CHECK(parseRfc822Date("Tue, 03 Sep 2002 12:11:12 +0200") == 1031047872);
  CHECK(parseRfc822Date("Tue, 3 Sep 2002 06:11:12 EDT") == 1031047872);
  // ctime: the clock is consumed with the date, so the time is midnight (as in Perl).
  CHECK(parseRfc822Date("Tue Sep  3 10:11:12 2002") == 1031011200);
  CHECK(parseRfc822Date("3 Sep 02 10:11:12 GMT") == 1031047872);    // two-digit year
  CHECK(parseRfc822Date("3 SEP 2002 10:11:12 XYZ") == 1031047872);  // unknown zone: -0000
  CHECK(parseRfc822Date("3 Sep 2002 10:11") == 1031047860);
  // Out of range: 31 Sep becomes 1 Oct, second 61 becomes 59.
  CHECK(parseRfc822Date("31 Sep 2002 00:00:61 +0000") == 1033430459);
  CHECK(parseRfc822Date("1 Jan 1970 00:00:00 +0100") == 0);
  CHECK(parseRfc822Date("1 Jan 2099 00:00:00 +0000") ==
        parseRfc822Date("1 Jan 2037 00:00:00 +0000"));
  CHECK_FALSE(parseRfc822Date("yesterday"));
  CHECK_FALSE(parseRfc822Date("0 Sep 2002 10:11:12"));
  CHECK_FALSE(parseRfc822Date(""));
}
