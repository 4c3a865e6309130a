// The message's MIME structure as SpamAssassin's Mail::SpamAssassin::Message builds it: the
// parts in find_parts() order, each leaf with its raw (still transfer-encoded) body lines, and
// the parse flags check_msg_parse_flags reads. The MIME evals count lines, line lengths and
// header quirks exactly as SpamAssassin sees them, which the gateway's decoded tree
// (gateway/mime) does not keep; this walk is bounded (SpamAssassin's own limits: 1000 parts
// per multipart, 20 levels, 2048-byte body lines) and never fails.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portcullis::content::evals {

// Mail::SpamAssassin::Util::parse_content_type.
struct SaContentType {
  std::string type;  // lower case, "text/plain" when missing
  bool hasBoundary = false;
  std::string boundary;
  bool hasCharset = false;
  std::string charset;
  std::string name;
  bool missing = false;
};
SaContentType parseSaContentType(std::string_view value);

struct SaPart {
  std::string type;  // $part->{type}
  // Lower-cased name, value unfolded and trimmed (Node::header), in order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> raw;  // leaf body lines, each with its line end
  std::vector<size_t> children;  // indexes into SaMimeTree::parts
  bool leaf = true;
  std::string name;  // $part->{name}: Content-Disposition name=, else Content-Type name

  // The last value of `name` (lower case), "" when absent (Node::header in scalar context).
  std::string header(std::string_view name) const;
  // Every value of `name`.
  std::vector<std::string> headerAll(std::string_view name) const;
  // The leaf's body after its Content-Transfer-Encoding (Node::decode), at most `limit` bytes.
  std::string decode(size_t limit = std::string::npos) const;
};

struct SaMimeTree {
  std::vector<SaPart> parts;  // parts[0] is the message itself
  size_t pristineBodyLength = 0;
  // Message->{...} flags for check_msg_parse_flags.
  bool truncatedHeader = false;
  bool missingHeadBodySeparator = false;
  bool missingMimeHeadBodySeparator = false;
  bool missingMimeHeaders = false;
  bool mimeEpilogueExists = false;
  bool mimepartLimitExceeded = false;
  bool missingBoundary = false;  // some boundary opened and never closed (mime_boundary_state)

  // Node::find_parts: `from` and its descendants in document order; `recursive` false stops
  // one level down.
  template <class Pred>
  std::vector<const SaPart*> findParts(Pred matches, bool onlyLeaves, size_t from = 0,
                                       bool recursive = true) const {
    std::vector<const SaPart*> found;
    collect(from, matches, onlyLeaves, recursive ? -1 : 1, found);
    return found;
  }

 private:
  template <class Pred>
  void collect(size_t index, Pred& matches, bool onlyLeaves, int depth,
               std::vector<const SaPart*>& found) const {
    const SaPart& part = parts[index];
    if (matches(part.type) && (!onlyLeaves || part.leaf)) found.push_back(&part);
    if (part.leaf || depth == 0) return;
    for (size_t child : part.children) collect(child, matches, onlyLeaves, depth - 1, found);
  }
};

SaMimeTree parseSaMimeTree(std::string_view raw);

// Mail::SpamAssassin::Message::split_into_array_of_short_paragraphs.
std::vector<std::string> splitIntoShortParagraphs(const std::string& text);

}  // namespace portcullis::content::evals
