#include "field_decode.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "cgroup_path.h"
#include "errno_text.h"
#include "host_facts.h"
#include "ksyms.h"
#include "net_format.h"
#include "stack_format.h"
#include "time_format.h"
#include "user_symbols.h"

namespace btc::rt {

namespace {

template <typename T>
T load(const uint8_t *p) {
  T v;
  memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace

int64_t read_signed(const uint8_t *p, uint32_t size) {
  switch (size) {
    case 1:
      return load<int8_t>(p);
    case 2:
      return load<int16_t>(p);
    case 4:
      return load<int32_t>(p);
    default:
      return load<int64_t>(p);
  }
}

uint64_t read_unsigned(const uint8_t *p, uint32_t size) {
  switch (size) {
    case 1:
      return p[0];
    case 2:
      return load<uint16_t>(p);
    case 4:
      return load<uint32_t>(p);
    default:
      return load<uint64_t>(p);
  }
}

static std::string truncation_trailer = "..";

[[gnu::cold]] void set_truncation_trailer(const char *trailer) { truncation_trailer = trailer ? trailer : ".."; }

static const btc_cgroup_path_lookup *cgroup_path_lookup = nullptr;

[[gnu::cold]] void set_cgroup_path_lookup(const btc_cgroup_path_lookup *lookup) { cgroup_path_lookup = lookup; }

static const char *const *field_strings = nullptr;
static uint32_t field_string_count = 0;

void set_field_strings(const char *const *strings, uint32_t count) {
  field_strings = strings;
  field_string_count = count;
}

static const btc_field_list *field_tuples = nullptr;
static uint32_t field_tuple_count = 0;

void set_field_tuples(const btc_field_list *tuples, uint32_t count) {
  field_tuples = tuples;
  field_tuple_count = count;
}

// A tuple: its elements, each at its offset from the tuple's start.
static Printable decode_tuple(const btc_field &f, const uint8_t *p) {
  if (f.pad >= field_tuple_count) return Printable::none();
  const btc_field_list &list = field_tuples[f.pad];
  std::vector<Printable> items;
  for (uint32_t i = 0; i < list.nfields; i++) items.push_back(decode_field(list.fields[i], p));
  return Printable::tuple(std::move(items));
}

// A whole struct: its members, each at its offset from the struct's start, with their names.
static Printable decode_record(const btc_field &f, const uint8_t *p) {
  if (f.pad >= field_tuple_count) return Printable::none();
  const btc_field_list &list = field_tuples[f.pad];
  std::vector<std::string> names;
  std::vector<Printable> values;
  for (uint32_t i = 0; i < list.nfields; i++) {
    names.push_back(list.names ? list.names[i] : "");
    values.push_back(decode_field(list.fields[i], p));
  }
  return Printable::record(std::move(names), std::move(values));
}

// An array: as many elements as fit in its size, each described by the list's one field.
static Printable decode_array(const btc_field &f, const uint8_t *p) {
  if (f.pad >= field_tuple_count || field_tuples[f.pad].nfields != 1) return Printable::none();
  btc_field elem = field_tuples[f.pad].fields[0];
  if (elem.size == 0) return Printable::array({});
  std::vector<Printable> items;
  for (uint32_t i = 0; i < f.size / elem.size; i++) {
    items.push_back(decode_field(elem, p));
    elem.offset += elem.size;
  }
  return Printable::array(std::move(items));
}

// strftime(fmt, ns): ns since boot, shown as local wall-clock time.
static Printable decode_timestamp(const btc_field &f, const uint8_t *p) {
  const char *fmt = f.pad < field_string_count ? field_strings[f.pad] : "%H:%M:%S";
  return Printable::string(format_timestamp(fmt, boot_ns_to_realtime_ns(read_unsigned(p, 8))));
}

// An enum value: the name of its enumerator in the field's "VALUE NAME" lines, else the number.
static Printable decode_enum(const btc_field &f, const uint8_t *p) {
  int64_t value = read_signed(p, f.size);
  uint64_t bits = f.size >= 8 ? static_cast<uint64_t>(value) : read_unsigned(p, f.size);
  const char *lines = f.pad < field_string_count ? field_strings[f.pad] : "";
  std::string number = std::to_string(value);
  for (const char *line = lines; *line;) {
    const char *end = strchr(line, '\n');
    if (!end) end = line + strlen(line);
    const char *space = static_cast<const char *>(memchr(line, ' ', end - line));
    if (space) {
      std::string_view text(line, space - line);
      bool same = text == number || text == std::to_string(bits);
      if (same) return Printable::symbol(std::string(space + 1, end), bits);
    }
    line = *end ? end + 1 : end;
  }
  return Printable::symbol(number, bits);
}

// A struct member that is a bitfield (btc_field.pad = width << 8 | shift).
static uint64_t bitfield_value(const btc_field &f, const uint8_t *p) {
  uint32_t width = f.pad >> 8, shift = f.pad & 0xff;
  uint64_t unit = read_unsigned(p, f.size) >> shift;
  return width >= 64 ? unit : unit & ((1ULL << width) - 1);
}

Printable decode_field(const btc_field &f, const uint8_t *base) {
  const uint8_t *p = base + f.offset;
  switch (f.type) {
    case BTC_T_INT:
      if (f.pad) return Printable::int64(static_cast<int64_t>(bitfield_value(f, p)));
      return Printable::int64(read_signed(p, f.size));
    case BTC_T_UINT:
      if (f.pad) return Printable::uint64(bitfield_value(f, p));
      return Printable::uint64(read_unsigned(p, f.size));
    case BTC_T_STR: {
      const char *s = reinterpret_cast<const char *>(p);
      size_t len = strnlen(s, f.size);
      std::string text(s, len);
      if (len == f.size && f.size > 0 && f.pad != 1) text += truncation_trailer;
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
      uint64_t owner = read_unsigned(p + 8, 8);  // pid, probe (see UserSymbols::resolve)
      return Printable::symbol(symbols.resolve(owner, address, false, false), address);
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
    case BTC_T_USERNAME:
      return Printable::string(user_name(read_unsigned(p, 8)));
    case BTC_T_TUPLE:
      return decode_tuple(f, p);
    case BTC_T_RECORD:
      return decode_record(f, p);
    case BTC_T_ARRAY:
      return decode_array(f, p);
    case BTC_T_ENUM:
      return decode_enum(f, p);
    case BTC_T_BUF: {  // u64 length, then the bytes
      uint64_t capacity = f.size > 8 ? f.size - 8 : 0;
      uint64_t length = f.size >= 8 ? read_unsigned(p, 8) : 0;
      return Printable::buffer(std::string(reinterpret_cast<const char *>(p) + 8, std::min(length, capacity)));
    }
    case BTC_T_INET:
      return Printable::string(f.size >= 24 ? format_inet(read_unsigned(p, 8), p + 8) : "");
    case BTC_T_MACADDR:
      return Printable::string(f.size >= 6 ? format_mac_address(p) : "");
    case BTC_T_CGROUP_PATH:
      if (!cgroup_path_lookup) return Printable::string("");
      return Printable::string(
          cgroup_path_lookup->resolve(read_unsigned(p, 8), f.pad < field_string_count ? field_strings[f.pad] : "*"));
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
