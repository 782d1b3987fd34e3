// Root imports (driver/imports.h): lookup, merging order, each file once, refusals, and where
// diagnostics about imported files point; the type items of imported C headers.
#include "driver/imports.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ast/ast_dump.h"
#include "parse/parser.h"

namespace fs = std::filesystem;

namespace btc {
namespace {

class ImportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "btc-imports-test.XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    chmod(dir_.c_str(), 0755);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void write(const std::string &path, const std::string &text) {
    fs::create_directories((dir_ / path).parent_path());
    std::ofstream(dir_ / path) << text;
  }

  // Parses and resolves `main.bt` (written with `text`); the rendered diagnostics go to *diag_text.
  bool resolve(const std::string &text, std::string *diag_text) {
    write("main.bt", text);
    main_ = std::make_unique<SourceFile>((dir_ / "main.bt").string(), text);
    diags_ = std::make_unique<Diagnostics>(*main_);
    program_ = ast::Program{};
    bool ok = parse_program(*main_, *diags_, &program_) && resolve_imports(program_, main_->name(), *diags_, &files_);
    std::ostringstream out;
    diags_->render(out);
    *diag_text = out.str();
    return ok;
  }

  std::string probe_names() const {
    std::string out;
    for (const auto &p : program_.probes) out += (out.empty() ? "" : " ") + p.attach_points[0].raw;
    return out;
  }

  fs::path dir_;
  std::unique_ptr<SourceFile> main_;
  std::unique_ptr<Diagnostics> diags_;
  ast::Program program_;
  ImportedFiles files_;
};

TEST_F(ImportsTest, MergesScriptsInNameOrderOnceEach) {
  write("b.bt", "import \"lib/c.bt\";\nlet @b = hash(2);\nmacro mb() { 1 }\ninterval:s:1 {}\ninterval:s:2 {}\n");
  write("lib/c.bt", "struct C { int x; }\nmacro mc() { 2 }\nEND {}\n");
  write("a.bt", "BEGIN {}\n");
  std::string diags;
  ASSERT_TRUE(
      resolve("import \"b.bt\";\nimport \"a.bt\";\nimport \"b.bt\";\nimport \"lib/c.bt\";\nprofile:hz:99 {}\n", &diags))
      << diags;
  // bpftrace: each imported script, by name, puts its probes in reverse order before the others.
  EXPECT_EQ(probe_names(), "END interval:s:2 interval:s:1 BEGIN profile:hz:99");
  ASSERT_EQ(program_.map_decls.size(), 1u);
  ASSERT_EQ(program_.macros.size(), 2u);
  EXPECT_EQ(program_.macros[0].name, "mb");
  EXPECT_EQ(program_.macros[1].name, "mc");
  ASSERT_EQ(program_.c_definitions.size(), 1u);
  EXPECT_EQ(program_.c_definition_ranges[0].begin.line, 1);
  ASSERT_NE(program_.c_definition_ranges[0].file, nullptr);
  EXPECT_EQ(std::string(program_.c_definition_ranges[0].file), (dir_ / "lib/c.bt").string());
}

TEST_F(ImportsTest, HeadersAndCSourcesAndDirectories) {
  write("lib/z.bt", "BEGIN {}\n");
  write("lib/a.h", "typedef int a_t;\n");
  write("lib/m.bpf.c", "int f(int x) { return x; }\n");
  write("lib/readme.md", "ignored\n");
  write("lib/sub/deeper.bt", "not parsed\n");
  std::string diags;
  ASSERT_TRUE(resolve("struct S { a_t v; }\nimport \"lib\";\nimport \"lib/m.bpf.c\";\nBEGIN {}\n", &diags)) << diags;
  EXPECT_EQ(probe_names(), "BEGIN BEGIN");
  ASSERT_EQ(program_.c_definitions.size(), 2u);  // the header's first: the script's may use its types
  EXPECT_EQ(program_.c_definitions[0], "typedef int a_t;");
  ASSERT_EQ(files_.c_sources.size(), 1u);
  EXPECT_EQ(files_.c_sources[0].path, fs::weakly_canonical(dir_ / "lib/m.bpf.c").string());
}

TEST_F(ImportsTest, DiagnosticsPointIntoTheImportedFile) {
  write("bad.bt", "config = { max_strlen = 8 }\nBEGIN { $x = ; }\n");
  std::string diags;
  EXPECT_FALSE(resolve("import \"bad.bt\";\nBEGIN {}\n", &diags));
  std::string bad = (dir_ / "bad.bt").string();
  EXPECT_EQ(diags, bad + ":2:14: error: unexpected ';', expecting expression\nBEGIN { $x = ; }\n             ^\n");
  write("bad.bt", "config = { max_strlen = 8 }\nBEGIN {}\n");
  files_ = ImportedFiles{};
  EXPECT_FALSE(resolve("import \"bad.bt\";\nBEGIN {}\n", &diags));
  EXPECT_EQ(diags, bad + ":1:1: error: invalid `config` within import\nconfig = { max_strlen = 8 }\n^~~~~~\n");
}

TEST_F(ImportsTest, Refusals) {
  std::string diags;
  EXPECT_FALSE(resolve("import \"nope.bt\";\n", &diags));
  EXPECT_NE(diags.find("error: Unable to find suitable path for import"), std::string::npos) << diags;
  EXPECT_NE(diags.find("note: checked: " + (dir_ / "nope.bt").string()), std::string::npos) << diags;

  write("open/x.bt", "BEGIN {}\n");
  chmod((dir_ / "open").c_str(), 0777);
  EXPECT_FALSE(resolve("import \"open\";\n", &diags));
  EXPECT_NE(diags.find("warning: skipping due to global write permissions"), std::string::npos) << diags;
  // A file in a world-writable directory is refused too.
  EXPECT_FALSE(resolve("import \"open/x.bt\";\n", &diags));
  EXPECT_NE(diags.find("skipping due to global write permissions"), std::string::npos) << diags;

  write("x.o", "");
  EXPECT_FALSE(resolve("import \"x.o\";\n", &diags));
  EXPECT_NE(diags.find("error: unknown import type: \"x.o\""), std::string::npos) << diags;
  EXPECT_FALSE(resolve("import \"stdlib/test\";\n", &diags));
  EXPECT_NE(diags.find("cannot import 'stdlib/test'"), std::string::npos) << diags;
}

TEST(CHeaderItems, KeepsTypesAndPreprocessorLines) {
  SourceFile h("t.h",
               "#pragma once\n#include <linux/types.h>\n#define N 3 \\\n  + 1\n"
               "// comment\ntypedef struct { int a; } anon_t;\n"
               "struct S { char c[N]; } __attribute__((packed));\n"
               "struct S *make(void);\nstatic inline int f(int a) { if (a) { return 1; } return 0; }\n"
               "enum E { A = 1, B = (2) };\nextern int counter;\nstruct Fwd;\n");
  std::vector<CHeaderItem> items = c_header_type_items(h);
  std::vector<std::string> texts;
  for (const auto &i : items) texts.push_back(i.text);
  std::vector<std::string> want = {"#define N 3 \\\n  + 1", "typedef struct { int a; } anon_t;",
                                   "struct S { char c[N]; } __attribute__((packed));", "enum E { A = 1, B = (2) };"};
  EXPECT_EQ(texts, want);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[1].range.begin.line, 6);
  EXPECT_EQ(items[3].range.begin.line, 10);
}

}  // namespace
}  // namespace btc
