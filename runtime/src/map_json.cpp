#include "map_json.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <optional>

namespace btc::rt {

// ---- values --------------------------------------------------------------------

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;  // bytes >= 0x80 pass through, so UTF-8 stays UTF-8
        }
    }
  }
  return out + "\"";
}

// JSON numbers are doubles: integers a double cannot hold exactly become strings.
std::string json_int(int64_t value) {
  double d = static_cast<double>(value);
  bool exact = d >= -9223372036854775808.0 && d < 9223372036854775808.0 && static_cast<int64_t>(d) == value;
  std::string text = std::to_string(value);
  return exact ? text : json_string(text);
}

std::string json_uint(uint64_t value) {
  double d = static_cast<double>(value);
  bool exact = d < 18446744073709551616.0 && static_cast<uint64_t>(d) == value;
  std::string text = std::to_string(value);
  return exact ? text : json_string(text);
}

std::string json_value(const Printable &value) {
  switch (value.kind) {
    case Printable::Kind::kNone:
      return "null";
    case Printable::Kind::kBool:
      return value.sint ? "true" : "false";
    case Printable::Kind::kInt:
      return json_int(value.sint);
    case Printable::Kind::kUint:
    case Printable::Kind::kSymbol:  // symbols are written as their number
      return json_uint(value.uint);
    case Printable::Kind::kString:
      return json_string(value.text);
    case Printable::Kind::kBuffer: {  // an array of (signed) chars
      std::string out = "[";
      for (size_t i = 0; i < value.text.size(); i++) {
        if (i > 0) out += ",";
        out += std::to_string(static_cast<int>(static_cast<signed char>(value.text[i])));
      }
      return out + "]";
    }
    case Printable::Kind::kTuple:
    case Printable::Kind::kArray: {
      std::string out = "[";
      for (size_t i = 0; i < value.items.size(); i++) {
        if (i > 0) out += ",";
        out += json_value(value.items[i]);
      }
      return out + "]";
    }
    case Printable::Kind::kRecord: {
      std::string out = "{";
      for (size_t i = 0; i < value.items.size(); i++) {
        if (i > 0) out += ", ";
        out += json_string(value.names[i]) + ": " + json_value(value.items[i]);
      }
      return out + "}";
    }
  }
  return "null";
}

std::string json_key(const Printable &key) {
  std::string text = to_text(key);
  if (text.size() >= 2 && text.front() == '(' && text.back() == ')') text = text.substr(1, text.size() - 2);
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
  return json_string(text);
}

// ---- histograms ----------------------------------------------------------------

// The last value of the bucket that ends before `label`, for integer labels.
static std::optional<int64_t> one_less(const Printable &label) {
  switch (label.kind) {
    case Printable::Kind::kInt:
      return label.sint - 1;
    case Printable::Kind::kUint:
    case Printable::Kind::kSymbol:
      return label.uint == 0 ? -1 : static_cast<int64_t>(label.uint - 1);
    default:
      return std::nullopt;
  }
}

std::string json_hist(const HistView &hist) {
  std::string out = "[";
  for (size_t i = 0; i < hist.counts.size(); i++) {
    if (i > 0) out += ",";
    out += "{";
    if (i == 0 && hist.lower_bound)
      out += "\"min\": " + json_value(*hist.lower_bound) + ", ";
    else if (i > 0)
      out += "\"min\": " + json_value(hist.labels[i - 1]) + ", ";
    if (i < hist.labels.size()) {
      std::optional<int64_t> max = one_less(hist.labels[i]);
      out += "\"max\": " + (max ? json_int(*max) : json_value(hist.labels[i])) + ", ";
    }
    out += "\"count\": " + std::to_string(hist.counts[i]) + "}";
  }
  return out + "]";
}

// ---- records -------------------------------------------------------------------

static std::string record(std::string_view type, const std::string &data) {
  return "{\"type\": \"" + std::string(type) + "\", \"data\": " + data + "}\n";
}

static std::string row_value(const MapView &view, const MapRow &row) {
  if (view.kind == MapView::Kind::kTseries) return tseries_formatting() ? tseries_formatting()->json(row.series) : "[]";
  return view.kind == MapView::Kind::kHist ? json_hist(row.hist) : json_value(row.value);
}

static const char *map_record_type(MapView::Kind kind) {
  switch (kind) {
    case MapView::Kind::kStats:
      return "stats";
    case MapView::Kind::kHist:
      return "hist";
    case MapView::Kind::kTseries:
      return "tseries";
    default:
      return "map";
  }
}

std::string render_map_json(const MapView &view) {
  const char *type = map_record_type(view.kind);
  std::string data;
  if (view.rows.empty()) {
    // bpftrace skips an empty map, but wraps avg/stats maps first and so
    // prints those as an empty object.
    if (view.kind != MapView::Kind::kStats) return "";
    data = "{}";
  } else if (view.scalar) {
    data = row_value(view, view.rows.front());
  } else {
    data = "{";
    for (size_t i = 0; i < view.rows.size(); i++) {
      if (i > 0) data += ", ";
      data += json_key(view.rows[i].key) + ": " + row_value(view, view.rows[i]);
    }
    data += "}";
  }
  return record(type, "{" + json_string(view.name) + ": " + data + "}");
}

std::string json_printf_record(std::string_view text) { return record("printf", json_string(text)); }

std::string json_value_record(const Printable &value) { return record("value", json_value(value)); }

std::string json_time_record(std::string_view text) { return record("time", json_string(text)); }

std::string json_attached_probes_record(uint64_t count) {
  std::string n = std::to_string(count);
  return "{\"type\": \"attached_probes\", \"count\": " + n + ", \"data\": {\"probes\": " + n + "}}\n";
}

std::string json_lost_events_record(uint64_t count) {
  std::string n = std::to_string(count);
  return "{\"type\": \"lost_events\", \"count\": " + n + ", \"data\": {\"events\": " + n + "}}\n";
}

// "dir/file.bt:12:5" -> {"file.bt" part, 12, 5}; missing numbers are 0.
static void split_location(std::string_view loc, std::string &file, uint64_t &line, uint64_t &col) {
  file = std::string(loc);
  line = col = 0;
  size_t last = loc.rfind(':');
  if (last == std::string_view::npos) return;
  size_t middle = loc.rfind(':', last == 0 ? 0 : last - 1);
  if (middle == std::string_view::npos || middle >= last) return;
  file = std::string(loc.substr(0, middle));
  line = strtoull(std::string(loc.substr(middle + 1, last - middle - 1)).c_str(), nullptr, 10);
  col = strtoull(std::string(loc.substr(last + 1)).c_str(), nullptr, 10);
}

std::string json_diagnostic_record(bool is_error, std::string_view message, std::string_view source_loc) {
  std::string file;
  uint64_t line, col;
  split_location(source_loc, file, line, col);
  return std::string("{\"type\": \"") + (is_error ? "errorf" : "warnf") + "\", \"msg\": " + json_string(message) +
         ", \"filename\": " + json_string(file) + ", \"line\": " + json_uint(line) + ", \"col\": " + json_uint(col) +
         "}\n";
}

std::string json_map_full_record(std::string_view map_name) {
  return "{\"type\": \"helper_error\", \"msg\": \"Argument list too long\", \"helper\": \"map_update_elem\", "
         "\"retcode\": -7, \"map\": " +
         json_string(map_name) + "}\n";
}

}  // namespace btc::rt
