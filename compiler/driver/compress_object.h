// The BPF object is embedded in every tool zlib-compressed: it is mostly BTF and relocation
// records, which shrink to about a fifth, and zlib's inflate is linked into every tool anyway
// (libbpf reads /proc/config.gz, libelf reads compressed sections).
#pragma once

#include <cstddef>
#include <string>

namespace btc {

// Writes the zlib stream (compress2, best compression) of file `in` to file `out` and sets
// `raw_size` to the size of `in`. False with `error` set on failure.
bool compress_object(const std::string &in, const std::string &out, size_t &raw_size, std::string &error);

}  // namespace btc
