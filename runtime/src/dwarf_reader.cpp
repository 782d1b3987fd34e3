#include "dwarf_reader.h"

namespace btc::rt {

bool read_unit_header(Cursor &c, UnitHeader &unit) {
  unit.start = c.pos;
  unit.end = c.unit_end();
  unit.dwarf64 = c.dwarf64;
  unit.version = static_cast<unsigned>(c.fixed(2));
  if (unit.version >= 5) {
    unsigned type = c.u8();
    unit.addr_size = c.u8();
    unit.abbrev_offset = c.offset();
    if (type == 4 || type == 5) c.skip(8);                        // skeleton, split_compile: dwo id
    if (type == 2 || type == 6) c.skip(8 + (c.dwarf64 ? 8 : 4));  // type units: signature, offset
  } else {
    unit.abbrev_offset = c.offset();
    unit.addr_size = c.u8();
  }
  unit.die = c.pos;
  return !c.bad && unit.version >= 2 && unit.version <= 5 && unit.die <= unit.end;
}

// Reads one attribute value of form `form` (version/address size of its unit).
Value read_form(Cursor &c, uint64_t form, int64_t implicit, unsigned version, unsigned addr_size,
                const DwarfSections &s) {
  Value v;
  switch (form) {
    case 0x01:
      v.number = c.fixed(addr_size);
      break;  // addr
    case 0x03:
      c.skip(c.fixed(2));
      break;  // block2
    case 0x04:
      c.skip(c.fixed(4));
      break;  // block4
    case 0x05:
      v.number = c.fixed(2);
      break;  // data2
    case 0x06:
      v.number = c.fixed(4);
      break;  // data4
    case 0x07:
      v.number = c.fixed(8);
      break;  // data8
    case 0x08:
      v.text = c.cstr();
      break;  // string
    case 0x09:
    case 0x18:
      c.skip(c.uleb());
      break;  // block, exprloc
    case 0x0a:
      c.skip(c.u8());
      break;  // block1
    case 0x0b:
    case 0x0c:
    case 0x11:
    case 0x25:
    case 0x29:
      v.number = c.u8();
      break;  // data1 flag ref1 strx1 addrx1
    case 0x0d:
      v.number = static_cast<uint64_t>(c.sleb());
      break;  // sdata
    case 0x0e:
      v.text = string_at(s.str, v.number = c.offset());
      break;  // strp
    case 0x1f:
      v.text = string_at(s.line_str, v.number = c.offset());
      break;  // line_strp
    case 0x0f:
    case 0x15:
    case 0x1a:
    case 0x1b:
    case 0x22:
    case 0x23:  // udata ref_udata strx
    case 0x1f01:
    case 0x1f02:
      v.number = c.uleb();
      break;  // addrx loclistx rnglistx
    case 0x10:
      v.number = version <= 2 ? c.fixed(addr_size) : c.offset();
      break;  // ref_addr
    case 0x12:
    case 0x26:
    case 0x2a:
      v.number = c.fixed(2);
      break;  // ref2 strx2 addrx2
    case 0x13:
    case 0x1c:
    case 0x28:
    case 0x2c:
      v.number = c.fixed(4);
      break;  // ref4 ref_sup4 strx4 addrx4
    case 0x14:
    case 0x20:
    case 0x24:
      v.number = c.fixed(8);
      break;  // ref8 ref_sig8 ref_sup8
    case 0x27:
    case 0x2b:
      v.number = c.fixed(3);
      break;  // strx3 addrx3
    case 0x16:
      return read_form(c, c.uleb(), implicit, version, addr_size, s);  // indirect
    case 0x17:
    case 0x1d:
    case 0x1f20:
    case 0x1f21:
      v.number = c.offset();
      break;  // sec_offset strp_sup alt
    case 0x19:
      v.number = 1;
      break;  // flag_present
    case 0x1e:
      c.skip(16);
      break;  // data16
    case 0x21:
      v.number = static_cast<uint64_t>(implicit);
      break;  // implicit_const
    default:
      c.bad = true;
  }
  return v;
}

std::map<uint64_t, Abbrev> read_abbrevs(std::string_view abbrev, uint64_t offset) {
  std::map<uint64_t, Abbrev> table;
  if (offset >= abbrev.size()) return table;
  Cursor c{abbrev, static_cast<size_t>(offset)};
  while (!c.bad) {
    uint64_t code = c.uleb();
    if (code == 0) break;
    Abbrev a;
    a.tag = c.uleb();
    a.children = c.u8() != 0;
    for (;;) {
      uint64_t name = c.uleb(), form = c.uleb();
      if (c.bad || (name == 0 && form == 0)) break;
      int64_t implicit = form == 0x21 ? c.sleb() : 0;
      a.attrs.push_back({name, form, implicit});
    }
    table[code] = std::move(a);
  }
  return table;
}

}  // namespace btc::rt
