// A bounds-checked little-endian cursor over bytes of an ELF section, shared by the DWARF
// readers (dwarf_reader.h) and the .eh_frame reader (eh_frame.cpp). Header-only: including it
// links nothing.
#ifndef BTC_RT_BYTE_CURSOR_H
#define BTC_RT_BYTE_CURSOR_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace btc::rt {

// A bounds-checked cursor over one section; reading past the end sets `bad` and yields zeros.
struct Cursor {
  std::string_view data;
  size_t pos = 0;
  bool bad = false;
  bool dwarf64 = false;

  bool has(size_t n) {
    if (!bad && n <= data.size() - std::min(pos, data.size()) && pos <= data.size()) return true;
    bad = true;
    return false;
  }
  uint64_t fixed(size_t n) {  // little-endian, n <= 8
    if (!has(n)) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v |= static_cast<uint64_t>(static_cast<uint8_t>(data[pos + i])) << (8 * i);
    pos += n;
    return v;
  }
  template <typename T>
  T get() {  // a little-endian integer of T's size
    return static_cast<T>(fixed(sizeof(T)));
  }
  const uint8_t *here() const { return reinterpret_cast<const uint8_t *>(data.data()) + pos; }
  uint8_t u8() { return static_cast<uint8_t>(fixed(1)); }
  uint64_t uleb() {
    uint64_t v = 0;
    for (unsigned shift = 0; has(1); shift += 7) {
      uint8_t b = static_cast<uint8_t>(data[pos++]);
      if (shift < 64) v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    return v;
  }
  int64_t sleb() {
    int64_t v = 0;
    unsigned shift = 0;
    uint8_t b = 0;
    while (has(1)) {
      b = static_cast<uint8_t>(data[pos++]);
      if (shift < 64) v |= static_cast<int64_t>(static_cast<uint64_t>(b & 0x7f) << shift);
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (shift < 64 && (b & 0x40)) v |= static_cast<int64_t>(~0ull << shift);  // sign extension
    return v;
  }
  std::string_view cstr() {
    size_t end = pos < data.size() ? data.find('\0', pos) : std::string_view::npos;
    if (end == std::string_view::npos) {
      bad = true;
      return {};
    }
    std::string_view s = data.substr(pos, end - pos);
    pos = end + 1;
    return s;
  }
  uint64_t offset() { return fixed(dwarf64 ? 8 : 4); }
  void skip(uint64_t n) {
    if (has(n)) pos += n;
  }
  // A unit's initial length (32- or 64-bit DWARF); returns the unit's end.
  size_t unit_end() {
    uint64_t len = fixed(4);
    dwarf64 = len == 0xffffffff;
    if (dwarf64) len = fixed(8);
    if (!has(len)) return pos;
    return pos + len;
  }
};

}  // namespace btc::rt

#endif
