// The freemail settings the tests share: a few domains as the stock 20_freemail_domains.cf
// writes them (one wildcard), and the TLDs the address pattern needs.
#pragma once
#include "gateway/content/evals/eval_settings.h"

namespace portcullis::content::evals::testing {

inline EvalSettings freemailSettings() {
  return EvalSettings({{"freemail_domains", "gmail.com hotmail.com yahoo.co.uk", "t.cf", 1},
                       {"freemail_domains", "mail.ru yahoo.*", "t.cf", 2},
                       {"freemail_welcomelist", "friend@gmail.com", "t.cf", 3},
                       {"util_rb_tld", "com org net ru uk fr", "t.cf", 4}});
}

}  // namespace portcullis::content::evals::testing
