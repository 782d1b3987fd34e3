// printf() formatting: bpftrace's rules (C++ stream semantics) for every
// supported conversion, flag and length modifier; strftime() text.
#include <gtest/gtest.h>

#include <ctime>

#include "printf_format.h"
#include "time_format.h"

using btc::rt::boot_ns_to_realtime_ns;
using btc::rt::format_printf;
using btc::rt::format_timestamp;
using btc::rt::parse_format;
using btc::rt::Printable;

namespace {

std::string fmt(const std::string &format, std::vector<Printable> args = {}) {
  return format_printf(parse_format(format), args);
}

Printable I(int64_t v) { return Printable::int64(v); }
Printable U(uint64_t v) { return Printable::uint64(v); }
Printable S(const std::string &s) { return Printable::string(s); }

TEST(RuntimePrintf, PlainTextAndPercent) {
  EXPECT_EQ(fmt("hello\n"), "hello\n");
  EXPECT_EQ(fmt("100%% done"), "100% done");
  EXPECT_EQ(fmt("%-5%"), "%");
  EXPECT_EQ(fmt("50%"), "50%");  // a lone '%' at the end is text
  EXPECT_EQ(fmt("%y and %d", {I(1)}), "%y and 1");
}

TEST(RuntimePrintf, SignedDecimalTruncatesToIntWithoutLengthModifier) {
  EXPECT_EQ(fmt("%d", {I(-3)}), "-3");
  EXPECT_EQ(fmt("%i", {I(42)}), "42");
  EXPECT_EQ(fmt("%d", {I(5000000000)}), "705032704");
  EXPECT_EQ(fmt("%ld", {I(5000000000)}), "5000000000");
  EXPECT_EQ(fmt("%lld", {I(-5000000000)}), "-5000000000");
  EXPECT_EQ(fmt("%d", {U(0xffffffff)}), "-1");
  EXPECT_EQ(fmt("%d %lu", {U(static_cast<uint64_t>(-2)), U(static_cast<uint64_t>(-2))}), "-2 18446744073709551614");
  EXPECT_EQ(fmt("%d %d %d %d", {I(-10), I(-5555), I(-123), I(100)}), "-10 -5555 -123 100");
  EXPECT_EQ(fmt("%jd %zd %td", {I(-7), I(-8), I(-9)}), "-7 -8 -9");
}

TEST(RuntimePrintf, UnsignedConversions) {
  EXPECT_EQ(fmt("%u", {I(-1)}), "4294967295");
  EXPECT_EQ(fmt("%lu", {I(-1)}), "18446744073709551615");
  EXPECT_EQ(fmt("%llu", {U(123)}), "123");
  EXPECT_EQ(fmt("%zu", {U(7)}), "7");
  EXPECT_EQ(fmt("%x", {I(255)}), "ff");
  EXPECT_EQ(fmt("%X", {I(255)}), "FF");
  EXPECT_EQ(fmt("%x", {I(-1)}), "ffffffff");
  EXPECT_EQ(fmt("%lx", {U(0xdeadbeef12)}), "deadbeef12");
  EXPECT_EQ(fmt("%llx", {I(-1)}), "ffffffffffffffff");
  EXPECT_EQ(fmt("%o", {I(8)}), "10");
}

TEST(RuntimePrintf, ShortLengthModifiers) {
  EXPECT_EQ(fmt("%hhx", {U(0x1ff)}), "ff");
  EXPECT_EQ(fmt("%hx", {U(0x1ffff)}), "ffff");
  EXPECT_EQ(fmt("%hhd", {I(255)}), "-1");
  EXPECT_EQ(fmt("%hd", {I(65535)}), "-1");
  EXPECT_EQ(fmt("%hhu", {I(-1)}), "255");
  EXPECT_EQ(fmt("%hu", {I(-1)}), "65535");
}

TEST(RuntimePrintf, WidthAndAlignment) {
  EXPECT_EQ(fmt("%5d|%-5d|%05d", {I(42), I(42), I(42)}), "   42|42   |00042");
  EXPECT_EQ(fmt("%3d", {I(12345)}), "12345");
  EXPECT_EQ(fmt("%10s|%-10s|", {S("hello"), S("hello")}), "     hello|hello     |");
  EXPECT_EQ(fmt("%-8x|", {I(255)}), "ff      |");
  EXPECT_EQ(fmt("%*d", {I(3)}), "3");  // '*' is accepted, no width
}

TEST(RuntimePrintf, ZeroPaddingGoesInFrontOfTheSign) {
  EXPECT_EQ(fmt("%05d", {I(-5)}), "000-5");
  EXPECT_EQ(fmt("%-05d", {I(-5)}), "-5000");
  EXPECT_EQ(fmt("%08x", {I(255)}), "000000ff");
  EXPECT_EQ(fmt("%05s", {S("ab")}), "000ab");
}

TEST(RuntimePrintf, SignAndAlternateForm) {
  EXPECT_EQ(fmt("%+d %+d %+d", {I(5), I(0), I(-5)}), "+5 +0 -5");
  EXPECT_EQ(fmt("%+u", {I(5)}), "5");
  EXPECT_EQ(fmt("% d", {I(5)}), "5");
  EXPECT_EQ(fmt("%#x %#X %#o", {I(255), I(255), I(8)}), "0xff 0XFF 010");
  EXPECT_EQ(fmt("%#x %#o", {I(0), I(0)}), "0 0");
  EXPECT_EQ(fmt("%#8x|", {I(255)}), "    0xff|");
  EXPECT_EQ(fmt("%#08x|", {I(255)}), "00000xff|");
}

TEST(RuntimePrintf, PrecisionIsIgnored) {
  EXPECT_EQ(fmt("%.2s", {S("hello")}), "hello");
  EXPECT_EQ(fmt("%.5d", {I(42)}), "42");
  EXPECT_EQ(fmt("%8.3s|", {S("hello")}), "   hello|");
}

TEST(RuntimePrintf, CharAndPointer) {
  EXPECT_EQ(fmt("%c", {I(65)}), "A");
  EXPECT_EQ(fmt("%3c|%-3c|", {I(66), I(67)}), "  B|C  |");
  EXPECT_EQ(fmt("%c", {I(0x141)}), "A");
  EXPECT_EQ(fmt("%p", {U(0x1f)}), "0x1f");
  EXPECT_EQ(fmt("%p", {U(0)}), "0");
  EXPECT_EQ(fmt("%10p|", {U(0xabc)}), "     0xabc|");
  EXPECT_EQ(fmt("%p", {U(0xffffffff81000000)}), "0xffffffff81000000");
}

TEST(RuntimePrintf, StringConversionOfOtherValues) {
  EXPECT_EQ(fmt("%s", {I(-5)}), "-5");
  EXPECT_EQ(fmt("%s", {U(18446744073709551615ULL)}), "18446744073709551615");
  EXPECT_EQ(fmt("%s %s", {Printable::boolean(true), Printable::boolean(false)}), "true false");
  EXPECT_EQ(fmt("%s", {Printable::symbol("do_sys_open", 0xffff1234)}), "do_sys_open");
  EXPECT_EQ(fmt("%d", {Printable::symbol("do_sys_open", 10)}), "10");
  EXPECT_EQ(fmt("%s", {S("")}), "");
  EXPECT_EQ(fmt("%+s", {I(5)}), "+5");
}

TEST(RuntimePrintf, TupleWidthAppliesToTheOpeningParenthesis) {
  Printable t = Printable::tuple({I(1), S("a")});
  EXPECT_EQ(fmt("%s", {t}), "(1, a)");
  EXPECT_EQ(fmt("%3s|", {t}), "  (1, a)|");
  EXPECT_EQ(fmt("%-3s|", {t}), "(  1, a)|");
}

TEST(RuntimePrintf, Buffers) {
  Printable b = Printable::buffer(std::string("ab\x01\xff", 4));
  EXPECT_EQ(fmt("%r", {b}), "ab\\x01\\xff");
  EXPECT_EQ(fmt("%rx", {b}), "\\x61\\x62\\x01\\xff");
  EXPECT_EQ(fmt("%rh", {b}), "61 62 01 ff");
  EXPECT_EQ(fmt("%r", {S("text")}), "text");
}

TEST(RuntimePrintf, NonIntegerForIntegerConversionIsReportedInline) {
  EXPECT_EQ(fmt("[%d]", {S("hi")}), "[!{invalid integer conversion: hi}]");
}

TEST(RuntimePrintf, ParsesFlagsInFixedOrderOnly) {
  auto parsed = parse_format("%-+ #05.3lld");
  ASSERT_EQ(parsed.specs.size(), 1u);
  const auto &s = parsed.specs[0];
  EXPECT_TRUE(s.left_align && s.show_sign && s.space && s.alternate && s.zero_pad);
  EXPECT_EQ(s.width, 5);
  EXPECT_EQ(s.precision, 3);
  EXPECT_EQ(s.length, "ll");
  EXPECT_EQ(s.conversion, "d");

  auto wrong_order = parse_format("%0-5d");
  EXPECT_EQ(wrong_order.specs.size(), 0u);
  EXPECT_EQ(wrong_order.fragments.back(), "%0-5d");
}

TEST(RuntimePrintf, FragmentsSurroundConversions) {
  auto parsed = parse_format("a%db%%c%se");
  ASSERT_EQ(parsed.specs.size(), 2u);
  ASSERT_EQ(parsed.fragments.size(), 3u);
  EXPECT_EQ(parsed.fragments[0], "a");
  EXPECT_EQ(parsed.fragments[1], "b%c");
  EXPECT_EQ(parsed.fragments[2], "e");
  EXPECT_EQ(fmt("a%db%%c%se", {I(1), S("d")}), "a1b%cde");
}

TEST(RuntimePrintf, SpecialConversionNames) {
  EXPECT_EQ(parse_format("%rx").specs.at(0).conversion, "rx");
  EXPECT_EQ(parse_format("%rh").specs.at(0).conversion, "rh");
  EXPECT_EQ(parse_format("%rz").specs.at(0).conversion, "r");
  EXPECT_EQ(parse_format("%rz").fragments.back(), "z");
  EXPECT_EQ(parse_format("%gr").specs.at(0).conversion, "gr");
}

}  // namespace

// strftime() text with bpftrace's %f/%k/%l extensions (time_format.h).
TEST(RuntimeTimeFormat, StrftimeWithSubsecondExtensions) {
  // 2021-03-04 05:06:07.123456789 UTC
  const uint64_t ns = 1614834367ULL * 1000000000ULL + 123456789ULL;
  EXPECT_EQ(format_timestamp("%Y-%m-%d %H:%M:%S.%f", ns, true), "2021-03-04 05:06:07.123456");
  EXPECT_EQ(format_timestamp("%H:%M:%S.%l|%k", ns, true), "05:06:07.123|123456789");
  EXPECT_EQ(format_timestamp("%f", 1000000000ULL * 1614834367ULL + 5000, true), "000005");
  EXPECT_EQ(format_timestamp("%H", 0, true), "(?)");
  EXPECT_EQ(format_timestamp("", ns, true), "(?)");  // strftime(3) wrote nothing
}

TEST(RuntimeTimeFormat, BootTimeToWallClock) {
  struct timespec boot, real;
  clock_gettime(CLOCK_BOOTTIME, &boot);
  clock_gettime(CLOCK_REALTIME, &real);
  uint64_t boot_ns = static_cast<uint64_t>(boot.tv_sec) * 1000000000ULL + boot.tv_nsec;
  uint64_t real_ns = static_cast<uint64_t>(real.tv_sec) * 1000000000ULL + real.tv_nsec;
  uint64_t converted = boot_ns_to_realtime_ns(boot_ns);
  EXPECT_LT(converted > real_ns ? converted - real_ns : real_ns - converted, 50000000ULL);  // within 50 ms
}
