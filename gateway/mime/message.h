// An RFC 5322 / MIME message as a tree of parts, decoded: the view content checks read.
// Parsing never fails: malformed structure is parsed as well as it can be and each oddity is
// recorded as an anomaly symbol (MIME_*), as are the limits when one is hit.
#pragma once
#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/mime/headers.h"
#include "gateway/mime/html_prescan.h"
#include "gateway/mime/work_budget.h"

namespace portcullis::mime {

struct Limits {
  int maxDepth = 20;                          // nested multiparts / message/rfc822
  size_t maxParts = 1000;
  size_t maxDecodedBytes = 64 * 1024 * 1024;  // across all parts
  HtmlLimits html;                            // each HTML part (MIME_HTML_LIMIT)
  // CPU time the content work of one message may take, parse and rules together; past it the
  // work stops and SCAN_TIME_LIMIT says so. Zero: no limit.
  std::chrono::milliseconds maxScanTime{5000};
};

struct Part {
  std::vector<Header> headers;
  std::string type = "text";  // lower-cased media type and subtype
  std::string subtype = "plain";
  std::map<std::string, std::string> params;  // Content-Type parameters
  std::string transferEncoding = "7bit";
  std::string disposition;  // "inline", "attachment" or ""
  std::string filename;     // from Content-Disposition filename or Content-Type name
  std::string decoded;      // leaf body after transfer decoding (bytes)
  std::string text;         // text/* leaves: the body as UTF-8
  std::string rendered;     // text/html leaves: visible text
  std::vector<Part> children;  // multipart parts, or the message of a message/rfc822 part
  int depth = 0;

  std::string mediaType() const { return type + "/" + subtype; }
  bool isText() const { return type == "text" && children.empty(); }
  bool isAttachment() const;
  const Header* header(std::string_view name) const;
};

struct Attachment {
  std::string filename;
  std::string declaredType;
  std::string sniffedType;  // "" when the bytes match no known signature
  size_t size = 0;
};

struct Message {
  Part root;  // root.headers are the message's own headers
  std::vector<std::string> anomalies;  // MIME_* symbol names, each once
  std::vector<std::string> urls;       // from text and HTML, in order, duplicates kept once
  std::vector<Attachment> attachments;
  size_t partCount = 0;
  size_t decodedBytes = 0;
  bool headerEightBit = false;
  Limits limits;       // what the message was parsed with
  // Started when parsing started; the content checks that read the message spend the rest.
  WorkBudget budget;

  const Header* header(std::string_view name) const { return root.header(name); }
  // Every text leaf (plain text, rendered HTML) in document order, the way a reader sees it.
  template <typename F>
  void forEachTextPart(F&& f) const { visitText(root, f); }

 private:
  template <typename F>
  static void visitText(const Part& p, F& f) {
    if (p.children.empty()) {
      if (p.isText() && !p.isAttachment()) f(p);
      return;
    }
    for (const auto& c : p.children) visitText(c, f);
  }
};

Message parseMessage(std::string_view raw, const Limits& limits = {});

}  // namespace portcullis::mime
