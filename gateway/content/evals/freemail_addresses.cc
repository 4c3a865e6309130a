// Address helpers shared by the FreeMail evals.
#include <cctype>

#include "gateway/content/evals/freemail_evals.h"

namespace portcullis::content::evals {

std::vector<std::string> lowerAddresses(const EvalContext& ctx, const std::string& header) {
  std::vector<std::string> out;
  for (std::string address : ctx.getAll(header + ":addr")) {
    if (address.ends_with('\n')) address.pop_back();
    for (char& c : address) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.push_back(std::move(address));
  }
  return out;
}

}  // namespace portcullis::content::evals
