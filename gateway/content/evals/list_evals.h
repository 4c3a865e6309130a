// SpamAssassin's WLBLEval.pm eval functions, one file each, over the rule set's address lists
// (parsed once when the registry is built).
#pragma once
#include <string>
#include <vector>

#include "gateway/content/evals/address_lists.h"
#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

using ListArgs = std::vector<std::string>;

int checkFromInList(const AddressLists& lists, const EvalContext& ctx, const ListArgs& args);
int checkToInList(const AddressLists& lists, const EvalContext& ctx, const ListArgs& args);
int checkReplytoInList(const AddressLists& lists, const EvalContext& ctx, const ListArgs& args);
int checkFromInBlocklist(const AddressLists& lists, const EvalContext& ctx, const ListArgs& args);
int checkToInBlocklist(const AddressLists& lists, const EvalContext& ctx, const ListArgs& args);
int checkToInWelcomelist(const AddressLists& lists, const EvalContext& ctx, const ListArgs& args);
int checkToInMoreSpam(const AddressLists& lists, const EvalContext& ctx, const ListArgs& args);
int checkToInAllSpam(const AddressLists& lists, const EvalContext& ctx, const ListArgs& args);
int checkFromInWelcomelist(const AddressLists& lists, const EvalContext& ctx, const ListArgs& args);
int checkFromInDefaultWelcomelist(const AddressLists& lists, const EvalContext& ctx,
                                  const ListArgs& args);

// Whether any address of `addresses` is in the named list.
bool anyInList(const AddressLists& lists, std::string_view list,
               const std::vector<std::string>& addresses);

}  // namespace portcullis::content::evals
