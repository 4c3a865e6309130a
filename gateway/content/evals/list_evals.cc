// SpamAssassin's list eval functions: the list of those implemented, one file each. The
// address lists are parsed once here and shared by the functions of this rule set.
#include "gateway/content/evals/list_evals.h"

#include <memory>

#include "gateway/content/evals/eval_registry.h"

namespace portcullis::content::evals {

void registerListEvals(EvalRegistry& registry, const EvalSettings& settings) {
  auto lists = std::make_shared<const AddressLists>(settings);
  auto bind = [lists](auto function) {
    return [lists, function](const EvalContext& ctx, const std::vector<std::string>& args) {
      return function(*lists, ctx, args);
    };
  };
  registry.add("check_from_in_list", bind(checkFromInList));
  registry.add("check_to_in_list", bind(checkToInList));
  registry.add("check_replyto_in_list", bind(checkReplytoInList));
  // The 4.0 names and the old ones (removed in SpamAssassin 4.1).
  for (const char* name : {"check_from_in_blocklist", "check_from_in_blacklist"})
    registry.add(name, bind(checkFromInBlocklist));
  for (const char* name : {"check_to_in_blocklist", "check_to_in_blacklist"})
    registry.add(name, bind(checkToInBlocklist));
  for (const char* name : {"check_to_in_welcomelist", "check_to_in_whitelist"})
    registry.add(name, bind(checkToInWelcomelist));
  registry.add("check_to_in_more_spam", bind(checkToInMoreSpam));
  registry.add("check_to_in_all_spam", bind(checkToInAllSpam));
  for (const char* name : {"check_from_in_welcomelist", "check_from_in_whitelist"})
    registry.add(name, bind(checkFromInWelcomelist));
  for (const char* name : {"check_from_in_default_welcomelist", "check_from_in_default_whitelist"})
    registry.add(name, bind(checkFromInDefaultWelcomelist));
}

}  // namespace portcullis::content::evals
