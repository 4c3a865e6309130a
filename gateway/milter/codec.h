// The milter wire protocol (libmilter's, version 6, as Postfix and Sendmail speak it), without
// I/O: packets are a 32-bit big-endian length, a command byte and its data. The constants are
// Debian libmilter-dev's (libmilter/mfdef.h, mfapi.h), included rather than copied.
//
// PacketReader cuts a byte stream into packets and refuses oversized ones; decodeCommand turns
// an MTA's packet into a typed command, naming what is malformed; the encode* functions build
// the filter's replies.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace portcullis::milter {

struct Packet {
  char command = 0;
  std::string data;
};

// Incremental: feed() what arrived, then next() until it returns nothing. A length above
// `maxData` (or zero: no command byte) is a protocol error; the connection cannot continue.
class PacketReader {
 public:
  explicit PacketReader(size_t maxData) : max_(maxData) {}
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  std::optional<Packet> next();
  const std::string& error() const { return error_; }
  size_t buffered() const { return buffer_.size() - pos_; }

 private:
  size_t max_;
  std::string buffer_;
  size_t pos_ = 0;
  std::string error_;
};

// SMFIC_OPTNEG: what the MTA offers (and, in our reply, what we ask for).
struct OptNeg {
  uint32_t version = 0;
  uint32_t actions = 0;   // SMFIF_*: modifications the filter may make
  uint32_t protocol = 0;  // SMFIP_*: steps the MTA may skip, replies the filter omits
};
// SMFIC_MACRO: macros for the command `forCommand` is about to send.
struct Macros {
  char forCommand = 0;
  std::vector<std::pair<std::string, std::string>> values;
};
struct Connect {
  std::string hostname;
  char family = 0;  // SMFIA_INET '4', SMFIA_INET6 '6', SMFIA_UNIX 'L', SMFIA_UNKNOWN 'U'
  uint16_t port = 0;
  std::string address;  // IPv4/IPv6 text (an "IPv6:" prefix removed) or a socket path
};
struct Helo {
  std::string name;
};
// SMFIC_MAIL / SMFIC_RCPT: the address as the MTA received it ("<a@b>") and ESMTP parameters.
struct Envelope {
  bool mail = true;
  std::string address;
  std::vector<std::string> params;
};
struct Data {};
struct Header {
  std::string name, value;
};
struct EndOfHeaders {};
struct Body {
  std::string chunk;
};
struct EndOfMessage {
  std::string chunk;  // a last body chunk may ride along
};
struct Abort {};
struct Quit {
  bool newConnection = false;  // SMFIC_QUIT_NC: the MTA reuses the connection
};
struct Unknown {
  std::string command;
};

using Command = std::variant<OptNeg, Macros, Connect, Helo, Envelope, Data, Header, EndOfHeaders,
                             Body, EndOfMessage, Abort, Quit, Unknown>;

// A typed command, or the reason the packet is malformed ("SMFIC_CONNECT: no address").
std::variant<Command, std::string> decodeCommand(const Packet& p);

// Replies. Each returns the whole packet, length prefix included.
std::string encodePacket(char command, std::string_view data = {});
std::string encodeOptNeg(const OptNeg& o);
// SMFIR_REPLYCODE: "550 5.7.1 text"; multi-line texts are joined with the code repeated
// ("550-5.7.1 a\r\n550 5.7.1 b"), as Postfix expects.
std::string encodeReplyCode(int code, std::string_view enhanced, std::string_view text);
std::string encodeAddHeader(std::string_view name, std::string_view value);
std::string encodeInsertHeader(uint32_t index, std::string_view name, std::string_view value);
// Index counts from 1 among the fields of that name; an empty value deletes the field.
std::string encodeChangeHeader(uint32_t index, std::string_view name, std::string_view value);
std::string encodeQuarantine(std::string_view reason);

// Printable name of a command byte, for logs ("SMFIC_RCPT", or the byte in hex).
std::string commandName(char c);

}  // namespace portcullis::milter
