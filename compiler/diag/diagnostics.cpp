#include "diag/diagnostics.h"

#include <algorithm>

namespace btc {

// A block shared by several attach points is checked once per attach point; report each
// problem once.
bool Diagnostics::seen(Severity sev, SourceRange range, const std::string &message) const {
  for (const auto &d : diags_)
    if (d.severity == sev && d.message == message && d.range.file == range.file &&
        d.range.begin.line == range.begin.line && d.range.begin.col == range.begin.col)
      return true;
  return false;
}

void Diagnostics::error(DiagKind kind, SourceRange range, std::string message) {
  errors_++;
  if (seen(Severity::Error, range, message)) return;
  diags_.push_back({Severity::Error, kind, range, std::move(message)});
}

void Diagnostics::warning(DiagKind kind, SourceRange range, std::string message) {
  if (seen(Severity::Warning, range, message)) return;
  diags_.push_back({Severity::Warning, kind, range, std::move(message)});
}

void Diagnostics::note(SourceRange range, std::string message) {
  diags_.push_back({Severity::Note, DiagKind::Semantic, range, std::move(message)});
}

void Diagnostics::render_one(std::ostream &out, const Diagnostic &d) const {
  const char *sev = d.severity == Severity::Error ? "error" : d.severity == Severity::Warning ? "warning" : "note";
  render_at(out, sev, d.range, d.message);
  for (const SourceRange *call = d.range.expanded_from; call; call = call->expanded_from)
    render_at(out, "note", *call, "expanded from");
}

void Diagnostics::render_at(std::ostream &out, const char *sev, const SourceRange &range,
                            const std::string &message) const {
  const SourceFile *source = &file_;
  if (range.file) {
    source = nullptr;
    for (const SourceFile *s : sources_)
      if (s->name().c_str() == range.file) source = s;
  }
  if (!source) {  // btc's own text (stdlib macros): named, not quoted
    out << range.file << ":" << range.begin.line << ":" << range.begin.col << ": " << sev << ": " << message << "\n";
    return;
  }
  out << source->name() << ":" << range.begin.line << ":" << range.begin.col << ": " << sev << ": " << message << "\n";
  std::string_view line = source->line(range.begin.line);
  if (range.begin.line < 1 || (line.empty() && range.begin.col <= 1)) return;
  out << line << "\n";
  int first = std::max(1, range.begin.col);
  int last = range.end.line == range.begin.line ? std::max(first, range.end.col) : static_cast<int>(line.size());
  last = std::max(first, std::min(last, static_cast<int>(line.size())));
  std::string marker;
  for (int c = 1; c < first; c++) marker += (c - 1 < static_cast<int>(line.size()) && line[c - 1] == '\t') ? '\t' : ' ';
  marker += '^';
  for (int c = first + 1; c <= last; c++) marker += '~';
  out << marker << "\n";
}

void Diagnostics::render(std::ostream &out) const {
  for (const auto &d : diags_) render_one(out, d);
}

static size_t edit_distance(const std::string &a, const std::string &b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); j++) prev[j] = j;
  for (size_t i = 1; i <= a.size(); i++) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); j++)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest_match(const std::string &name, const std::vector<std::string> &candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, name.size() / 3) + 1;
  for (const auto &c : candidates) {
    size_t d = edit_distance(name, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace btc
