// Reading a whole (small, often /proc or /sys) file into a string, with stdio: iostreams would
// add ~0.9 MB to every static tool.
#ifndef BTC_RT_TEXT_FILE_H
#define BTC_RT_TEXT_FILE_H

#include <string>

namespace btc::rt {

// The contents of `path`; empty when it cannot be opened.
std::string read_text_file(const std::string &path);

}  // namespace btc::rt

#endif
