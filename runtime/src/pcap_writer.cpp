// pcap files for skboutput(): the classic libpcap format (microsecond timestamps, host byte
// order), link type RAW, so each packet starts with its IP header. Linked only into tools that
// call skboutput (btc_tool.pcap_writer).
#include <cstdint>
#include <cstdio>

#include "btc/abi.h"

namespace btc::rt {
namespace {

const uint32_t kPcapMagic = 0xa1b2c3d4;  // microsecond timestamps
const uint16_t kVersionMajor = 2, kVersionMinor = 4;
const uint32_t kSnapLength = 65535;
const uint32_t kLinkTypeRaw = 101;  // LINKTYPE_RAW: raw IPv4 or IPv6

struct FileHeader {
  uint32_t magic;
  uint16_t version_major, version_minor;
  int32_t utc_offset;  // always 0
  uint32_t sigfigs;    // always 0
  uint32_t snap_length;
  uint32_t link_type;
};

struct RecordHeader {
  uint32_t seconds, microseconds;
  uint32_t captured_length, original_length;
};

void *open_pcap(const char *path) {
  FILE *f = fopen(path, "wb");
  if (!f) return nullptr;
  FileHeader h = {kPcapMagic, kVersionMajor, kVersionMinor, 0, 0, kSnapLength, kLinkTypeRaw};
  if (fwrite(&h, sizeof(h), 1, f) != 1) {
    fclose(f);
    return nullptr;
  }
  return f;
}

int write_pcap(void *file, btc_u64 realtime_ns, const void *packet, btc_u32 size) {
  RecordHeader h = {static_cast<uint32_t>(realtime_ns / 1000000000ULL),
                    static_cast<uint32_t>(realtime_ns % 1000000000ULL / 1000), size, size};
  FILE *f = static_cast<FILE *>(file);
  if (fwrite(&h, sizeof(h), 1, f) != 1 || fwrite(packet, 1, size, f) != size) return -1;
  return 0;
}

void close_pcap(void *file) { fclose(static_cast<FILE *>(file)); }

}  // namespace
}  // namespace btc::rt

extern "C" const btc_pcap_writer btc_pcap_writer_functions = {btc::rt::open_pcap, btc::rt::write_pcap,
                                                              btc::rt::close_pcap};
