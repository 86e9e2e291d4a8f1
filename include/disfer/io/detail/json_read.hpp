#pragma once
/// \file
/// A minimal JSON reader (RFC 8259) for the io module, which must not depend on nlohmann-json (a
/// dependency of the inference component only): a cursor over a JSON text in memory that reads
/// strings (decoded to UTF-8), number literals (validated, kept as text) and the literals true,
/// false and null, and skips any value. Nested objects and arrays are skipped with an explicit
/// stack, not by recursion, so that a deeply nested input costs heap, never the call stack. Every
/// error is a disfer::error naming the path, the 1-based line and the 1-based column (byte within
/// the line; a leading UTF-8 byte-order mark is skipped and not counted, as csv_reader does).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "disfer/core/error.hpp"

namespace disfer::detail {

/// What a JSON value is.
enum class json_kind : std::uint8_t { string, number, boolean, null, object, array };

/// Cursor over one JSON text. `text` must outlive the cursor.
class json_cursor {
 public:
  json_cursor(std::string_view text, std::string path, const char* function)
      : text_(text), path_(std::move(path)), function_(function) {
    if (text_.size() >= 3 && static_cast<unsigned char>(text_[0]) == 0xEF &&
        static_cast<unsigned char>(text_[1]) == 0xBB && static_cast<unsigned char>(text_[2]) == 0xBF)
      pos_ = line_start_ = 3;
  }

  /// Line and column of the next byte (1-based).
  std::uint64_t line() const noexcept { return line_; }
  std::uint64_t column() const noexcept { return pos_ - line_start_ + 1; }
  const std::string& path() const noexcept { return path_; }
  bool at_end() const noexcept { return pos_ >= text_.size(); }
  /// The next byte, or -1 at the end.
  int peek() const noexcept { return at_end() ? -1 : static_cast<unsigned char>(text_[pos_]); }

  /// Skips JSON whitespace (space, tab, CR, LF), counting lines at LF.
  void skip_whitespace() noexcept {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        line_start_ = ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  /// Consumes `c` if it is the next byte.
  bool consume(char c) noexcept {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  /// Consumes `c` or fails with "expected <what>".
  void expect(char c, const char* what) {
    if (!consume(c)) fail_here("expected ", what, ", found ", describe_next());
  }

  /// Throws `function: path:line:column: invalid JSON: parts...` at the next byte.
  template <class... Parts>
  [[noreturn]] void fail_here(const Parts&... parts) const {
    fail_at(function_, path_, line(), column(), "invalid JSON: ", parts...);
  }

  /// The next byte in words, for messages: 'x', byte 0x01, or the end of the input.
  std::string describe_next() const {
    const int c = peek();
    if (c == -1) return "the end of the input";
    if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
    static const char hex[] = "0123456789ABCDEF";
    return std::string("byte 0x") + hex[c >> 4] + hex[c & 15];
  }

  /// Reads a value. Strings are decoded into `out`, numbers and literals copied as written
  /// ("12.5", "true", "null"); objects and arrays are skipped (validated) and `out` is left empty.
  /// `out` may be null (a value only skipped).
  json_kind read_value(std::string* out) {
    if (out) out->clear();
    const int c = peek();
    switch (c) {
      case '"':
        read_string(out);
        return json_kind::string;
      case '{':
      case '[':
        skip_nested();
        return c == '{' ? json_kind::object : json_kind::array;
      case 't':
        read_literal("true", out);
        return json_kind::boolean;
      case 'f':
        read_literal("false", out);
        return json_kind::boolean;
      case 'n':
        read_literal("null", out);
        return json_kind::null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          read_number(out);
          return json_kind::number;
        }
        fail_here("expected a value, found ", describe_next());
    }
  }

  /// Reads a string (the next byte is '"'), decoded into `out` (may be null: validated only).
  /// \uXXXX escapes become UTF-8; a surrogate pair one code point; a lone surrogate (which
  /// JavaScript strings may hold) its 3-byte form, as JSON.parse would keep it.
  void read_string(std::string* out) {
    if (out) out->clear();
    const std::uint64_t start = column();
    ++pos_;  // the opening quote
    for (;;) {
      std::size_t run = pos_;
      while (run < text_.size()) {
        const auto b = static_cast<unsigned char>(text_[run]);
        if (b == '"' || b == '\\' || b < 0x20) break;
        ++run;
      }
      if (out) out->append(text_.data() + pos_, run - pos_);
      pos_ = run;
      if (pos_ >= text_.size()) fail_at(function_, path_, line_, start, "invalid JSON: unterminated string");
      const auto b = static_cast<unsigned char>(text_[pos_]);
      if (b == '"') {
        ++pos_;
        return;
      }
      if (b < 0x20) fail_here("control character ", describe_next(), " inside a string (JSON requires it escaped)");
      // A backslash.
      const std::uint64_t escape = column();
      ++pos_;
      const int e = peek();
      ++pos_;
      switch (e) {
        case '"':
          put(out, '"');
          break;
        case '\\':
          put(out, '\\');
          break;
        case '/':
          put(out, '/');
          break;
        case 'b':
          put(out, '\b');
          break;
        case 'f':
          put(out, '\f');
          break;
        case 'n':
          put(out, '\n');
          break;
        case 'r':
          put(out, '\r');
          break;
        case 't':
          put(out, '\t');
          break;
        case 'u': {
          std::uint32_t cp = hex4(escape);
          if (cp >= 0xD800 && cp <= 0xDBFF && pos_ + 1 < text_.size() && text_[pos_] == '\\' &&
              text_[pos_ + 1] == 'u') {
            const std::size_t back = pos_;
            const std::uint64_t second = column();
            pos_ += 2;
            const std::uint32_t low = hex4(second);
            if (low >= 0xDC00 && low <= 0xDFFF)
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            else
              pos_ = back;  // not a pair: the second escape is read on its own
          }
          if (out) append_utf8(*out, cp);
          break;
        }
        default:
          fail_at(function_, path_, line_, escape, "invalid JSON: invalid escape '\\",
                  e == -1 ? std::string("") : std::string(1, static_cast<char>(e)), "' in a string");
      }
    }
  }

  /// Reads `"key"` `:` of an object member into `key` (may be null), with the whitespace around.
  void member_key(std::string* key = nullptr) {
    if (peek() != '"') fail_here("expected a string key, found ", describe_next());
    read_string(key);
    skip_whitespace();
    expect(':', "':' after the key");
    skip_whitespace();
  }

 private:
  static void put(std::string* out, char c) {
    if (out) out->push_back(c);
  }

  std::uint32_t hex4(std::uint64_t escape_column) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = peek();
      int d = -1;
      if (h >= '0' && h <= '9') d = h - '0';
      if (h >= 'a' && h <= 'f') d = h - 'a' + 10;
      if (h >= 'A' && h <= 'F') d = h - 'A' + 10;
      if (d < 0) fail_at(function_, path_, line_, escape_column, "invalid JSON: \\u needs 4 hexadecimal digits");
      v = v * 16 + static_cast<std::uint32_t>(d);
      ++pos_;
    }
    return v;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  void read_literal(std::string_view word, std::string* out) {
    if (text_.substr(pos_, word.size()) != word) fail_here("expected a value, found ", describe_next());
    pos_ += word.size();
    if (out) out->assign(word);
  }

  bool digit() const noexcept { return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  void read_number(std::string* out) {
    const std::size_t begin = pos_;
    const std::uint64_t start = column();
    const auto bad = [&] { fail_at(function_, path_, line_, start, "invalid JSON: invalid number"); };
    consume('-');
    if (consume('0')) {
      if (digit()) bad();  // a leading zero
    } else {
      if (!digit()) bad();
      while (digit()) ++pos_;
    }
    if (consume('.')) {
      if (!digit()) bad();
      while (digit()) ++pos_;
    }
    if (consume('e') || consume('E')) {
      if (!consume('+')) consume('-');
      if (!digit()) bad();
      while (digit()) ++pos_;
    }
    if (out) out->assign(text_.substr(begin, pos_ - begin));
  }

  // Skips an object or array (the next byte is '{' or '['), validating it, without recursion.
  void skip_nested() {
    std::vector<char> open;  // the closing bracket each open container needs
    for (;;) {
      // At the start of a value.
      const int c = peek();
      if (c == '{' || c == '[') {
        open.push_back(c == '{' ? '}' : ']');
        ++pos_;
        skip_whitespace();
        if (consume(open.back())) {
          open.pop_back();
        } else {
          if (open.back() == '}') member_key();
          continue;
        }
      } else {
        read_value(nullptr);
      }
      // After a value: a comma and the next element, or the closing brackets.
      for (;;) {
        if (open.empty()) return;
        skip_whitespace();
        if (consume(',')) {
          skip_whitespace();
          if (open.back() == '}') member_key();
          break;
        }
        if (!consume(open.back())) fail_here("expected ',' or '", open.back(), "', found ", describe_next());
        open.pop_back();
      }
    }
  }

  std::string_view text_;
  std::string path_;
  const char* function_;
  std::size_t pos_ = 0, line_start_ = 0;
  std::uint64_t line_ = 1;
};

}  // namespace disfer::detail
