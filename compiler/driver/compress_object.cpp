#include "driver/compress_object.h"

#include <zlib.h>

#include <fstream>
#include <iterator>
#include <vector>

namespace btc {

bool compress_object(const std::string &in, const std::string &out, size_t &raw_size, std::string &error) {
  std::ifstream src(in, std::ios::binary);
  if (!src) {
    error = "cannot read " + in;
    return false;
  }
  std::vector<unsigned char> raw((std::istreambuf_iterator<char>(src)), std::istreambuf_iterator<char>());
  uLongf packed_size = compressBound(raw.size());
  std::vector<unsigned char> packed(packed_size);
  if (compress2(packed.data(), &packed_size, raw.data(), raw.size(), Z_BEST_COMPRESSION) != Z_OK) {
    error = "cannot compress " + in;
    return false;
  }
  std::ofstream dst(out, std::ios::binary);
  dst.write(reinterpret_cast<const char *>(packed.data()), static_cast<std::streamsize>(packed_size));
  if (!dst.flush()) {
    error = "cannot write " + out;
    return false;
  }
  raw_size = raw.size();
  return true;
}

}  // namespace btc
