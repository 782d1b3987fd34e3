// Printable: the runtime's value model. Every printf argument, map key and map
// value is decoded into a Printable first and rendered second, so that text and
// (later) JSON output share the decoding.
#ifndef BTC_RT_PRINTABLE_H
#define BTC_RT_PRINTABLE_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace btc::rt {

struct Printable {
  enum class Kind { kNone, kBool, kInt, kUint, kString, kBuffer, kSymbol, kTuple, kRecord, kArray };

  Kind kind = Kind::kNone;
  int64_t sint = 0;                // kInt; kBool (0 or 1)
  uint64_t uint = 0;               // kUint; kSymbol: the number behind the symbol
  std::string text;                // kString; kBuffer: raw bytes; kSymbol: the symbol
  std::vector<Printable> items;    // kTuple/kArray elements, kRecord field values
  std::vector<std::string> names;  // kRecord field names

  static Printable none();
  static Printable boolean(bool value);
  static Printable int64(int64_t value);
  static Printable uint64(uint64_t value);
  static Printable string(std::string value);
  static Printable buffer(std::string bytes);
  static Printable symbol(std::string name, uint64_t value);
  static Printable tuple(std::vector<Printable> items);
  static Printable record(std::vector<std::string> names, std::vector<Printable> values);
  static Printable array(std::vector<Printable> items);

  bool is_integer() const { return kind == Kind::kInt || kind == Kind::kUint; }
};

// Appends the text form bpftrace uses for a value: integers in decimal, strings
// as they are, booleans as true/false, tuples as "(a, b)", records as
// "{ .a = 1, .b = 2 }", arrays as "[1,2]" (no spaces). With show_plus, non-negative signed integers get a '+'
// (printf's '+' flag reaches integers nested in a "%s" argument too).
void append_text(std::string &out, const Printable &value, bool show_plus = false);
std::string to_text(const Printable &value);

// Length of the first piece bpftrace writes for a value: printf field widths
// apply only to that piece ("(" for a tuple, "{ " for a record).
size_t first_piece_length(const Printable &value);

// Raw bytes as text: printable ASCII kept when keep_ascii, every other byte as
// "\xNN" when escape_hex, otherwise as "NN" separated by spaces.
std::string format_buffer(std::string_view bytes, bool keep_ascii, bool escape_hex);

// An address the way an unresolved symbol is shown: "0x1f", or "0" for null.
std::string format_address(uint64_t address);

}  // namespace btc::rt

#endif
