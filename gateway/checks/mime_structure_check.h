// Data stage: structural facts of the MIME message as symbols. Parser anomalies and hit limits
// (MIME_*), and attachments that are executables or whose content contradicts their declared
// type or name (ATTACHMENT_*).
#pragma once
#include <map>
#include <string>

#include "gateway/core/check.h"
#include "gateway/mime/message.h"

namespace portcullis::checks {

struct MimeSettings {
  mime::Limits limits;
  std::map<std::string, double> scores;  // symbol -> score; defaults from defaultMimeScores()
};

std::map<std::string, double> defaultMimeScores();

class MimeStructureCheck final : public core::Check {
 public:
  explicit MimeStructureCheck(MimeSettings settings) : settings_(std::move(settings)) {}
  std::string_view name() const override { return "mime_structure"; }
  core::Stage stage() const override { return core::Stage::Data; }
  void run(const core::CheckContext& ctx, core::StageOutcome& out,
           std::function<void()> done) const override;

 private:
  double score(const std::string& symbol) const;
  MimeSettings settings_;
};

}  // namespace portcullis::checks
