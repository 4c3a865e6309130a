// Helpers shared by the WLBLEval functions.
#include "gateway/content/evals/list_evals.h"

namespace portcullis::content::evals {

bool anyInList(const AddressLists& lists, std::string_view list,
               const std::vector<std::string>& addresses) {
  for (const std::string& address : addresses)
    if (lists.contains(list, address)) return true;
  return false;
}

}  // namespace portcullis::content::evals
