#pragma once
/// \file
/// disfer::error, the one exception type of the library, and helpers that build its messages.

#include <charconv>
#include <cstdint>
#include <sstream>
#include <type_traits>
#include <stdexcept>
#include <string>
#include <utility>

namespace disfer {

/// Thrown for every bad input. The message starts with the name of the public function that
/// rejected the input (`fleiss_kappa: row 12 has 1 rating; ...`); errors about files also carry
/// the path, the 1-based line and the 1-based column (0 where not applicable).
class error : public std::invalid_argument {
 public:
  explicit error(const std::string& message) : std::invalid_argument(message) {}

  error(const std::string& message, std::string path, std::uint64_t line, std::uint64_t column)
      : std::invalid_argument(message), path_(std::move(path)), line_(line), column_(column) {}

  /// The file the error is about, or empty.
  const std::string& path() const noexcept { return path_; }
  /// 1-based line in that file, or 0.
  std::uint64_t line() const noexcept { return line_; }
  /// 1-based column (byte within the line) in that file, or 0.
  std::uint64_t column() const noexcept { return column_; }

 private:
  std::string path_;
  std::uint64_t line_ = 0;
  std::uint64_t column_ = 0;
};

namespace detail {

/// The shortest decimal form of `v` that reads back as the same double (std::to_chars): "0.8",
/// "20", "0.02", "1e-300", "nan", "inf", "-inf". For messages, labels and CSV fields.
inline std::string shortest(double v) {
  char buffer[64];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, r.ptr);
}

/// Floating-point values print in the shortest form that reads back exactly (0.8, not
/// 0.80000000000000004); everything else as operator<< prints it.
template <class T>
void put(std::ostream& out, const T& value) {
  if constexpr (std::is_floating_point_v<T>) {
    out << shortest(static_cast<double>(value));
  } else {
    out << value;
  }
}

/// Joins the parts into one string (messages, labels).
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (put(out, parts), ...);
  return out.str();
}

/// Throws `disfer::error("function: parts...")`.
template <class... Parts>
[[noreturn]] void fail(const char* function, const Parts&... parts) {
  throw error(concat(function, ": ", parts...));
}

/// Throws a file error: `function: path:line:column: parts...` (line/column omitted when 0).
template <class... Parts>
[[noreturn]] void fail_at(const char* function, const std::string& path, std::uint64_t line, std::uint64_t column,
                          const Parts&... parts) {
  std::ostringstream where;
  where << (path.empty() ? std::string("<input>") : path);
  if (line > 0) where << ':' << line;
  if (line > 0 && column > 0) where << ':' << column;
  throw error(concat(function, ": ", where.str(), ": ", parts...), path, line, column);
}

/// Runs body() and returns its result; a disfer::error from a step it calls is thrown again with
/// `function: ` in front and the step's own message kept ("fine_tune_disfer_protocol:
/// find_classifier_head: ..."), with the same path, line and column. For composites whose steps
/// are public functions with checks of their own; an error already naming `function` passes as is.
template <class Body>
decltype(auto) with_steps_named(const char* function, Body&& body) {
  try {
    return body();
  } catch (const error& e) {
    const std::string prefix = std::string(function) + ": ";
    if (std::string(e.what()).compare(0, prefix.size(), prefix) == 0) throw;
    throw error(prefix + e.what(), e.path(), e.line(), e.column());
  }
}

}  // namespace detail
}  // namespace disfer
