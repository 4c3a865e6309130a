// `portcullis scan`: runs the pipeline on message files, as the proxy would on the same
// envelope, and reports action, score, symbols and the headers it would add.
#pragma once
#include <string>
#include <vector>

namespace portcullis::cli {

int scanCommand(const std::vector<std::string>& args);

// Message files usually have LF line ends and sometimes an mbox "From " line; the pipeline
// sees what SMTP would deliver: CRLF lines, no envelope line.
std::string asSmtpMessage(std::string raw);

}  // namespace portcullis::cli
