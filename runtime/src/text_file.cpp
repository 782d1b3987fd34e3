#include "text_file.h"

#include <cstdio>

namespace btc::rt {

std::string read_text_file(const std::string &path) {
  std::string text;
  FILE *f = fopen(path.c_str(), "re");
  if (!f) return text;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  fclose(f);
  return text;
}

}  // namespace btc::rt
