#include "gfp_flags.h"

#include <cinttypes>
#include <cstdio>

namespace btc::rt {

namespace {

// Bit numbers of the kernel's ___GFP_*_BIT enum (include/linux/gfp_types.h).
constexpr uint64_t bit(int n) { return uint64_t{1} << n; }
constexpr uint64_t kDma = bit(0), kHighmem = bit(1), kDma32 = bit(2), kMovable = bit(3), kHigh = bit(5), kIo = bit(6),
                   kFs = bit(7), kZero = bit(8), kDirectReclaim = bit(10), kKswapdReclaim = bit(11), kWrite = bit(12),
                   kNowarn = bit(13), kRetryMayfail = bit(14), kNofail = bit(15), kNoretry = bit(16),
                   kMemalloc = bit(17), kComp = bit(18), kNomemalloc = bit(19), kHardwall = bit(20),
                   kThisnode = bit(21), kAccount = bit(22), kZerotags = bit(23), kSkipZero = bit(24),
                   kSkipKasan = bit(25), kNoObjExt = bit(26);

constexpr uint64_t kReclaim = kDirectReclaim | kKswapdReclaim;
constexpr uint64_t kAtomic = kHigh | kKswapdReclaim;
constexpr uint64_t kKernel = kReclaim | kIo | kFs;
constexpr uint64_t kNowait = kKswapdReclaim | kNowarn;
constexpr uint64_t kNoio = kReclaim;
constexpr uint64_t kNofs = kNoio | kIo;
constexpr uint64_t kUser = kNofs | kFs | kHardwall;
constexpr uint64_t kHighuser = kUser | kHighmem;
constexpr uint64_t kHighuserMovable = kHighuser | kMovable | kSkipKasan;
constexpr uint64_t kTranshugeLight = (kHighuserMovable | kComp | kNomemalloc | kNowarn) & ~kReclaim;
constexpr uint64_t kTranshuge = kTranshugeLight | kDirectReclaim;

struct Name {
  uint64_t mask;
  const char *name;
};

constexpr Name kNames[] = {
    {kTranshuge, "GFP_TRANSHUGE"},
    {kTranshugeLight, "GFP_TRANSHUGE_LIGHT"},
    {kHighuserMovable, "GFP_HIGHUSER_MOVABLE"},
    {kHighuser, "GFP_HIGHUSER"},
    {kUser, "GFP_USER"},
    {kKernel | kAccount, "GFP_KERNEL_ACCOUNT"},
    {kKernel, "GFP_KERNEL"},
    {kNofs, "GFP_NOFS"},
    {kAtomic, "GFP_ATOMIC"},
    {kNoio, "GFP_NOIO"},
    {kNowait, "GFP_NOWAIT"},
    {kDma, "GFP_DMA"},
    {kHighmem, "__GFP_HIGHMEM"},
    {kDma32, "GFP_DMA32"},
    {kHigh, "__GFP_HIGH"},
    {kIo, "__GFP_IO"},
    {kFs, "__GFP_FS"},
    {kZero, "__GFP_ZERO"},
    {kDirectReclaim, "__GFP_DIRECT_RECLAIM"},
    {kKswapdReclaim, "__GFP_KSWAPD_RECLAIM"},
    {kWrite, "__GFP_WRITE"},
    {kNowarn, "__GFP_NOWARN"},
    {kRetryMayfail, "__GFP_RETRY_MAYFAIL"},
    {kNofail, "__GFP_NOFAIL"},
    {kNoretry, "__GFP_NORETRY"},
    {kMemalloc, "__GFP_MEMALLOC"},
    {kComp, "__GFP_COMP"},
    {kNomemalloc, "__GFP_NOMEMALLOC"},
    {kHardwall, "__GFP_HARDWALL"},
    {kThisnode, "__GFP_THISNODE"},
    {kAccount, "__GFP_ACCOUNT"},
    {kZerotags, "__GFP_ZEROTAGS"},
    {kSkipZero, "__GFP_SKIP_ZERO"},
    {kSkipKasan, "__GFP_SKIP_KASAN"},
    {kNoObjExt, "__GFP_NO_OBJ_EXT"},
};

}  // namespace

std::string format_gfp_flags(uint64_t flags) {
  if (flags == 0) return "0";
  std::string out;
  uint64_t rest = flags;
  for (const Name &n : kNames) {
    if ((rest & n.mask) != n.mask) continue;
    if (!out.empty()) out += "|";
    out += n.name;
    rest &= ~n.mask;
  }
  if (rest != 0) {
    char hex[24];
    snprintf(hex, sizeof(hex), "0x%" PRIx64, rest);
    if (!out.empty()) out += "|";
    out += hex;
  }
  return out;
}

}  // namespace btc::rt
