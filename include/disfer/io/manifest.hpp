#pragma once
/// \file
/// The one stimulus manifest schema (docs/io.md, "Stimulus manifest"): what write_conditions,
/// make_disfer_stimuli (write_manifest) and write_simulated_stimuli_csv write and what
/// classify_images --manifest and read_stimulus_manifest (reproduce_disfer --stimuli) read.
///
/// A manifest is a CSV file whose leading lines may start with '#' (provenance comments, skipped;
/// line numbers in errors still count them), then a header and one row per stimulus. Columns, by
/// name (any order; readers ignore columns they do not use):
///   id            the stimulus id, unique (readers also accept `stimulus`)
///   file          the image, relative to the manifest's folder
///   label         the true emotion: FER-2013 index or name (either vocabulary); may be absent or
///                 empty in a manifest of unlabelled images (write_conditions without --label)
///   condition     the paper's label of the distortion: "original", "GB 0.8", ..., "SP 0.06"
///   distortion, level   the same as kind name and level (readers use them when `condition` is
///                 absent; readers also accept `kind` for `distortion`, write_conditions' old name)
///   source / fer2013_row / source_id   the source face (fer2013_row n is source "fer<n>")
///   key_seed, key_item, key_purpose    the random stream of the distortion
///   pixels_sha256 image_sha256() of the pixels: SHA-256 of the shape (rank, then each extent, as
///                 little-endian 64-bit integers) followed by the pixel bytes, row-major. Not the
///                 file's hash (readers also accept `sha256`, write_conditions' old name)
///   file_sha256   SHA-256 of the image file's bytes (`sha256sum FILE`)
/// Which of them a reader requires is said by the reader.

#include <cstddef>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/image/condition.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/io/votes_csv.hpp"  // detail::trim_blanks

namespace disfer {

/// The column names of a stimulus manifest (see the file comment), in the order writers put them.
namespace manifest_column {
inline constexpr const char* id = "id";
inline constexpr const char* file = "file";
inline constexpr const char* label = "label";
inline constexpr const char* condition = "condition";
inline constexpr const char* distortion = "distortion";
inline constexpr const char* level = "level";
inline constexpr const char* source = "source";
inline constexpr const char* fer2013_row = "fer2013_row";
inline constexpr const char* source_id = "source_id";
inline constexpr const char* key_seed = "key_seed";
inline constexpr const char* key_item = "key_item";
inline constexpr const char* key_purpose = "key_purpose";
inline constexpr const char* pixels_sha256 = "pixels_sha256";
inline constexpr const char* file_sha256 = "file_sha256";
}  // namespace manifest_column

/// Where a manifest's columns are (absent columns are empty), with the accepted old names
/// resolved: `stimulus` for id, `kind` for distortion, `sha256` for pixels_sha256.
struct manifest_columns {
  std::optional<std::size_t> id, file, label, condition, distortion, level, source, fer2013_row, source_id,
      pixels_sha256, file_sha256;

  /// The columns of `csv`'s header. Does not throw.
  static manifest_columns of(const csv_reader& csv) {
    namespace c = manifest_column;
    auto either = [&](const char* name, const char* old) {
      auto i = csv.find_column(name);
      return i ? i : csv.find_column(old);
    };
    manifest_columns m;
    m.id = either(c::id, "stimulus");
    m.file = csv.find_column(c::file);
    m.label = csv.find_column(c::label);
    m.condition = csv.find_column(c::condition);
    m.distortion = either(c::distortion, "kind");
    m.level = csv.find_column(c::level);
    m.source = csv.find_column(c::source);
    m.fer2013_row = csv.find_column(c::fer2013_row);
    m.source_id = csv.find_column(c::source_id);
    m.pixels_sha256 = either(c::pixels_sha256, "sha256");
    m.file_sha256 = csv.find_column(c::file_sha256);
    return m;
  }

  /// Throws disfer::error (named as `csv`'s function, with path and line 1) unless the header has
  /// an id column and a condition (`condition`, or `distortion` and `level`).
  void require_id_and_condition(const csv_reader& csv) const {
    if (!id) (void)csv.column_index(manifest_column::id);
    if (!condition && !(distortion && level)) (void)csv.column_index(manifest_column::condition);
  }

  /// The label of the current record of `csv`: a FER-2013 index (0-6) or an emotion name in
  /// either vocabulary (parse_emotion); empty when the manifest has no `label` column or the field
  /// is empty. Throws disfer::error at the field for an index out of range or an unknown name.
  std::optional<emotion> label_of(const csv_reader& csv) const {
    if (!label) return std::nullopt;
    const std::string t(detail::trim_blanks(csv[*label]));
    if (t.empty()) return std::nullopt;
    if (t.find_first_not_of("0123456789") == std::string::npos) {
      if (t.size() > 2 || std::stoul(t) >= emotion_count)
        csv.fail_field(*label, "label index ", t, " is outside 0-", emotion_count - 1);
      return emotion_from_index(std::stoll(t));
    }
    try {
      return parse_emotion(t);
    } catch (const error&) {
      csv.fail_field(*label, "unknown label '", t, "'");
    }
  }

  /// The condition of the current record of `csv`: the `condition` field (blanks trimmed), else
  /// label() of `distortion` and `level`. Throws disfer::error at the field for an unknown
  /// distortion kind or a level that is not a number.
  std::string condition_of(const csv_reader& csv) const {
    if (condition) return std::string(detail::trim_blanks(csv[*condition]));
    if (!distortion || !level) detail::fail(csv.function(), "the manifest has no condition column");
    disfer::distortion d;
    try {
      d.kind = parse_distortion_kind(std::string(detail::trim_blanks(csv[*distortion])));
    } catch (const error&) {
      csv.fail_field(*distortion, "unknown distortion '", csv[*distortion], "'");
    }
    const std::string text(detail::trim_blanks(csv[*level]));
    std::size_t used = 0;
    try {
      d.level = std::stod(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text.size()) csv.fail_field(*level, "level '", csv[*level], "' is not a number");
    return disfer::label(d);
  }
};

namespace detail {

// The text of a manifest with its leading '#' lines blanked (line numbers kept), for csv_reader.
inline std::string manifest_text(const std::string& path, const char* fn) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(fn, "cannot open '", path, "' for reading");
  std::ostringstream all;
  all << in.rdbuf();
  std::string text = all.str();
  std::size_t pos = 0;
  while (pos < text.size() && text[pos] == '#') {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    text.erase(pos, end - pos);
    pos = pos + 1;  // past the '\n' that remains
  }
  return text;
}

}  // namespace detail

/// A manifest opened for reading: its text without the leading '#' lines, and a csv_reader on it
/// (blank lines skipped; errors named `function`, with the manifest's path and its real line
/// numbers). Throws disfer::error when the file cannot be read, and as csv_reader.
class manifest_reader {
 public:
  manifest_reader(const std::string& path, const char* function)
      : text_(detail::manifest_text(path, function)), stream_(text_), csv_(stream_, path, options(function)) {
    columns_ = manifest_columns::of(csv_);
  }
  manifest_reader(const manifest_reader&) = delete;
  manifest_reader& operator=(const manifest_reader&) = delete;

  csv_reader& csv() noexcept { return csv_; }
  const manifest_columns& columns() const noexcept { return columns_; }

 private:
  static csv_options options(const char* function) {
    csv_options o;
    o.function = function;
    o.skip_blank_lines = true;
    return o;
  }
  std::string text_;
  std::istringstream stream_;
  csv_reader csv_;
  manifest_columns columns_;
};

}  // namespace disfer
