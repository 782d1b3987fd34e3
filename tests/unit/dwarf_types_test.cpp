// The DWARF reader (compiler/elf/dwarf_types.*) on a fixture program built with -g
// (tests/unit/fixtures/dwarf_fixture.c), and the checker's use of it for uprobe `args`.
#include "elf/dwarf_types.h"

#include <gtest/gtest.h>

#include <sstream>

#include "check_test_util.h"
#include "driver/list_probes.h"

namespace btc {
namespace {

DwarfTypes &fixture() {
  static std::unique_ptr<DwarfTypes> dw = [] {
    std::string err;
    auto d = DwarfTypes::open(BTC_DWARF_FIXTURE, &err);
    EXPECT_TRUE(d) << err;
    return d;
  }();
  return *dw;
}

TEST(DwarfTypes, ScalarParameters) {
  auto params = fixture().function_params("fixture_scalars");
  ASSERT_TRUE(params);
  ASSERT_EQ(params->size(), 5u);
  const char *names[] = {"c", "s", "n", "text", "col"};
  const char *spellings[] = {"char", "short int", "counter_t", "const char*", "enum colour"};
  for (size_t i = 0; i < 5; i++) {
    EXPECT_EQ((*params)[i].name, names[i]);
    EXPECT_EQ((*params)[i].spelling, spellings[i]);
  }
  EXPECT_EQ(to_string((*params)[0].type), "int8");
  EXPECT_EQ(to_string((*params)[1].type), "int16");
  EXPECT_EQ(to_string((*params)[2].type), "uint64");  // through the typedef
  const Type &text = (*params)[3].type;
  ASSERT_EQ(text.kind, TypeKind::Pointer);
  EXPECT_EQ(to_string(text.inner[0]), "int8");
  EXPECT_EQ(to_string((*params)[4].type), "uint32");  // an enum without negative values
}

TEST(DwarfTypes, StructLayoutMatchesTheCompiler) {
  auto params = fixture().function_params("fixture_shape");
  ASSERT_TRUE(params);
  ASSERT_EQ(params->size(), 2u);
  const Type &sh = (*params)[0].type;
  ASSERT_EQ(sh.kind, TypeKind::Pointer);
  EXPECT_EQ(sh.inner[0].kind, TypeKind::Record);
  EXPECT_EQ(sh.inner[0].name, "struct shape");
  EXPECT_EQ(sh.inner[0].size, 120u);
  EXPECT_EQ((*params)[1].type.inner[0].name, "union word");

  ScriptTypes types;
  for (const auto &[name, rec] : fixture().records()) types.add_record(rec);
  auto field = [&](const char *name) {
    auto f = types.find_field("struct shape", name);
    EXPECT_TRUE(f) << name;
    return f.value_or(ScriptField{});
  };
  EXPECT_EQ(field("label").offset, 0u);
  EXPECT_EQ(to_string(field("name").type), "string[12]");  // char arrays are strings
  EXPECT_EQ(field("name").offset, 8u);
  ScriptField corners = field("corners");
  EXPECT_EQ(corners.offset, 20u);
  ASSERT_EQ(corners.type.kind, TypeKind::Array);
  EXPECT_EQ(corners.type.count, 2u);
  EXPECT_EQ(corners.type.inner[0].count, 3u);
  EXPECT_EQ(corners.type.inner[0].inner[0].name, "struct point");
  EXPECT_EQ(field("next").offset, 72u);
  EXPECT_EQ(field("next").type.inner[0].name, "struct shape");  // a self reference
  EXPECT_EQ(field("w").offset, 80u);
  EXPECT_EQ(field("depth").offset, 84u);  // through the anonymous member
  EXPECT_EQ(field("colour").offset, 88u);
  EXPECT_EQ(field("hits").offset, 96u);
  ScriptField level = field("level");
  EXPECT_EQ(level.offset, 104u);
  EXPECT_EQ(level.bit_offset, 1u);
  EXPECT_EQ(level.bit_size, 4u);
  EXPECT_FALSE(types.find_field("struct shape", "area"));  // a double: left out
  EXPECT_EQ(types.find_field("union word", "bytes")->offset, 0u);
  EXPECT_EQ(types.record("union word")->size, 4u);
}

TEST(DwarfTypes, RecordsByName) {
  auto t = fixture().record("struct point");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->size, 8u);
  EXPECT_FALSE(fixture().record("struct nonexistent"));
  EXPECT_FALSE(fixture().function_params("no_such_function"));
}

TEST(DwarfTypes, FileWithoutDebugInfo) {
  std::string err;
  EXPECT_FALSE(DwarfTypes::open(BTC_TEST_DATA_DIR "/CMakeLists.txt", &err));
  EXPECT_NE(err.find("no debuginfo found for"), std::string::npos) << err;
}

// The checker types uprobe `args` and casts to the binary's structs from its DWARF.
TEST(DwarfTypes, CheckerTypesUprobeArgs) {
  std::string bin = BTC_DWARF_FIXTURE;
  auto c = testing::check("uprobe:" + bin + ":fixture_shape { @[str(args.sh->label)] = args.sh->corners[1][2].y; " +
                          "@n = ((struct point *)arg1)->x; }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_TRUE(c->info.script_types.record("struct shape"));
}

TEST(DwarfTypes, CheckerRefusesWhatRegistersCannotHold) {
  std::string bin = BTC_DWARF_FIXTURE;
  auto seven = testing::check("uprobe:" + bin + ":fixture_seven { print(args.a); }");
  EXPECT_NE(seven->first_error().find("stack-passed arguments"), std::string::npos) << seven->errors();
  auto by_value = testing::check("uprobe:" + bin + ":fixture_by_value { print(args.p); }");
  EXPECT_NE(by_value->first_error().find("struct point passed by value"), std::string::npos) << by_value->errors();
  auto flt = testing::check("uprobe:" + bin + ":fixture_by_value { print(args.d); }");
  EXPECT_NE(flt->first_error().find("has type double, which is not supported"), std::string::npos) << flt->errors();
  auto after = testing::check("uprobe:" + bin + ":fixture_after_double { print(args.x); }");
  EXPECT_NE(after->first_error().find("follows d, which is not passed in one integer register"), std::string::npos)
      << after->errors();
  auto missing = testing::check("uprobe:" + bin + ":fixture_scalars { print(args.txt); }");
  EXPECT_NE(missing->first_error().find("did you mean args.text?"), std::string::npos) << missing->errors();
}

// btc -lv 'uprobe:BIN:GLOB' shows each function's parameters under it, as bpftrace -lv does.
TEST(DwarfTypes, VerboseListingShowsParameters) {
  std::string bin = BTC_DWARF_FIXTURE;
  std::ostringstream out;
  ASSERT_EQ(list_probes("uprobe:" + bin + ":fixture_s*", "", out, true), 0);
  EXPECT_EQ(out.str(),
            "uprobe:" + bin + ":fixture_scalars\n    char c\n    short int s\n    counter_t n\n" +
                "    const char* text\n    enum colour col\n" + "uprobe:" + bin +
                ":fixture_seven\n    int a\n    int b\n    int c\n    int d\n    int e\n    int f\n    int g\n" +
                "uprobe:" + bin + ":fixture_shape\n    struct shape* sh\n    union word* w\n");
}

}  // namespace
}  // namespace btc
