#include "printable.h"

#include <cinttypes>
#include <cstdio>

namespace btc::rt {

Printable Printable::none() { return Printable{}; }

Printable Printable::boolean(bool value) {
  Printable p;
  p.kind = Kind::kBool;
  p.sint = value ? 1 : 0;
  return p;
}

Printable Printable::int64(int64_t value) {
  Printable p;
  p.kind = Kind::kInt;
  p.sint = value;
  return p;
}

Printable Printable::uint64(uint64_t value) {
  Printable p;
  p.kind = Kind::kUint;
  p.uint = value;
  return p;
}

Printable Printable::string(std::string value) {
  Printable p;
  p.kind = Kind::kString;
  p.text = std::move(value);
  return p;
}

Printable Printable::buffer(std::string bytes) {
  Printable p;
  p.kind = Kind::kBuffer;
  p.text = std::move(bytes);
  return p;
}

Printable Printable::symbol(std::string name, uint64_t value) {
  Printable p;
  p.kind = Kind::kSymbol;
  p.text = std::move(name);
  p.uint = value;
  return p;
}

Printable Printable::tuple(std::vector<Printable> items) {
  Printable p;
  p.kind = Kind::kTuple;
  p.items = std::move(items);
  return p;
}

Printable Printable::record(std::vector<std::string> names, std::vector<Printable> values) {
  Printable p;
  p.kind = Kind::kRecord;
  p.names = std::move(names);
  p.items = std::move(values);
  return p;
}

Printable Printable::array(std::vector<Printable> items) {
  Printable p;
  p.kind = Kind::kArray;
  p.items = std::move(items);
  return p;
}

void append_text(std::string &out, const Printable &value, bool show_plus) {
  char num[32];
  switch (value.kind) {
    case Printable::Kind::kNone:
      out += "null";
      return;
    case Printable::Kind::kBool:
      out += value.sint ? "true" : "false";
      return;
    case Printable::Kind::kInt:
      snprintf(num, sizeof(num), show_plus ? "%+" PRId64 : "%" PRId64, value.sint);
      out += num;
      return;
    case Printable::Kind::kUint:
      snprintf(num, sizeof(num), "%" PRIu64, value.uint);
      out += num;
      return;
    case Printable::Kind::kString:
    case Printable::Kind::kSymbol:
      out += value.text;
      return;
    case Printable::Kind::kBuffer:
      out += format_buffer(value.text, true, true);
      return;
    case Printable::Kind::kTuple:
      out += "(";
      for (size_t i = 0; i < value.items.size(); i++) {
        if (i > 0) out += ", ";
        append_text(out, value.items[i], show_plus);
      }
      out += ")";
      return;
    case Printable::Kind::kRecord:
      if (value.items.empty()) {
        out += "{}";
        return;
      }
      out += "{ ";
      for (size_t i = 0; i < value.items.size(); i++) {
        if (i > 0) out += ", ";
        out += ".";
        out += value.names[i];
        out += " = ";
        append_text(out, value.items[i], show_plus);
      }
      out += " }";
      return;
    case Printable::Kind::kArray:
      out += "[";
      for (size_t i = 0; i < value.items.size(); i++) {
        if (i > 0) out += ",";
        append_text(out, value.items[i], show_plus);
      }
      out += "]";
      return;
  }
}

std::string to_text(const Printable &value) {
  std::string out;
  append_text(out, value);
  return out;
}

size_t first_piece_length(const Printable &value) {
  if (value.kind == Printable::Kind::kTuple) return 1;
  if (value.kind == Printable::Kind::kRecord) return 2;
  return to_text(value).size();
}

std::string format_buffer(std::string_view bytes, bool keep_ascii, bool escape_hex) {
  std::string out;
  char hex[8];
  for (size_t i = 0; i < bytes.size(); i++) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (keep_ascii && c >= 32 && c <= 126) {
      out += static_cast<char>(c);
    } else if (escape_hex) {
      snprintf(hex, sizeof(hex), "\\x%02x", c);
      out += hex;
    } else {
      snprintf(hex, sizeof(hex), i + 1 == bytes.size() ? "%02x" : "%02x ", c);
      out += hex;
    }
  }
  return out;
}

std::string format_address(uint64_t address) {
  if (address == 0) return "0";
  char buf[32];
  snprintf(buf, sizeof(buf), "0x%" PRIx64, address);
  return buf;
}

}  // namespace btc::rt
