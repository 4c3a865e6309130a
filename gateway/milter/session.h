// One milter connection from an MTA, without I/O: commands in, replies out, and the points
// where the driver must run a pipeline stage. It fills the same SessionInfo and Transaction as
// the SMTP proxy, so the checks and the verdict are the same whichever door a message used.
//
//   Step s = session.handle(command);
//   switch (s.kind) {
//     case Reply:         write s.bytes
//     case RunStage:      run s.stage over the session's context; write stageDone(outcome)
//     case EndOfMessage:  run the data and verdict stages, decide; write finish(...)
//     case Nothing:       the MTA expects no reply (SMFIP_NR_* or abort)
//     case Close:         write s.bytes (may be empty) and close
//   }
//
// Negotiation asks for no replies to headers, end of headers, body chunks, DATA and unknown
// commands where the MTA offers it (they only ever continue), and for header values with their
// leading space (SMFIP_HDR_LEADSPC), so the message is rebuilt byte for byte for DKIM.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/check.h"
#include "gateway/core/headers.h"
#include "gateway/core/stage.h"
#include "gateway/core/transaction.h"
#include "gateway/milter/codec.h"

namespace portcullis::milter {

struct MilterSettings {
  std::string authservId;  // Authentication-Results fields claiming it are removed (RFC 8601 5)
  size_t maxMessageBytes = 50 * 1024 * 1024;
};

class MilterSession {
 public:
  struct Step {
    enum class Kind { Reply, RunStage, EndOfMessage, Nothing, Close };
    Kind kind = Kind::Nothing;
    std::string bytes;
    core::Stage stage = core::Stage::Connect;
    std::string error;  // Close on a protocol error: what was wrong, for the log
  };

  MilterSession(std::string id, MilterSettings settings);

  Step handle(Command command);
  // The reply to the stage handle() asked for (empty when the MTA wants none).
  std::string stageDone(const core::StageOutcome& outcome);
  // The end of a message: header changes (forged Authentication-Results removed, `add`
  // inserted at the top in order) when accepted, then the final reply.
  std::string finish(const core::Decision& d, const std::vector<core::HeaderField>& add);

  core::SessionInfo& info() { return info_; }
  core::Transaction* transaction() { return tx_.get(); }
  const OptNeg& negotiated() const { return negotiated_; }
  // A macro the MTA sent for the current connection or message ("i", "{auth_authen}").
  std::optional<std::string> macro(const std::string& name) const;
  bool oversize() const { return oversize_; }

 private:
  Step reply(std::string bytes, uint32_t noReplyFlag);
  Step stage(core::Stage s);
  void newTransaction();
  void endTransaction();
  void resetConnection();
  void applyMacros(char forCommand);

  std::string id_;
  MilterSettings settings_;
  OptNeg negotiated_;
  core::SessionInfo info_;
  std::unique_ptr<core::Transaction> tx_;
  int txCount_ = 0;
  std::map<char, std::map<std::string, std::string>> macros_;  // by the command they came with
  std::optional<core::Stage> pending_;                         // the stage whose reply is owed
  // Fields named Authentication-Results or a mangled form of it, in order: the name as
  // received and whether it goes (claims our authserv-id, or the name is mangled).
  std::vector<std::pair<std::string, bool>> authResultsSeen_;
  bool oversize_ = false;
  bool inBody_ = false;
};

}  // namespace portcullis::milter
