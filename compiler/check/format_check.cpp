#include "check/format_check.h"

#include <cstring>

namespace btc {

bool parse_format(const std::string &fmt, std::vector<FormatSpec> *specs, std::string *err) {
  for (size_t i = 0; i < fmt.size(); i++) {
    if (fmt[i] != '%') continue;
    if (i + 1 < fmt.size() && fmt[i + 1] == '%') {
      i++;
      continue;
    }
    size_t start = i++;
    while (i < fmt.size() && std::strchr("-+ #0", fmt[i])) i++;
    while (i < fmt.size() && isdigit(static_cast<unsigned char>(fmt[i]))) i++;
    if (i < fmt.size() && fmt[i] == '.') {
      i++;
      while (i < fmt.size() && isdigit(static_cast<unsigned char>(fmt[i]))) i++;
    }
    while (i < fmt.size() && std::strchr("hljzt", fmt[i])) i++;
    bool gfp = i + 1 < fmt.size() && fmt[i] == 'g' && fmt[i + 1] == 'r';  // %gr: GFP flags
    if (i >= fmt.size() || (!gfp && !std::strchr("diuxXoscpr", fmt[i]))) {
      *err = "invalid format conversion '" + fmt.substr(start, i + 1 - start) + "'";
      return false;
    }
    char conv = fmt[i];
    if (conv == 'r' && i + 1 < fmt.size() && (fmt[i + 1] == 'x' || fmt[i + 1] == 'h')) i++;  // %rx, %rh
    if (gfp) i++;
    specs->push_back({fmt.substr(start, i + 1 - start), conv});
  }
  return true;
}

bool check_format(const std::string &fmt, const std::vector<Type> &args, std::string *err, size_t *bad_arg) {
  std::vector<FormatSpec> specs;
  *bad_arg = 0;
  if (!parse_format(fmt, &specs, err)) return false;
  if (specs.size() != args.size()) {
    *err = "format string has " + std::to_string(specs.size()) + " conversion" + (specs.size() == 1 ? "" : "s") +
           " but " + std::to_string(args.size()) + " argument" + (args.size() == 1 ? " was" : "s were") + " given";
    if (args.size() > specs.size()) *bad_arg = specs.size() + 1;
    return false;
  }
  for (size_t i = 0; i < specs.size(); i++) {
    const Type &t = args[i];
    bool ok = true;
    if (specs[i].conv == 's') {
      ok = t.is_string() || t.is_int() || t.kind == TypeKind::Ksym || t.kind == TypeKind::Kstack ||
           t.kind == TypeKind::Ustack || t.kind == TypeKind::Timestamp || t.kind == TypeKind::Usym ||
           t.kind == TypeKind::Strerror || t.kind == TypeKind::Username || t.kind == TypeKind::Tuple ||
           t.stored_as_bytes() || t.kind == TypeKind::CgroupPath;
    } else if (specs[i].conv == 'r') {  // %r, %rx, %rh: buf() values only
      ok = t.kind == TypeKind::Buffer;
    } else {
      ok = t.is_int() || t.kind == TypeKind::Pointer;
    }
    if (!ok) {
      *err = "format " + specs[i].text + " does not fit argument " + std::to_string(i + 1) + " of type " +
             to_string(t);
      *bad_arg = i + 1;
      return false;
    }
  }
  return true;
}

bool seq_printf_format(const std::string &fmt, const std::vector<Type> &args, std::string *out, std::string *err,
                       size_t *bad_arg) {
  if (!check_format(fmt, args, err, bad_arg)) return false;
  out->clear();
  size_t arg = 0;
  for (size_t i = 0; i < fmt.size(); i++) {
    if (fmt[i] != '%' || (i + 1 < fmt.size() && fmt[i + 1] == '%')) {
      *out += fmt[i];
      if (fmt[i] == '%') *out += fmt[++i];
      continue;
    }
    size_t start = i++;
    while (i < fmt.size() && std::strchr("-+ #0", fmt[i])) i++;
    while (i < fmt.size() && (isdigit(static_cast<unsigned char>(fmt[i])) || fmt[i] == '.')) i++;
    std::string head = fmt.substr(start, i - start);  // '%', flags, width, precision
    while (i < fmt.size() && std::strchr("hljzt", fmt[i])) i++;
    char conv = fmt[i];
    const Type &t = args[arg++];
    *bad_arg = arg;
    if (head.find('#') != std::string::npos || conv == 'o' || conv == 'g') {
      *err = "format " + fmt.substr(start, i + 1 + (conv == 'g') - start) + " is not supported in a pinned iterator";
      return false;
    }
    if (conv == 's' && !t.is_string()) {
      *err = "format %s needs a string in a pinned iterator, argument " + std::to_string(arg) + " has type " +
             to_string(t);
      return false;
    }
    if (conv != 's' && !(t.is_int() || t.kind == TypeKind::Pointer)) {
      *err = "argument " + std::to_string(arg) + " of type " + to_string(t) + " cannot be printed by a pinned iterator";
      return false;
    }
    if (conv == 's' || conv == 'c') *out += head + conv;
    else if (conv == 'p') *out += "0x" + head + "llx";
    else *out += head + "ll" + conv;
  }
  if (args.size() > 12) {
    *bad_arg = 13;
    *err = "a pinned iterator's printf takes at most 12 arguments";
    return false;
  }
  *bad_arg = 0;
  return true;
}

}  // namespace btc
