#pragma once
/// \file
/// Streaming reader of FER-2013's `fer2013.csv` (Goodfellow et al., "Challenges in Representation
/// Learning", ICONIP 2013): columns `emotion,pixels,Usage` (found by name, in any order, other
/// columns ignored), one 48x48 grayscale face per row as 2304 space-separated integers 0-255 in
/// row-major order. The file is read in the package's CSV dialect (csv_reader: RFC 4180, UTF-8 BOM,
/// CRLF, quoted fields). Every row is validated; the first bad one throws disfer::error with the
/// path, the line and the column of the offending field:
///   - `emotion`: an integer 0-6 (FER-2013's indices, see disfer::emotion);
///   - `pixels`: exactly 2304 integers 0-255, separated by spaces or tabs (leading and trailing
///     blanks accepted, nothing else);
///   - `Usage`: exactly `Training`, `PublicTest` or `PrivateTest` (case-sensitive, as the file has).
/// Memory: one row (about 2.3 kB plus the CSV line) while streaming; read_fer2013 keeps only the
/// rows asked for.

#include <array>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/io/bad_rows.hpp"
#include "disfer/io/csv.hpp"

namespace disfer {

/// Side of a FER-2013 face in pixels.
inline constexpr std::size_t fer2013_side = 48;
/// Number of pixels of a FER-2013 face (48 x 48).
inline constexpr std::size_t fer2013_pixel_count = fer2013_side * fer2013_side;

/// FER-2013's three splits, as named in the `Usage` column.
enum class fer2013_usage : std::uint8_t { training = 0, public_test = 1, private_test = 2 };

/// The name the file uses: "Training", "PublicTest", "PrivateTest".
constexpr std::string_view name(fer2013_usage u) noexcept {
  switch (u) {
    case fer2013_usage::training:
      return "Training";
    case fer2013_usage::public_test:
      return "PublicTest";
    case fer2013_usage::private_test:
      return "PrivateTest";
  }
  return "?";
}

/// Parses a `Usage` value exactly as FER-2013 writes it; std::nullopt for anything else.
constexpr std::optional<fer2013_usage> parse_fer2013_usage(std::string_view text) noexcept {
  if (text == "Training") return fer2013_usage::training;
  if (text == "PublicTest") return fer2013_usage::public_test;
  if (text == "PrivateTest") return fer2013_usage::private_test;
  return std::nullopt;
}

/// One row of fer2013.csv.
struct fer2013_record {
  std::uint64_t row = 0;   ///< 0-based data row (header excluded): FER-2013's image id
  std::uint64_t line = 0;  ///< 1-based line of the file on which the row starts
  emotion label = emotion::angry;
  fer2013_usage usage = fer2013_usage::training;
  std::array<std::uint8_t, fer2013_pixel_count> pixels{};  ///< row-major, top row first

  /// The face as a 48 x 48 image (a copy). O(2304).
  xt::xtensor<std::uint8_t, 2> image() const {
    xt::xtensor<std::uint8_t, 2> img = xt::xtensor<std::uint8_t, 2>::from_shape({fer2013_side, fer2013_side});
    for (std::size_t i = 0; i < fer2013_pixel_count; ++i) img.data()[i] = pixels[i];
    return img;
  }
};

/// Options of fer2013_reader and read_fer2013.
struct fer2013_options {
  /// Usage given to every row when the file has no `Usage` column (Kaggle's `train.csv` has only
  /// `emotion,pixels`). Unset: a missing `Usage` column is an error.
  std::optional<fer2013_usage> default_usage;
  /// Public function named in error messages; nullptr: the one called (`fer2013_reader` or
  /// `read_fer2013`).
  const char* function = nullptr;
  /// What a bad row does: error (throw) or skip (next() passes over it and reports it in `skipped`;
  /// the rows after it keep their row numbers, FER-2013's image ids).
  bad_row_policy bad_rows = bad_row_policy::error;
  /// Where skip reports the rows it leaves out (appended to); must not be null under skip.
  std::vector<skipped_row>* skipped = nullptr;
};

/// Streaming reader of fer2013.csv: one validated row at a time, no allocation per row after the
/// first (pixels are parsed in place from the CSV field, without per-value allocations).
///
///     disfer::fer2013_reader fer("fer2013.csv");
///     while (fer.next()) use(fer.record().label, fer.record().pixels);
///
/// Complexity: O(file size). Throws disfer::error (path, line, column set) for a file that cannot
/// be opened, a CSV dialect error, a missing column, or a bad row (see the file comment); under
/// options.bad_rows = skip a bad row (or a ragged row) is passed over and reported in
/// *options.skipped instead (io/bad_rows.hpp).
class fer2013_reader {
 public:
  explicit fer2013_reader(const std::string& path, fer2013_options options = {})
      : options_(named(options)), csv_(path, csv_opts(options_)) {
    locate_columns();
  }

  /// Reads from a stream; `name` stands for the path in error messages.
  fer2013_reader(std::istream& in, std::string name, fer2013_options options = {})
      : options_(named(options)), csv_(in, std::move(name), csv_opts(options_)) {
    locate_columns();
  }

  /// Reads and validates the next row; false at the end of the file.
  bool next() {
    for (;;) {
      const std::size_t before = options_.skipped ? options_.skipped->size() : 0;
      const bool more = detail::next_row(csv_, options_.bad_rows, options_.skipped);
      rows_ += (options_.skipped ? options_.skipped->size() : 0) - before;  // ragged rows passed over keep their ids
      if (!more) return false;
      record_.row = rows_++;
      record_.line = csv_.line();
      const bool kept = detail::row_or_skip(csv_, options_.bad_rows, options_.skipped, [&] {
        record_.label = parse_label();
        record_.usage = parse_usage();
        parse_pixels();
      });
      if (kept) return true;
    }
  }

  /// The current row (valid after next() returned true).
  const fer2013_record& record() const noexcept { return record_; }
  /// Number of data rows read so far (skipped rows included).
  std::uint64_t rows() const noexcept { return rows_; }
  /// The path (or stream name).
  const std::string& path() const noexcept { return csv_.path(); }

 private:
  static fer2013_options named(fer2013_options o) {
    if (!o.function) o.function = "fer2013_reader";
    detail::check_bad_row_options(o.function, o.bad_rows, o.skipped);
    return o;
  }

  static csv_options csv_opts(const fer2013_options& o) {
    csv_options c;
    c.function = o.function;
    return c;
  }

  void locate_columns() {
    emotion_col_ = csv_.column_index("emotion");
    pixels_col_ = csv_.column_index("pixels");
    if (auto u = csv_.find_column("Usage"))
      usage_col_ = *u;
    else if (!options_.default_usage)
      csv_.column_index("Usage");  // throws the missing-column error (line 1)
  }

  emotion parse_label() const {
    const std::string& f = csv_[emotion_col_];
    if (f.empty()) csv_.fail_field(emotion_col_, "empty label (expected an integer 0-6)");
    if (f.size() > 3) csv_.fail_field(emotion_col_, "label '", f, "' is not an integer 0-6");
    int v = 0;
    for (char ch : f) {
      if (ch < '0' || ch > '9') csv_.fail_field(emotion_col_, "label '", f, "' is not an integer 0-6");
      v = v * 10 + (ch - '0');
    }
    if (v > 6) csv_.fail_field(emotion_col_, "label ", v, " is outside 0-6 (FER-2013 has 7 categories)");
    return static_cast<emotion>(v);
  }

  fer2013_usage parse_usage() const {
    if (!usage_col_) return *options_.default_usage;
    const std::string& f = csv_[*usage_col_];
    if (auto u = parse_fer2013_usage(f)) return *u;
    csv_.fail_field(*usage_col_, "unknown usage '", f, "' (expected Training, PublicTest or PrivateTest)");
  }

  // Fast path: values of 1-3 digits separated by one space (what FER-2013 writes), parsed with
  // selects rather than branches on the digit count (the field is copied into a buffer padded
  // with zero bytes so that two bytes past the end may be read). Anything else (runs of blanks,
  // tabs, leading or trailing blanks, errors) goes through slow_pixel().
  void parse_pixels() {
    const std::string& f = csv_[pixels_col_];
    padded_.assign(f);
    padded_.append(4, '\0');
    const char* p = padded_.data();
    const char* const end = p + f.size();
    std::size_t n = 0;
    std::uint8_t* const out = record_.pixels.data();
    while (p < end) {
      const unsigned d0 = static_cast<unsigned char>(p[0]) - unsigned{'0'};
      if (d0 > 9 || n >= fer2013_pixel_count) {
        p = slow_pixel(p, end, n);
        continue;
      }
      const unsigned d1 = static_cast<unsigned char>(p[1]) - unsigned{'0'};
      const unsigned d2 = static_cast<unsigned char>(p[2]) - unsigned{'0'};
      const unsigned two = d1 <= 9, three = two & (d2 <= 9);
      const unsigned m2 = 0u - two, m3 = 0u - three;  // all-ones masks: no branch to mispredict
      const unsigned v = (d0 & ~m2) | ((d0 * 10 + d1) & m2 & ~m3) | ((d0 * 100 + d1 * 10 + d2) & m3);
      const char* const next = p + 1 + two + three;
      if (next < end && *next != ' ') {  // a fourth digit, a tab, or garbage
        p = slow_pixel(p, end, n);
        continue;
      }
      if (v > 255) bad_pixel(p, end, n);
      out[n++] = static_cast<std::uint8_t>(v);
      p = next + 1;
    }
    if (n != fer2013_pixel_count)
      csv_.fail_field(pixels_col_, n, " pixel value", n == 1 ? "" : "s", ", expected ", fer2013_pixel_count,
                      " (48 x 48)");
  }

  static bool blank(char c) noexcept { return c == ' ' || c == '\t'; }

  // Parses one value (after skipping blanks) at `p` with full checks; returns the position after
  // it and its separator. Past 2304 values it keeps counting (for the error message) without storing.
  const char* slow_pixel(const char* p, const char* end, std::size_t& n) {
    while (p != end && blank(*p)) ++p;
    if (p == end) return p;
    const char* const start = p;
    unsigned v = 0;
    while (p != end && static_cast<unsigned char>(*p - '0') <= 9) {
      v = v * 10 + static_cast<unsigned>(*p - '0');
      if (v > 100000) v = 100000;  // saturate: only "above 255" matters
      ++p;
    }
    if (p == start || (p != end && !blank(*p))) {
      const char* stop = p;
      while (stop != end && !blank(*stop)) ++stop;
      csv_.fail_field(pixels_col_, "pixel ", n + 1, " '",
                      std::string_view(start, static_cast<std::size_t>(stop - start)), "' is not an integer 0-255");
    }
    if (v > 255) bad_pixel(start, end, n);
    if (n < fer2013_pixel_count) record_.pixels[n] = static_cast<std::uint8_t>(v);
    ++n;
    return p;
  }

  [[noreturn]] void bad_pixel(const char* start, const char* end, std::size_t n) const {
    const char* stop = start;
    while (stop != end && !blank(*stop)) ++stop;
    csv_.fail_field(pixels_col_, "pixel ", n + 1, " is ",
                    std::string_view(start, static_cast<std::size_t>(stop - start)), ", outside 0-255");
  }

  fer2013_options options_;
  csv_reader csv_;
  std::size_t emotion_col_ = 0, pixels_col_ = 0;
  std::optional<std::size_t> usage_col_;
  std::uint64_t rows_ = 0;
  fer2013_record record_;
  std::string padded_;
};

/// Reads every row of `path` whose usage is in `usages` (all rows when `usages` is empty), after
/// validating every row of the file. Memory: the rows kept. Complexity O(file size).
/// Throws disfer::error as fer2013_reader does.
inline std::vector<fer2013_record> read_fer2013(const std::string& path, const std::vector<fer2013_usage>& usages = {},
                                                fer2013_options options = {}) {
  if (!options.function) options.function = "read_fer2013";
  fer2013_reader reader(path, options);
  std::vector<fer2013_record> rows;
  while (reader.next()) {
    const auto& r = reader.record();
    bool keep = usages.empty();
    for (auto u : usages) keep = keep || u == r.usage;
    if (keep) rows.push_back(r);
  }
  return rows;
}

}  // namespace disfer
