// Templates embedded into btc at build time (templates/, skeletons/, the ABI header) and
// @NAME@ placeholder filling.
#pragma once
#include <map>
#include <string>

namespace btc {

// Every embedded file by basename (defined in the generated embedded_files.cpp).
const std::map<std::string, std::string> &embedded_files();

inline const std::string &embedded_file(const std::string &name) { return embedded_files().at(name); }

// Replaces every @KEY@ in `text` with its value; unknown placeholders are left as they are.
inline std::string fill_template(const std::string &text, const std::map<std::string, std::string> &values) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t at = text.find('@', i);
    if (at == std::string::npos) break;
    size_t end = text.find('@', at + 1);
    if (end == std::string::npos) break;
    auto it = values.find(text.substr(at + 1, end - at - 1));
    if (it == values.end()) {
      out.append(text, i, at + 1 - i);
      i = at + 1;
      continue;
    }
    out.append(text, i, at - i);
    out += it->second;
    i = end + 1;
  }
  out.append(text, i, std::string::npos);
  return out;
}

}  // namespace btc
