#include "dwarf_inlines.h"

#include <algorithm>

namespace btc::rt {

// The attributes of one DIE that matter here.
struct DieAttrs {
  std::string_view name;
  uint64_t low = 0, high = 0, ranges = 0, origin = 0, call_file = 0, call_line = 0;
  bool has_low = false, has_high = false, high_is_offset = false, has_ranges = false, has_origin = false;
};

void DwarfInlines::add_unit(const DwarfSections &s, const UnitHeader &unit, uint64_t base, uint32_t first_file,
                            uint32_t nfiles) {
  std::map<uint64_t, Abbrev> abbrevs = read_abbrevs(s.abbrev, unit.abbrev_offset);
  Cursor c{s.info, unit.die};
  c.dwarf64 = unit.dwarf64;
  uint32_t depth = 0;
  while (c.pos < unit.end && !c.bad) {
    uint64_t die = c.pos;
    uint64_t code = c.uleb();
    if (code == 0) {  // the end of a list of children
      if (depth == 0) break;
      depth--;
      continue;
    }
    auto it = abbrevs.find(code);
    if (it == abbrevs.end()) break;
    const Abbrev &a = it->second;
    DieAttrs d;
    for (const AttrSpec &spec : a.attrs) {
      Value v = read_form(c, spec.form, spec.implicit, unit.version, unit.addr_size, s);
      switch (spec.name) {
        case AT_name:
          d.name = v.text;
          break;
        case AT_low_pc:
          d.low = v.number, d.has_low = spec.form == FORM_addr;
          break;
        case AT_high_pc:
          d.high = v.number, d.has_high = true, d.high_is_offset = spec.form != FORM_addr;
          break;
        case AT_ranges:
          d.ranges = v.number, d.has_ranges = spec.form == 0x17 || spec.form == 0x06;
          break;
        case AT_call_file:
          d.call_file = v.number;
          break;
        case AT_call_line:
          d.call_line = v.number;
          break;
        case AT_abstract_origin:
        case AT_specification:
          // References within the unit count from its header; DW_FORM_ref_addr from the section.
          if (spec.form >= FORM_ref1 && spec.form <= FORM_ref_udata)
            d.origin = unit.start + v.number, d.has_origin = true;
          if (spec.form == FORM_ref_addr) d.origin = v.number, d.has_origin = true;
          break;
      }
    }
    if (c.bad) break;
    if (!d.name.empty()) names_[die] = std::string(d.name);
    if (d.has_origin) origins_[die] = d.origin;
    if (a.tag == TAG_inlined_subroutine) {
      uint32_t file = d.call_file < nfiles ? first_file + static_cast<uint32_t>(d.call_file) : UINT32_MAX;
      auto add = [&](uint64_t low, uint64_t high) {
        if (low < high) ranges_.push_back({low, high, depth, die, file, static_cast<uint32_t>(d.call_line)});
      };
      if (d.has_low && d.has_high) add(d.low, d.high_is_offset ? d.low + d.high : d.high);
      if (d.has_ranges) {
        std::vector<uint64_t> pairs = ranges_of(s, unit, base, d.ranges);
        for (size_t i = 0; i + 1 < pairs.size(); i += 2) add(pairs[i], pairs[i + 1]);
      }
    }
    if (a.children) depth++;
  }
}

std::vector<uint64_t> DwarfInlines::ranges_of(const DwarfSections &s, const UnitHeader &unit, uint64_t base,
                                              uint64_t offset) const {
  std::vector<uint64_t> pairs;
  unsigned size = unit.addr_size;
  uint64_t max = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
  if (unit.version <= 4) {  // .debug_ranges: (begin, end) pairs relative to the base, (0, 0) ends
    Cursor c{s.ranges, static_cast<size_t>(offset)};
    while (offset < s.ranges.size() && !c.bad) {
      uint64_t begin = c.fixed(size), end = c.fixed(size);
      if (c.bad || (begin == 0 && end == 0)) break;
      if (begin == max)
        base = end;  // base address selection
      else
        pairs.insert(pairs.end(), {base + begin, base + end});
    }
    return pairs;
  }
  // .debug_rnglists entries (DW_RLE_*); those indexing .debug_addr (split DWARF) end the list.
  Cursor c{s.rnglists, static_cast<size_t>(offset)};
  c.dwarf64 = unit.dwarf64;
  while (offset < s.rnglists.size() && !c.bad) {
    unsigned kind = c.u8();
    if (kind == 4) {  // offset_pair
      uint64_t begin = c.uleb(), end = c.uleb();
      pairs.insert(pairs.end(), {base + begin, base + end});
    } else if (kind == 5) {  // base_address
      base = c.fixed(size);
    } else if (kind == 6) {  // start_end
      uint64_t begin = c.fixed(size), end = c.fixed(size);
      pairs.insert(pairs.end(), {begin, end});
    } else if (kind == 7) {  // start_length
      uint64_t begin = c.fixed(size), length = c.uleb();
      pairs.insert(pairs.end(), {begin, begin + length});
    } else {  // end_of_list, or an unsupported kind
      break;
    }
  }
  if (c.bad) pairs.clear();
  return pairs;
}

std::string DwarfInlines::name_of(uint64_t die) const {
  for (int hops = 0; hops < 8; hops++) {
    auto name = names_.find(die);
    if (name != names_.end()) return name->second;
    auto origin = origins_.find(die);
    if (origin == origins_.end()) break;
    die = origin->second;
  }
  return "";
}

std::vector<DwarfInlines::Call> DwarfInlines::at(uint64_t vaddr) const {
  std::vector<const Range *> hits;
  for (const Range &r : ranges_)
    if (vaddr >= r.low && vaddr < r.high) hits.push_back(&r);
  std::stable_sort(hits.begin(), hits.end(), [](const Range *a, const Range *b) { return a->depth < b->depth; });
  std::vector<Call> calls;
  for (const Range *r : hits) {
    std::string name = name_of(r->die);
    if (!name.empty()) calls.push_back({name, r->call_file, r->call_line});
  }
  return calls;
}

}  // namespace btc::rt
