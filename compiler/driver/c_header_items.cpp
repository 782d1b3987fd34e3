// c_header_type_items (driver/imports.h): splits an imported C header into its top-level items
// and keeps those that describe types.
#include <cctype>

#include "driver/imports.h"

namespace btc {
namespace {

class HeaderScanner {
 public:
  explicit HeaderScanner(const SourceFile &file) : file_(file), text_(file.text()) {}

  std::vector<CHeaderItem> run() {
    while (true) {
      skip_layout();
      if (pos_ >= text_.size()) break;
      size_t begin = pos_;
      if (text_[pos_] == '#') {
        preprocessor_line();
        std::string line = text_.substr(begin, pos_ - begin);
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
        // #include lines: the types of the headers they name come from kernel BTF, as for the
        // script's own #include lines; #pragma once has no meaning outside the header.
        if (directive(line) != "include" && directive(line) != "pragma") add(begin, line);
        continue;
      }
      declaration();
      std::string decl = text_.substr(begin, pos_ - begin);
      if (describes_type(decl)) add(begin, decl);
    }
    return std::move(items_);
  }

 private:
  void add(size_t begin, const std::string &text) {
    SourceRange r{file_.loc_of(begin), file_.loc_of(begin + text.size() - 1)};
    items_.push_back({text, r});
  }

  static std::string directive(const std::string &line) {
    size_t p = line.find_first_not_of(" \t", 1);
    if (p == std::string::npos) return "";
    size_t end = p;
    while (end < line.size() && std::isalpha(static_cast<unsigned char>(line[end]))) end++;
    return line.substr(p, end - p);
  }

  // struct/union/enum definitions (a body, then at most attributes and declarators without
  // parameter lists) and typedefs.
  static bool describes_type(const std::string &decl) {
    size_t word_end = 0;
    while (word_end < decl.size() &&
           (std::isalnum(static_cast<unsigned char>(decl[word_end])) || decl[word_end] == '_'))
      word_end++;
    std::string word = decl.substr(0, word_end);
    if (word == "typedef") return decl.back() == ';';
    if (word != "struct" && word != "union" && word != "enum") return false;
    size_t open = decl.find('{');
    size_t close = decl.rfind('}');
    if (open == std::string::npos || close == std::string::npos || decl.back() != ';') return false;
    if (decl.find('(', 0) < open) return false;
    std::string rest = decl.substr(close + 1);
    size_t paren = rest.find('(');
    return paren == std::string::npos || rest.find("__attribute__") < paren;
  }

  void preprocessor_line() {
    while (pos_ < text_.size() && text_[pos_] != '\n') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') pos_++;
      pos_++;
    }
  }

  // Up to a ';' outside brackets, or the '}' ending a function body.
  void declaration() {
    int depth = 0;
    bool parameters_seen = false;  // a ')' at depth 0: a '{' now opens a function body
    bool in_function_body = false;
    while (pos_ < text_.size()) {
      if (skip_comment_or_literal()) continue;
      char c = text_[pos_++];
      if (c == '(' || c == '[' || c == '{') {
        if (c == '{' && depth == 0 && parameters_seen) in_function_body = true;
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth > 0) depth--;
        if (depth == 0 && c == ')') parameters_seen = true;
        if (depth == 0 && c == '}' && in_function_body) return;
      } else if (c == ';' && depth == 0) {
        return;
      }
    }
  }

  bool skip_comment_or_literal() {
    char c = text_[pos_];
    if (c == '/' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == '/' || text_[pos_ + 1] == '*')) {
      skip_layout();
      return true;
    }
    if (c == '"' || c == '\'') {
      pos_++;
      while (pos_ < text_.size() && text_[pos_] != c && text_[pos_] != '\n') pos_ += text_[pos_] == '\\' ? 2 : 1;
      pos_++;
      return true;
    }
    return false;
  }

  void skip_layout() {
    while (pos_ < text_.size()) {
      if (std::isspace(static_cast<unsigned char>(text_[pos_]))) {
        pos_++;
      } else if (text_.compare(pos_, 2, "//") == 0) {
        size_t eol = text_.find('\n', pos_);
        pos_ = eol == std::string::npos ? text_.size() : eol;
      } else if (text_.compare(pos_, 2, "/*") == 0) {
        size_t end = text_.find("*/", pos_ + 2);
        pos_ = end == std::string::npos ? text_.size() : end + 2;
      } else {
        break;
      }
    }
  }

  const SourceFile &file_;
  const std::string &text_;
  size_t pos_ = 0;
  std::vector<CHeaderItem> items_;
};

}  // namespace

std::vector<CHeaderItem> c_header_type_items(const SourceFile &file) { return HeaderScanner(file).run(); }

}  // namespace btc
