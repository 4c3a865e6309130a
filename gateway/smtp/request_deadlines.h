// Deadlines for what a client sends, however slowly it trickles it (slowloris). A read's own
// timeout (the idle timeout) is re-armed by every byte; these are not: a command line must be
// whole within the command timeout from its first byte, and DATA must keep up a minimum rate
// (Postfix's smtpd_min_data_rate with smtpd_per_request_deadline) and end within the data
// timeout. Sans-I/O: the driver tells it what happened and when, and asks for the next deadline.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::smtp {

struct DeadlineSettings {
  std::chrono::milliseconds idle{300'000};
  std::chrono::milliseconds command{300'000};
  std::chrono::milliseconds data{1'800'000};
  uint32_t minDataRate = 500;  // bytes/s; 0 = none
};

class RequestDeadlines {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Limit { Idle, Command, DataRate, DataTimeout };
  struct Next {
    Clock::time_point at;
    Limit limit;
  };

  explicit RequestDeadlines(DeadlineSettings s) : s_(s) {}

  // Before each read: where the session stands. `linesTaken` counts the command lines the
  // session has consumed so far (a new one restarts the command clock); `midCommand` says part
  // of a line is buffered; `inData` that message data is being read.
  Next beforeRead(Clock::time_point now, bool inData, bool midCommand, uint64_t linesTaken);
  // After a read that brought `bytes` bytes.
  void afterRead(Clock::time_point now, size_t bytes);
  // What the client failed to do, for the 421 and the log line ("command line not complete
  // within 300 s").
  std::string describe(Limit limit, Clock::time_point now) const;
  // The metric label: idle, command, data_rate, data_timeout.
  static std::string_view label(Limit limit);

 private:
  DeadlineSettings s_;
  std::optional<Clock::time_point> commandStart_;
  uint64_t lines_ = 0;
  std::optional<Clock::time_point> dataStart_;
  Clock::time_point rateDeadline_{};
  uint64_t dataBytes_ = 0;
  bool inData_ = false;
};

}  // namespace portcullis::smtp
