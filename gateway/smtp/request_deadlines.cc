#include "gateway/smtp/request_deadlines.h"

#include <algorithm>
#include <cstdio>

namespace portcullis::smtp {

namespace {
std::string secondsText(std::chrono::steady_clock::duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", std::chrono::duration<double>(d).count());
  return buf;
}
}  // namespace

RequestDeadlines::Next RequestDeadlines::beforeRead(Clock::time_point now, bool inData,
                                                    bool midCommand, uint64_t linesTaken) {
  Next next{now + s_.idle, Limit::Idle};
  auto consider = [&](Clock::time_point at, Limit limit) {
    if (at < next.at) next = {at, limit};
  };
  inData_ = inData;
  if (inData) {
    if (!dataStart_) {
      dataStart_ = now;
      dataBytes_ = 0;
      // The first command timeout is free; after that the bytes buy the time (afterRead).
      rateDeadline_ = now + s_.command;
    }
    commandStart_.reset();
    if (s_.minDataRate > 0) consider(rateDeadline_, Limit::DataRate);
    consider(*dataStart_ + s_.data, Limit::DataTimeout);
    return next;
  }
  dataStart_.reset();
  // A line was taken since the last read: the clock runs for the line now buffered, if any.
  if (linesTaken != lines_) commandStart_.reset();
  lines_ = linesTaken;
  if (!midCommand) {
    commandStart_.reset();
  } else {
    if (!commandStart_) commandStart_ = now;
    consider(*commandStart_ + s_.command, Limit::Command);
  }
  return next;
}

void RequestDeadlines::afterRead(Clock::time_point now, size_t bytes) {
  if (!inData_ || !dataStart_) return;
  dataBytes_ += bytes;
  if (s_.minDataRate == 0) return;
  // Postfix's smtpd_min_data_rate: N bytes buy N/rate seconds, but never more than the command
  // timeout ahead, so a fast start cannot be banked for a stall later.
  const auto bought = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(static_cast<double>(bytes) / s_.minDataRate));
  rateDeadline_ = std::min(rateDeadline_ + bought, now + s_.command);
}

std::string RequestDeadlines::describe(Limit limit, Clock::time_point now) const {
  switch (limit) {
    case Limit::Idle:
      return "nothing received for " + secondsText(s_.idle);
    case Limit::Command:
      return "command line not complete within " + secondsText(s_.command);
    case Limit::DataRate:
      return "message data below the minimum rate of " + std::to_string(s_.minDataRate) +
             " bytes/s (" + std::to_string(dataBytes_) + " bytes in " +
             secondsText(now - dataStart_.value_or(now)) + ")";
    case Limit::DataTimeout:
      return "message data not complete within " + secondsText(s_.data) + " (" +
             std::to_string(dataBytes_) + " bytes)";
  }
  return "timeout";
}

std::string_view RequestDeadlines::label(Limit limit) {
  switch (limit) {
    case Limit::Idle:
      return "idle";
    case Limit::Command:
      return "command";
    case Limit::DataRate:
      return "data_rate";
    case Limit::DataTimeout:
      return "data_timeout";
  }
  return "idle";
}

}  // namespace portcullis::smtp
