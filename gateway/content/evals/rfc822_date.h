// SpamAssassin's Util::parse_rfc822_date: the loose date parser its date tests rely on.
// It finds the day-month-year triple anywhere, then a time, then a zone, and fudges what is
// out of range (second 60, 31 April, year 2050) rather than giving up, so a test that compares
// dates agrees with SpamAssassin only when the same parser reads both sides.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace portcullis::content::evals {

// Seconds since the epoch (UTC), or nothing when no date is found.
std::optional<int64_t> parseRfc822Date(std::string_view date);

}  // namespace portcullis::content::evals
