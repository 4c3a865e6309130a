// check_msg_parse_flags(name): a quirk SpamAssassin's parser noted while splitting the message.
#include "gateway/content/evals/mime_evals.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {

int checkMsgParseFlags(const EvalContext& ctx, const Args& args) {
  if (args.empty()) return 0;
  const SaMimeTree& tree = ctx.facts<MimeFacts>().tree;
  const std::string& name = args[0];
  if (name == "truncated_header") return tree.truncatedHeader;
  if (name == "missing_head_body_separator") return tree.missingHeadBodySeparator;
  if (name == "missing_mime_head_body_separator") return tree.missingMimeHeadBodySeparator;
  if (name == "missing_mime_headers") return tree.missingMimeHeaders;
  if (name == "mime_epilogue_exists") return tree.mimeEpilogueExists;
  if (name == "mimepart_limit_exceeded") return tree.mimepartLimitExceeded;
  return 0;
}

}  // namespace portcullis::content::evals
