// Which maps get a live word instead of real deletes (compiler/check/soft_delete.h).
#include <gtest/gtest.h>

#include "check_test_util.h"

namespace btc {
namespace {

// Whether map @m of the script is a soft-delete map.
bool soft(const std::string &script) {
  auto c = testing::check(script);
  EXPECT_TRUE(c->ok) << c->errors();
  return c->ok && c->info.map("@m").soft_delete;
}

TEST(SoftDelete, StoresReadsTestsAndDeletesQualify) {
  EXPECT_TRUE(soft("BEGIN { @m[1] = 2; } END { if (@m[1]) { delete(@m[1]); } }"));
  EXPECT_TRUE(soft("BEGIN { @m[1, \"a\"] = 2; $x = has_key(@m, (1, \"a\")); delete(@m, (1, \"a\")); print(@m); }"));
  EXPECT_TRUE(soft("BEGIN { @m[1] = 2; $d = delete(@m, 1); clear(@m); printf(\"%d\\n\", @m[1] + $d); }"));
}

TEST(SoftDelete, UsesInsideBlockExpressionsCount) {
  EXPECT_TRUE(soft("BEGIN { @m[1] = 2; $x = { $d = delete(@m, 1); $d }; }"));
  EXPECT_FALSE(soft("BEGIN { @m[1] = 2; $x = { @m[1]++; 1 }; delete(@m[1]); }"));
  EXPECT_FALSE(soft("BEGIN /{ $n = len(@m); 1 }/ { @m[1] = 2; delete(@m[1]); }"));
}

TEST(SoftDelete, NeedsADelete) { EXPECT_FALSE(soft("BEGIN { @m[1] = 2; print(@m); }")); }

TEST(SoftDelete, OtherUsesKeepRealDeletes) {
  const char *scripts[] = {
      "BEGIN { @m[1] = 2; @m[1]++; delete(@m[1]); }",
      "BEGIN { @m[1] = 2; @m[1] += 3; delete(@m[1]); }",
      "BEGIN { @m[1] = 2; $n = len(@m); delete(@m[1]); }",
      "BEGIN { @m[1] = 2; zero(@m); delete(@m[1]); }",
      "BEGIN { @m[1] = 2; for ($kv : @m) { print($kv); } delete(@m[1]); }",
      "BEGIN { @m[1] = 2; $v = 0; if (find(@m, 1, $v)) { delete(@m[1]); } }",
      "BEGIN { @m[1] = count(); delete(@m[1]); }",
      "BEGIN { @m[1] = \"text\"; delete(@m[1]); }",
      "BEGIN { @m = 1; delete(@m); }",
      "let @m = lruhash(8); BEGIN { @m[1] = 2; delete(@m[1]); }",
  };
  for (const char *s : scripts) EXPECT_FALSE(soft(s)) << s;
}

}  // namespace
}  // namespace btc
