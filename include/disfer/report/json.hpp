#pragma once
/// \file
/// A small streaming JSON writer for reports (RFC 8259). The core library writes its JSON by hand
/// rather than through nlohmann-json, which is a dependency of the optional inference component
/// only: a user of the statistics needs nothing more than Eigen, Boost.Math and xtensor, and a
/// report only ever writes (never parses) JSON. Numbers are printed in their shortest round-trip
/// form (std::to_chars: 0.1 -> 0.1, 1e-300 -> 1e-300), so a reader gets back the very double;
/// NaN and infinities, which JSON cannot represent, are written as null. Strings are escaped:
/// `"` and `\`, the control characters U+0000-U+001F (as \b \f \n \r \t or \u00XX) and U+007F;
/// other bytes are copied (the caller passes UTF-8). Output depends on the calls only (no locale).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "disfer/core/error.hpp"

namespace disfer {

/// Writes `text` as a JSON string literal (with the quotes) to `out`. O(length).
inline void write_json_string(std::ostream& out, std::string_view text) {
  static const char* hex = "0123456789abcdef";
  out << '"';
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out << "\\\"";
        break;
      case '\\':
        out << "\\\\";
        break;
      case '\b':
        out << "\\b";
        break;
      case '\f':
        out << "\\f";
        break;
      case '\n':
        out << "\\n";
        break;
      case '\r':
        out << "\\r";
        break;
      case '\t':
        out << "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f)
          out << "\\u00" << hex[c >> 4] << hex[c & 15];
        else
          out << ch;
    }
  }
  out << '"';
}

/// The JSON text of a number: the shortest round-trip decimal form, or `null` for NaN and +-inf.
inline std::string json_number(double v) {
  return std::isfinite(v) ? detail::shortest(v) : std::string("null");
}

/// Streaming JSON writer with indentation (2 spaces a level):
///
///     disfer::json_writer j(out);
///     j.begin_object().key("kappa").value(0.58).key("raters").value(std::int64_t{1051}).end_object();
///
/// Commas, colons and line breaks are placed by the writer. Throws disfer::error (named
/// `json_writer`) when the calls do not form one JSON value: a key outside an object, a value
/// without its key inside an object, an unbalanced end, or a second top-level value.
class json_writer {
 public:
  explicit json_writer(std::ostream& out) : out_(out) {}

  json_writer& begin_object() { return open('{', true); }
  json_writer& end_object() { return close('}', true); }
  json_writer& begin_array() { return open('[', false); }
  json_writer& end_array() { return close(']', false); }

  /// The key of the next member (inside an object only).
  json_writer& key(std::string_view name) {
    if (stack_.empty() || !stack_.back().object || pending_key_)
      detail::fail("json_writer", "key '", std::string(name), "' outside an object or twice");
    separator();
    write_json_string(out_, name);
    out_ << ": ";
    pending_key_ = true;
    return *this;
  }

  json_writer& value(double v) { return scalar(json_number(v)); }
  json_writer& value(std::int64_t v) { return scalar(std::to_string(v)); }
  json_writer& value(std::uint64_t v) { return scalar(std::to_string(v)); }
  json_writer& value(int v) { return scalar(std::to_string(v)); }
  json_writer& value(bool v) { return scalar(v ? "true" : "false"); }
  json_writer& value(const char* v) { return value(std::string_view(v)); }
  json_writer& value(const std::string& v) { return value(std::string_view(v)); }
  json_writer& value(std::string_view v) {
    before_value();
    write_json_string(out_, v);
    return *this;
  }
  json_writer& null() { return scalar("null"); }
  /// An array of numbers on one line.
  json_writer& value(const std::vector<double>& v) {
    before_value();
    out_ << '[';
    for (std::size_t i = 0; i < v.size(); ++i) out_ << (i ? ", " : "") << json_number(v[i]);
    out_ << ']';
    return *this;
  }

  /// True once one complete top-level value has been written.
  bool complete() const noexcept { return done_ && stack_.empty(); }

 private:
  struct level {
    bool object;
    std::size_t members;
  };
  void indent() {
    out_ << '\n';
    for (std::size_t i = 0; i < stack_.size(); ++i) out_ << "  ";
  }
  void separator() {
    if (stack_.back().members++ > 0) out_ << ',';
    indent();
  }
  void before_value() {
    if (stack_.empty()) {
      if (done_) detail::fail("json_writer", "a second top-level value");
      done_ = true;
      return;
    }
    if (stack_.back().object) {
      if (!pending_key_) detail::fail("json_writer", "a value inside an object needs a key");
      pending_key_ = false;
      return;
    }
    separator();
  }
  json_writer& scalar(const std::string& text) {
    before_value();
    out_ << text;
    return *this;
  }
  json_writer& open(char c, bool object) {
    before_value();
    out_ << c;
    stack_.push_back({object, 0});
    return *this;
  }
  json_writer& close(char c, bool object) {
    if (stack_.empty() || stack_.back().object != object || pending_key_)
      detail::fail("json_writer", "unbalanced '", c, "'");
    const bool had = stack_.back().members > 0;
    stack_.pop_back();
    if (had) indent();
    out_ << c;
    if (stack_.empty()) out_ << '\n';
    return *this;
  }

  std::ostream& out_;
  std::vector<level> stack_;
  bool pending_key_ = false;
  bool done_ = false;
};

}  // namespace disfer
