// A message for the HTML eval tests: parsed, rendered and wrapped in an EvalContext, with the
// registry the rules would use, so each test runs a function by its SpamAssassin name.
#pragma once
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/content/evals/eval_context.h"
#include "gateway/content/evals/eval_registry.h"
#include "gateway/content/evals/html_facts.h"
#include "gateway/content/sa_text.h"
#include "gateway/mime/message.h"

namespace portcullis::content::evals::testing {

// A one-part text/html message.
inline std::string htmlMessage(std::string_view html, std::string_view subject = "Hello there") {
  return "From: a@example.com\r\nTo: b@example.org\r\nSubject: " + std::string(subject) +
         "\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
         std::string(html) + "\r\n";
}

class EvalMessage {
 public:
  explicit EvalMessage(std::string raw, std::vector<rules::Setting> settingLines = {})
      : raw_(std::move(raw)),
        message_(mime::parseMessage(raw_)),
        text_(raw_, message_),
        settings_(std::move(settingLines)),
        context_(raw_, message_, text_, path_, settings_, {}),
        registry_(buildEvalRegistry(settings_)) {}

  int run(std::string_view function, std::vector<std::string> args = {}) const {
    const EvalEntry* entry = registry_->find(function);
    REQUIRE(entry != nullptr);
    return entry->run(context_, args);
  }
  const HtmlFacts& facts() const { return context_.facts<HtmlFacts>(); }

 private:
  std::string raw_;
  mime::Message message_;
  SaMessageText text_;
  relays::RelayPath path_;
  EvalSettings settings_;
  EvalContext context_;
  std::shared_ptr<const EvalRegistry> registry_;
};

}  // namespace portcullis::content::evals::testing
