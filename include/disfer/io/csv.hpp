#pragma once
/// \file
/// The one CSV dialect every disfer reader uses: RFC 4180 (comma-separated, fields optionally in
/// double quotes, a doubled quote inside quotes stands for one quote, line breaks allowed inside
/// quotes), plus what spreadsheets and survey platforms export: a UTF-8 byte-order mark, CRLF or
/// LF line ends, and a last line without a line end. Everything else is an error that names the
/// path, the line and the column (1-based byte within the line): a quote inside an unquoted field,
/// text after a closing quote, an unterminated quote, a bare carriage return, an empty line, and a
/// row whose field count differs from the header's (a ragged row).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "disfer/core/error.hpp"

namespace disfer {

namespace detail {

/// Block sizes of csv_reader: the first read asks for `initial` bytes and each read that fills its
/// block doubles the next one, up to `max`. A reader of a small input thus allocates a few KiB,
/// not `max`. Tests use tiny sizes to put block boundaries inside every kind of field; the
/// parse (records, lines, columns, errors) does not depend on them.
struct csv_block_sizes {
  std::size_t initial = std::size_t{4} << 10;
  std::size_t max = std::size_t{1} << 20;
};

}  // namespace detail

/// Options of csv_reader.
struct csv_options {
  char delimiter = ',';
  bool header = true;                   ///< the first record names the columns
  bool skip_blank_lines = false;        ///< an empty line is an error unless this is set
  const char* function = "csv_reader";  ///< public function named in error messages
};

/// Streaming CSV reader: one record in memory at a time, read in blocks that start at 4 KiB and
/// double up to 1 MiB (so that a reader of a small file costs little).
///
///     disfer::csv_reader csv("votes.csv");
///     const auto label = csv.column_index("label");
///     while (csv.next()) use(csv[label]);
///
/// Throws disfer::error (with path(), line() and column() set) on every dialect violation.
class csv_reader {
 public:
  /// Opens `path`; throws disfer::error naming the path when it cannot be opened.
  explicit csv_reader(const std::string& path, csv_options options = {}, detail::csv_block_sizes blocks = {})
      : owned_(std::make_unique<std::ifstream>(path, std::ios::binary)),
        in_(owned_.get()),
        path_(path),
        options_(options),
        blocks_(blocks) {
    if (!*owned_) detail::fail(options_.function, "cannot open '", path, "' for reading");
    start();
  }

  /// Reads from a stream; `name` stands for the path in error messages.
  csv_reader(std::istream& in, std::string name, csv_options options = {}, detail::csv_block_sizes blocks = {})
      : in_(&in), path_(std::move(name)), options_(options), blocks_(blocks) {
    start();
  }

  /// The header's column names (empty when options.header is false).
  const std::vector<std::string>& header() const noexcept { return header_; }

  /// Index of the column named `name`, if the header has it.
  std::optional<std::size_t> find_column(std::string_view name) const {
    for (std::size_t i = 0; i < header_.size(); ++i)
      if (header_[i] == name) return i;
    return std::nullopt;
  }

  /// Index of the column named `name`; throws disfer::error (line 1) when the header lacks it.
  std::size_t column_index(std::string_view name) const {
    if (auto i = find_column(name)) return *i;
    std::string have;
    for (const auto& h : header_) have += (have.empty() ? "" : ", ") + h;
    detail::fail_at(options_.function, path_, header_line_, 1, "missing column '", name, "' (header has: ", have, ")");
  }

  /// Reads the next record; false at the end of the input.
  bool next() {
    resumable_ = false;
    failed_field_ = npos;
    if (!read_record()) return false;
    if (expected_fields_ == 0) {
      expected_fields_ = count_;
    } else if (count_ != expected_fields_) {
      resumable_ = true;  // the record was read whole: next() goes on with the one after it
      detail::fail_at(options_.function, path_, record_line_, 1, "ragged row: ", count_, " field",
                      count_ == 1 ? "" : "s", ", expected ", expected_fields_);
    }
    ++records_;
    return true;
  }

  /// Whether the last error next() threw left the reader at the start of the next record (a
  /// ragged row), so that next() may be called again; false after a dialect error inside a record.
  bool resumable() const noexcept { return resumable_; }

  /// Name of the column fail_field() last named for the current record ("field N" without a
  /// header), or empty when it has not been called since next().
  std::string failed_field() const {
    if (failed_field_ == npos) return {};
    return failed_field_ < header_.size() ? header_[failed_field_] : "field " + std::to_string(failed_field_ + 1);
  }

  /// Number of fields of the current record.
  std::size_t size() const noexcept { return count_; }
  /// Field `i` of the current record (unquoted).
  const std::string& operator[](std::size_t i) const noexcept { return fields_[i]; }
  /// Line on which the current record starts (1-based).
  std::uint64_t line() const noexcept { return record_line_; }
  /// Line and column on which field `i` of the current record starts.
  std::uint64_t field_line(std::size_t i) const noexcept { return positions_[i].line; }
  std::uint64_t field_column(std::size_t i) const noexcept { return positions_[i].column; }
  /// Number of data records read so far.
  std::uint64_t records() const noexcept { return records_; }
  /// The path (or stream name) given at construction.
  const std::string& path() const noexcept { return path_; }
  /// The function named in errors.
  const char* function() const noexcept { return options_.function; }

  /// Throws disfer::error at field `i` of the current record:
  /// `function: path:line:column: column 'name': parts...`.
  template <class... Parts>
  [[noreturn]] void fail_field(std::size_t i, const Parts&... parts) const {
    failed_field_ = i;
    const std::string label = i < header_.size() ? "column '" + header_[i] + "'" : "field " + std::to_string(i + 1);
    detail::fail_at(options_.function, path_, positions_[i].line, positions_[i].column, label, ": ", parts...);
  }

 private:
  struct position {
    std::uint64_t line = 0, column = 0;
  };

  void start() {
    blocks_.initial = std::max<std::size_t>(blocks_.initial, 1);
    blocks_.max = std::max(blocks_.max, blocks_.initial);
    stop_.fill(false);
    for (char ch : {options_.delimiter, '\n', '\r', '"'}) stop_[static_cast<unsigned char>(ch)] = true;
    // UTF-8 byte-order mark, as spreadsheets write it.
    if (peek() == 0xEF) {
      get();
      if (get() != 0xBB || get() != 0xBF)
        detail::fail_at(options_.function, path_, 1, 1, "invalid byte-order mark (expected EF BB BF)");
      column_ = 0;
    }
    if (options_.header) {
      if (!read_record()) detail::fail_at(options_.function, path_, 1, 1, "empty input: expected a header line");
      header_line_ = record_line_;  // after any blank lines skipped before it
      header_.assign(fields_.begin(), fields_.begin() + static_cast<std::ptrdiff_t>(count_));
      expected_fields_ = count_;
    }
  }

  bool fill() {
    if (eof_) return false;
    if (end_ == buffer_.size() && buffer_.size() < blocks_.max) {
      // The first read, or the last one filled its block: a larger block (nothing in it is kept).
      const std::size_t next = buffer_.empty() ? blocks_.initial : std::min(blocks_.max, 2 * buffer_.size());
      buffer_.clear();
      buffer_.resize(next);
    }
    in_->read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    end_ = static_cast<std::size_t>(in_->gcount());
    pos_ = 0;
    if (end_ == 0) {
      if (in_->bad()) detail::fail_at(options_.function, path_, line_, 0, "read error");
      eof_ = true;
      return false;
    }
    return true;
  }
  int peek() {
    if (pos_ == end_ && !fill()) return -1;
    return static_cast<unsigned char>(buffer_[pos_]);
  }
  int get() {
    if (pos_ == end_ && !fill()) return -1;
    ++column_;
    return static_cast<unsigned char>(buffer_[pos_++]);
  }
  void new_line() {
    ++line_;
    column_ = 0;
  }

  std::string& begin_field() {
    if (count_ == fields_.size()) {
      fields_.emplace_back();
      positions_.emplace_back();
    }
    positions_[count_] = {line_, column_ + 1};
    std::string& f = fields_[count_++];
    f.clear();
    return f;
  }

  // Consumes a line end after '\r' or at '\n'; `c` is the character just read.
  void end_of_line(int c) {
    if (c == '\r') {
      if (peek() != '\n')
        detail::fail_at(options_.function, path_, line_, column_, "bare carriage return (expected CRLF or LF)");
      get();
    }
    new_line();
  }

  bool read_record() {
    count_ = 0;
    for (;;) {
      const int c = peek();
      if (c == -1) return false;
      if (c != '\n' && c != '\r') break;
      // An empty line.
      if (!options_.skip_blank_lines) detail::fail_at(options_.function, path_, line_, 1, "empty line");
      end_of_line(get());
    }
    record_line_ = line_;
    for (;;) {
      std::string& field = begin_field();
      const std::uint64_t start_line = line_, start_column = column_ + 1;
      int c = get();
      if (c == '"') {
        for (;;) {
          c = get();
          if (c == -1) detail::fail_at(options_.function, path_, start_line, start_column, "unterminated quoted field");
          if (c == '"') {
            if (peek() == '"') {
              get();
              field.push_back('"');
              continue;
            }
            break;
          }
          field.push_back(static_cast<char>(c));
          if (c == '\n') new_line();
        }
        c = get();
        if (c != -1 && c != options_.delimiter && c != '\n' && c != '\r')
          detail::fail_at(options_.function, path_, line_, column_, "unexpected character '", static_cast<char>(c),
                          "' after a closing quote");
      } else {
        // Fast scan of an unquoted field inside the current block.
        while (c != -1 && c != options_.delimiter && c != '\n' && c != '\r') {
          if (c == '"')
            detail::fail_at(options_.function, path_, line_, column_,
                            "quote inside an unquoted field (quote the whole field and double the quote)");
          field.push_back(static_cast<char>(c));
          const char* const base = buffer_.data();  // stop_ table: one load per byte (2x the 4 compares)
          std::size_t run = pos_;
          while (run < end_ && !stop_[static_cast<unsigned char>(base[run])]) ++run;
          field.append(buffer_.data() + pos_, run - pos_);
          column_ += run - pos_;
          pos_ = run;
          c = get();
        }
      }
      if (c == options_.delimiter) continue;
      if (c != -1) end_of_line(c);
      return true;
    }
  }

  std::unique_ptr<std::ifstream> owned_;
  std::istream* in_;
  std::string path_;
  csv_options options_;
  detail::csv_block_sizes blocks_;
  std::vector<char> buffer_;  // empty until the first read
  std::array<bool, 256> stop_{};
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  std::uint64_t line_ = 1, column_ = 0, record_line_ = 0, header_line_ = 1, records_ = 0;
  std::vector<std::string> header_;
  std::vector<std::string> fields_;
  std::vector<position> positions_;
  std::size_t count_ = 0, expected_fields_ = 0;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  bool resumable_ = false;
  mutable std::size_t failed_field_ = npos;  // set by fail_field (const: it only records what it throws)
};

/// Writes one field, quoted when it holds the delimiter, a quote, CR or LF (RFC 4180).
inline void write_csv_field(std::ostream& out, std::string_view field, char delimiter = ',') {
  if (field.find_first_of(std::string{delimiter, '"', '\r', '\n'}) == std::string_view::npos) {
    out << field;
    return;
  }
  out << '"';
  for (char ch : field) {
    if (ch == '"') out << '"';
    out << ch;
  }
  out << '"';
}

/// Writes one record and a LF.
inline void write_csv_row(std::ostream& out, const std::vector<std::string>& fields, char delimiter = ',') {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out << delimiter;
    write_csv_field(out, fields[i], delimiter);
  }
  out << '\n';
}

}  // namespace disfer
