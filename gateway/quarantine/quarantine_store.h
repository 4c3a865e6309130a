// The quarantine: messages the verdict held back, kept with their envelope and verdict until an
// admin releases or deletes them. Embedded store: a maildir (DIR/tmp, DIR/new), one file per
// message named by its quarantine id, written to tmp/, fsynced, renamed into new/, so a held
// message survives a crash once the sender was told 250. A mail client can open the maildir:
// each file is the message as it would have gone downstream, after a leading block of
// X-Quarantine-* fields that carry the envelope and the verdict (removed again on release).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::quarantine {

struct Entry {
  std::string id;        // the file's name: the transaction id (with -N when taken)
  int64_t time = 0;      // when held, Unix seconds
  std::string mailFrom;  // "" for the null sender
  std::vector<std::string> recipients;
  bool body8bit = false;
  bool smtputf8 = false;
  std::string client;  // the client's address, as text
  std::string helo;
  double score = 0;
  std::string decidedBy;  // what chose the action ("score 12.3 >= 10", a symbol)
  std::string symbols;    // "NAME(score) NAME(score) ..."
  // From the message's own header, for listing; not used on release.
  std::string from;
  std::string subject;
  uint64_t size = 0;  // bytes of the message as it would go downstream
};

class QuarantineStore {
 public:
  explicit QuarantineStore(std::string dir) : dir_(std::move(dir)) {}
  const std::string& dir() const { return dir_; }

  // Creates DIR/{tmp,new,cur}; "" or what failed.
  std::string create() const;
  // Writes the message (`prepend`, the gateway's header fields, then `message`) durably and
  // returns its quarantine id; std::runtime_error naming what failed. `meta.id` is the id
  // wanted (the transaction id); time, from, subject and size are filled in here.
  std::string hold(Entry meta, std::string_view prepend, std::string_view message) const;
  // Newest first. Files that cannot be read are skipped (named in `problems` when given).
  std::vector<Entry> list(std::vector<std::string>* problems = nullptr) const;
  // One held message, read once: its entry, and the message as it goes downstream (the
  // X-Quarantine-* block removed).
  struct Held {
    Entry entry;
    std::string message;
  };
  std::optional<Held> read(std::string_view id) const;
  // True when it was there.
  bool remove(std::string_view id) const;
  // Replaces the stored recipients (after a release reached only some), atomically.
  bool keepRecipients(std::string_view id, const std::vector<std::string>& recipients) const;

  // An id names a file directly under new/: no '/', no leading '.', printable ASCII.
  static bool validId(std::string_view id);

 private:
  std::string path(std::string_view id) const;
  std::string dir_;
};

// The metadata block and the message of one stored file; std::nullopt when the file does not
// start with the block (not written by hold()). Exposed for the fuzzer.
struct ParsedFile {
  Entry entry;
  std::string_view message;
};
std::optional<ParsedFile> parseFile(std::string_view bytes);
// The X-Quarantine-* block for `e` (control characters replaced, long values folded).
std::string metadataBlock(const Entry& e);

}  // namespace portcullis::quarantine
