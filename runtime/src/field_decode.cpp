#include "field_decode.h"

#include <cstdio>
#include <cstring>

#include "errno_text.h"
#include "ksyms.h"
#include "stack_format.h"
#include "time_format.h"
#include "user_symbols.h"

namespace btc::rt {

int64_t read_signed(const uint8_t *p, uint32_t size) {
  switch (size) {
    case 1: {
      int8_t v;
      memcpy(&v, p, 1);
      return v;
    }
    case 2: {
      int16_t v;
      memcpy(&v, p, 2);
      return v;
    }
    case 4: {
      int32_t v;
      memcpy(&v, p, 4);
      return v;
    }
    default: {
      int64_t v;
      memcpy(&v, p, 8);
      return v;
    }
  }
}

uint64_t read_unsigned(const uint8_t *p, uint32_t size) {
  switch (size) {
    case 1:
      return p[0];
    case 2: {
      uint16_t v;
      memcpy(&v, p, 2);
      return v;
    }
    case 4: {
      uint32_t v;
      memcpy(&v, p, 4);
      return v;
    }
    default: {
      uint64_t v;
      memcpy(&v, p, 8);
      return v;
    }
  }
}

static const char kTruncationTrailer[] = "..";

static const char *const *field_strings = nullptr;
static uint32_t field_string_count = 0;

void set_field_strings(const char *const *strings, uint32_t count) {
  field_strings = strings;
  field_string_count = count;
}

// strftime(fmt, ns): ns since boot, shown as local wall-clock time.
static Printable decode_timestamp(const btc_field &f, const uint8_t *p) {
  const char *fmt = f.pad < field_string_count ? field_strings[f.pad] : "%H:%M:%S";
  return Printable::string(format_timestamp(fmt, boot_ns_to_realtime_ns(read_unsigned(p, 8))));
}

Printable decode_field(const btc_field &f, const uint8_t *base) {
  const uint8_t *p = base + f.offset;
  switch (f.type) {
    case BTC_T_INT:
      return Printable::int64(read_signed(p, f.size));
    case BTC_T_UINT:
      return Printable::uint64(read_unsigned(p, f.size));
    case BTC_T_STR: {
      const char *s = reinterpret_cast<const char *>(p);
      size_t len = strnlen(s, f.size);
      std::string text(s, len);
      if (len == f.size && f.size > 0) text += kTruncationTrailer;
      return Printable::string(std::move(text));
    }
    case BTC_T_BOOL:
      return Printable::boolean(p[0] != 0);
    case BTC_T_KSYM: {
      uint64_t address = read_unsigned(p, 8);
      return Printable::symbol(resolve_kernel_symbol(address), address);
    }
    case BTC_T_USYM: {
      // 16 bytes: the address, then the pid whose mappings name it (8 bytes: no pid, the address).
      uint64_t address = read_unsigned(p, 8);
      if (f.size < 16) return Printable::symbol(format_address(address), address);
      static UserSymbols symbols;
      uint32_t pid = static_cast<uint32_t>(read_unsigned(p + 8, 8));
      return Printable::symbol(symbols.resolve(pid, address, false, false), address);
    }
    case BTC_T_KSTACK:
    case BTC_T_USTACK:
      return Printable::string(decode_stack_field(f, base));
    case BTC_T_TIMESTAMP:
      return decode_timestamp(f, p);
    case BTC_T_PTR: {
      uint64_t address = read_unsigned(p, 8);
      char hex[24];
      snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(address));
      return Printable::symbol(hex, address);
    }
    case BTC_T_STRERROR:
      return Printable::string(errno_text(read_signed(p, 8)));
    case BTC_T_BUF:
      return Printable::buffer(std::string(reinterpret_cast<const char *>(p), f.size));
    default:
      return Printable::none();
  }
}

Printable decode_key(const btc_map_desc &map, const uint8_t *key) {
  if (map.nkeys == 0) return Printable::none();
  if (map.nkeys == 1) return decode_field(map.keys[0], key);
  std::vector<Printable> items;
  for (uint32_t i = 0; i < map.nkeys; i++) items.push_back(decode_field(map.keys[i], key));
  return Printable::tuple(std::move(items));
}

}  // namespace btc::rt
