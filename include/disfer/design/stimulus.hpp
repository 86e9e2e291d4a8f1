#pragma once
/// \file
/// The stimuli of a DisFER-style study: source faces sampled from FER-2013 (sample_sources), every
/// source under every condition (make_stimuli), a CSV manifest with a provenance header
/// (write_manifest), and the whole set written atomically to a folder (write_stimuli).
///
/// Stable identifiers (documented, version-independent):
///   - stimulus id: `fer<row>_<code>`, where <row> is the 0-based FER-2013 data row and <code> is
///     `orig` for the original, else `gb`, `gn` or `sp` followed by the level in its shortest
///     round-trip decimal form: `fer28712_orig`, `fer28712_gb0.8`, `fer28712_gn20`,
///     `fer28712_sp0.02`. The id depends on nothing but the source row and the condition.
///   - distortion key of a stimulus: stream_key{seed, item, default_purpose(kind)} with item = the
///     first 8 bytes, read big-endian, of SHA-256(id):
///     `int.from_bytes(hashlib.sha256(b"fer28712_gn20").digest()[:8], "big")` in Python.
///     A stimulus's pixels thus depend only on (seed, source row, condition, source pixels): not on
///     the other stimuli, their order, or the number of threads.
///   - source selection: each eligible row r gets the rank u_r = first 64-bit word of
///     stream_key{seed, r, purpose::source_sampling}; per emotion the `per_emotion` rows of smallest
///     (u_r, r) are kept (a uniform sample without replacement that does not depend on the order
///     of the file or on rows of other emotions or splits).

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <ostream>
#include <queue>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/core/random.hpp"
#include "disfer/detail/sha256.hpp"
#include "disfer/image/distortion.hpp"
#include "disfer/io/bad_rows.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/io/fer2013.hpp"
#include "disfer/io/manifest.hpp"
#include "disfer/io/pgm.hpp"
#include "disfer/io/staged_file.hpp"
#include "disfer/version.hpp"

namespace disfer {

/// Options of sample_sources.
struct source_options {
  std::size_t per_emotion = 12;  ///< faces per emotion (the paper: 12)
  /// Splits to draw from. Default: the two test splits, which FER-2013 models were not trained on.
  std::vector<fer2013_usage> usages = {fer2013_usage::public_test, fer2013_usage::private_test};
  /// Emotions to draw, in the order the sources are listed. Default: FER-2013's 7, in its order.
  std::vector<emotion> emotions = {fer2013_order.begin(), fer2013_order.end()};
  std::uint64_t seed = 0;  ///< sampling seed
  bool hash_input = true;  ///< compute the SHA-256 of the input file (one more read of the file)
  /// Non-empty: only these FER-2013 rows can be drawn (e.g. the rows FER+ gives emotion votes, so
  /// that every source has real votes). A row's rank does not depend on the list, so the sample is
  /// the unrestricted one with the rows outside the list passed over.
  std::vector<std::uint64_t> only_rows;
  /// What a bad row of the file does: error (throw) or skip (leave it out of the sample and report
  /// it in `skipped`; the other rows keep their FER-2013 row ids). See io/bad_rows.hpp.
  bad_row_policy bad_rows = bad_row_policy::error;
  /// Where skip reports the rows it leaves out (appended to); must not be null under skip.
  std::vector<skipped_row>* skipped = nullptr;
};

/// One source face.
struct source_image {
  std::size_t source_id = 0;      ///< 0-based position in the sample
  std::uint64_t fer2013_row = 0;  ///< 0-based data row of fer2013.csv
  emotion label = emotion::angry;
  fer2013_usage usage = fer2013_usage::public_test;
  xt::xtensor<std::uint8_t, 2> image;  ///< 48 x 48
};

/// What sample_sources returns: the sources (grouped by emotion in options.emotions order, by row
/// within an emotion) and what the manifest's provenance header records.
struct source_sample {
  std::vector<source_image> sources;
  source_options options;
  std::string input_name;             ///< file name of the input (no folder), or the name given
  std::string input_sha256;           ///< lowercase hex; empty for in-memory input or hash_input off
  std::uint64_t input_rows = 0;       ///< data rows read (all splits)
  std::vector<std::size_t> eligible;  ///< eligible rows per emotion, in options.emotions order
  std::vector<std::string> warnings;  ///< e.g. the Training split was chosen
};

namespace detail {

inline void check_source_options(const source_options& o) {
  const char* fn = "sample_sources";
  if (o.per_emotion == 0) fail(fn, "per_emotion is 0; ask for at least one face per emotion");
  if (o.usages.empty()) fail(fn, "no usage split chosen (usages is empty)");
  if (o.emotions.empty()) fail(fn, "no emotion chosen (emotions is empty)");
  for (std::size_t i = 0; i < o.usages.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (o.usages[i] == o.usages[j]) fail(fn, "usage ", name(o.usages[i]), " is listed twice");
  for (std::size_t i = 0; i < o.emotions.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (o.emotions[i] == o.emotions[j]) fail(fn, "emotion ", name(o.emotions[i]), " is listed twice");
}

// Keeps, per emotion, the per_emotion eligible rows of smallest (rank, row): one bounded
// max-heap per emotion, so memory is O(emotions x per_emotion) whatever the input size.
class source_selector {
 public:
  explicit source_selector(const source_options& o) : o_(o), heaps_(o.emotions.size()), eligible_(o.emotions.size()) {
    check_source_options(o);
    for (std::size_t e = 0; e < o.emotions.size(); ++e) slot_[index_of(o.emotions[e])] = static_cast<int>(e);
    std::sort(o_.only_rows.begin(), o_.only_rows.end());
  }

  void offer(const fer2013_record& r) {
    ++rows_;
    const int e = slot_[index_of(r.label)];
    if (e < 0 || std::find(o_.usages.begin(), o_.usages.end(), r.usage) == o_.usages.end()) return;
    if (!o_.only_rows.empty() && !std::binary_search(o_.only_rows.begin(), o_.only_rows.end(), r.row)) return;
    ++eligible_[static_cast<std::size_t>(e)];
    const std::uint64_t rank = random_cursor(stream_key{o_.seed, r.row, purpose::source_sampling}).next_u64();
    auto& heap = heaps_[static_cast<std::size_t>(e)];
    const entry candidate{rank, r.row, r};
    if (heap.size() < o_.per_emotion) {
      heap.push(candidate);
    } else if (candidate < heap.top()) {
      heap.pop();
      heap.push(candidate);
    }
  }

  source_sample finish(std::string input_name) {
    source_sample s;
    s.options = o_;
    s.input_name = std::move(input_name);
    s.input_rows = rows_;
    s.eligible = eligible_;
    for (std::size_t e = 0; e < o_.emotions.size(); ++e)
      if (eligible_[e] < o_.per_emotion) {
        std::string splits;
        for (auto u : o_.usages) splits += (splits.empty() ? "" : "+") + std::string(name(u));
        fail("sample_sources", "only ", eligible_[e], " '", name(o_.emotions[e]), "' image",
             eligible_[e] == 1 ? "" : "s", " in ", splits, " of '", s.input_name, "', ", o_.per_emotion, " requested");
      }
    for (std::size_t e = 0; e < o_.emotions.size(); ++e) {
      std::vector<entry> kept;
      auto& heap = heaps_[e];
      while (!heap.empty()) {
        kept.push_back(heap.top());
        heap.pop();
      }
      std::sort(kept.begin(), kept.end(), [](const entry& a, const entry& b) { return a.row < b.row; });
      for (const auto& k : kept)
        s.sources.push_back(source_image{s.sources.size(), k.row, k.record.label, k.record.usage, k.record.image()});
    }
    if (std::find(o_.usages.begin(), o_.usages.end(), fer2013_usage::training) != o_.usages.end())
      s.warnings.push_back(
          "sample_sources: the Training split is among the sources; models trained on FER-2013 have seen "
          "these faces, so their accuracy on the stimuli is optimistic");
    return s;
  }

 private:
  struct entry {
    std::uint64_t rank, row;
    fer2013_record record;
    bool operator<(const entry& o) const noexcept { return rank != o.rank ? rank < o.rank : row < o.row; }
  };
  source_options o_;
  std::vector<std::priority_queue<entry>> heaps_;
  std::vector<std::size_t> eligible_;
  std::array<int, emotion_count> slot_ = {-1, -1, -1, -1, -1, -1, -1};
  std::uint64_t rows_ = 0;
};

inline std::string file_sha256(const std::string& path, const char* function) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(function, "cannot open '", path, "' for reading");
  sha256 h;
  std::vector<char> buf(std::size_t{1} << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    h.update(buf.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) fail(function, "read error on '", path, "'");
  return h.hex();
}

}  // namespace detail

/// Samples `options.per_emotion` faces of each emotion in `options.emotions` from the rows of
/// `fer2013_csv` whose usage is in `options.usages`, with the seeded rule of the file comment.
/// Streams the file once (plus once more for its SHA-256 when options.hash_input): memory is
/// O(emotions x per_emotion) faces. Choosing the Training split adds a warning to the result.
/// Throws disfer::error for bad options (per_emotion 0, empty or repeated lists), any bad row of
/// the file (as read_fer2013, named "sample_sources"; under options.bad_rows = skip reported in
/// *options.skipped instead), or too few eligible faces of an emotion.
inline source_sample sample_sources(const std::string& fer2013_csv, const source_options& options = {}) {
  detail::source_selector selector(options);
  fer2013_options fo;
  fo.function = "sample_sources";
  fo.bad_rows = options.bad_rows;
  fo.skipped = options.skipped;
  fer2013_reader reader(fer2013_csv, fo);
  while (reader.next()) selector.offer(reader.record());
  source_sample s = selector.finish(std::filesystem::path(fer2013_csv).filename().string());
  if (options.hash_input) s.input_sha256 = detail::file_sha256(fer2013_csv, "sample_sources");
  return s;
}

/// sample_sources on rows already in memory (e.g. from read_fer2013); `name` is recorded as the
/// input name. Gives the same sources as the file overload on the same rows (rows are identified
/// by fer2013_record::row). Same throws.
inline source_sample sample_sources(const std::vector<fer2013_record>& rows, const source_options& options = {},
                                    const std::string& name = "<memory>") {
  detail::source_selector selector(options);
  for (const auto& r : rows) selector.offer(r);
  return selector.finish(name);
}

/// One stimulus: a source under a condition.
struct stimulus {
  std::string id;                  ///< `fer<row>_<code>` (file comment)
  std::size_t index = 0;           ///< position in the set: source_id x conditions + condition_index
  std::size_t source_id = 0;       ///< the source's position in its sample
  std::uint64_t fer2013_row = 0;   ///< the source's FER-2013 row
  emotion label = emotion::angry;  ///< the source's FER-2013 label
  fer2013_usage usage = fer2013_usage::public_test;
  std::size_t condition_index = 0;  ///< index into the conditions given to make_stimuli
  distortion condition;             ///< the distortion applied
  stream_key key;                   ///< the key it drew from (file comment)
  xt::xtensor<std::uint8_t, 2> image;
};

namespace detail {

/// condition_code() with `function` named in its errors (stimulus_id passes its own name).
inline std::string condition_code_as(const distortion& d, const char* function) {
  if (d.kind == distortion_kind::none) return "orig";
  std::string code;  // label(d) ("GB 0.8") in lower case without the space
  for (char ch : label_as(d, function))
    if (ch != ' ') code.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
  return code;
}

}  // namespace detail

/// Short code of a condition in stimulus ids: "orig", "gb0.8", "gn20", "sp0.02". Throws
/// disfer::error (named `condition_code`) for an unknown kind.
inline std::string condition_code(const distortion& d) {
  return detail::condition_code_as(d, "condition_code");
}

/// The id of FER-2013 row `row` under condition `d`: `fer<row>_<condition_code(d)>`. Throws
/// disfer::error (named `stimulus_id`) for an unknown kind.
inline std::string stimulus_id(std::uint64_t row, const distortion& d) {
  return "fer" + std::to_string(row) + "_" + detail::condition_code_as(d, "stimulus_id");
}

/// The stream item of a stimulus id: the first 8 bytes of SHA-256(id), big-endian.
inline std::uint64_t stimulus_key_item(const std::string& id) {
  detail::sha256 h;
  h.update(id);
  const auto d = h.digest();
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | d[static_cast<std::size_t>(i)];
  return v;
}

/// Every source under every condition, source-major: stimulus index = source_id x
/// conditions.size() + condition index. Each image is apply(condition, source, key) with the key
/// of the file comment. `options.threads` only changes speed, never the bytes.
/// Complexity: O(sources x conditions x pixels x kernel). Throws disfer::error for no sources, no
/// conditions, a repeated condition or a repeated source row, and as the kernels do for a bad
/// level ("make_stimuli: condition 4 (GN -5): gaussian_noise: ...").
inline std::vector<stimulus> make_stimuli(const source_sample& sources, const std::vector<distortion>& conditions,
                                          std::uint64_t seed, const batch_options& options = {}) {
  const char* fn = "make_stimuli";
  if (sources.sources.empty()) detail::fail(fn, "no sources");
  if (conditions.empty()) detail::fail(fn, "no conditions");
  for (std::size_t i = 0; i < conditions.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (conditions[i] == conditions[j])
        detail::fail(fn, "condition ", i, " (", disfer::label(conditions[i]), ") repeats condition ", j);
  for (std::size_t i = 0; i < sources.sources.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (sources.sources[i].fer2013_row == sources.sources[j].fer2013_row)
        detail::fail(fn, "sources ", j, " and ", i, " are the same FER-2013 row ", sources.sources[i].fer2013_row);
  // A level the kernels reject is reported per condition, before the batch.
  for (std::size_t c = 0; c < conditions.size(); ++c) {
    try {
      (void)detail::apply_as(conditions[c], sources.sources.front().image, stream_key{seed, 0, 0}, nullptr);
    } catch (const error& e) {
      detail::fail(fn, "condition ", c, " (", disfer::label(conditions[c]), "): ", e.what());
    }
  }
  std::vector<stimulus> out;
  out.reserve(sources.sources.size() * conditions.size());
  std::vector<distortion> ds;
  std::vector<xt::xtensor<std::uint8_t, 2>> imgs;
  std::vector<std::uint64_t> items;
  for (const auto& s : sources.sources)
    for (std::size_t c = 0; c < conditions.size(); ++c) {
      stimulus st;
      st.id = stimulus_id(s.fer2013_row, conditions[c]);
      st.index = out.size();
      st.source_id = s.source_id;
      st.fer2013_row = s.fer2013_row;
      st.label = s.label;
      st.usage = s.usage;
      st.condition_index = c;
      st.condition = conditions[c];
      st.key = stream_key{seed, stimulus_key_item(st.id), default_purpose(conditions[c].kind)};
      ds.push_back(conditions[c]);
      imgs.push_back(s.image);
      items.push_back(st.key.item);
      out.push_back(std::move(st));
    }
  std::vector<xt::xtensor<std::uint8_t, 2>> made;
  try {
    made = apply_batch(ds, imgs, items, seed, options);
  } catch (const error& e) {
    detail::fail(fn, e.what());
  }
  for (std::size_t i = 0; i < out.size(); ++i) out[i].image = std::move(made[i]);
  return out;
}

/// How write_stimuli encodes images: a file extension and a writer. Default: binary PGM. For
/// PNG (component `png`): `{".png", [](std::ostream& o, const auto& img) { disfer::write_png(o, img); }}`.
struct image_encoder {
  std::string extension = ".pgm";
  std::function<void(std::ostream&, const xt::xtensor<std::uint8_t, 2>&)> write =
      [](std::ostream& o, const xt::xtensor<std::uint8_t, 2>& img) { write_pgm(o, img); };
};

/// Writes the manifest of `stimuli` as CSV (the schema of io/manifest.hpp): '#' provenance lines (disfer version,
/// random stream version, seeds, options, conditions, input name and SHA-256, key rule), then a header and one row per
/// stimulus: id, index, source_id, fer2013_row, usage, label (FER-2013 index), emotion (name), distortion (kind name),
/// level, condition (paper label), key_seed, key_item, key_purpose, file (id + extension). Nothing in it depends on the
/// time or the machine, so the same call gives the same bytes. Read it with pandas `read_csv(path, comment="#")` or R
/// `read.csv(path, comment.char = "#")`. Throws disfer::error for no stimuli (a manifest of
/// nothing is a mistake upstream, not a study).
inline void write_manifest(std::ostream& out, const std::vector<stimulus>& stimuli, const source_sample& sources,
                           const std::vector<distortion>& conditions, std::uint64_t seed,
                           const std::string& extension = ".pgm") {
  if (stimuli.empty()) detail::fail("write_manifest", "no stimuli");
  out << "# disfer stimulus manifest\n";
  out << "# disfer_version: " << version_string << "\n";
  out << "# random_stream_version: " << random_stream_version << "\n";
  out << "# seed: " << seed << "\n";
  out << "# sampling_seed: " << sources.options.seed << "\n";
  out << "# per_emotion: " << sources.options.per_emotion << "\n";
  out << "# usages:";
  for (auto u : sources.options.usages) out << ' ' << name(u);
  if (!sources.options.only_rows.empty())  // the sample was drawn from these rows only
    out << "\n# only_rows: " << sources.options.only_rows.size() << " listed rows eligible";
  out << "\n# emotions:";
  for (auto e : sources.options.emotions) out << ' ' << name(e);
  out << "\n# conditions:";
  for (std::size_t c = 0; c < conditions.size(); ++c) out << (c ? "; " : " ") << disfer::label(conditions[c]);
  out << "\n# input: " << sources.input_name << "\n";
  out << "# input_sha256: " << (sources.input_sha256.empty() ? "-" : sources.input_sha256) << "\n";
  out << "# input_rows: " << sources.input_rows << "\n";
  out << "# key: stream_key{seed, first 8 bytes big-endian of SHA-256(id), purpose of the kind}\n";
  namespace col = manifest_column;
  write_csv_row(out,
                {col::id, "index", col::source_id, col::fer2013_row, "usage", col::label, "emotion", col::distortion,
                 col::level, col::condition, col::key_seed, col::key_item, col::key_purpose, col::file});
  for (const auto& s : stimuli)
    write_csv_row(
        out, {s.id, std::to_string(s.index), std::to_string(s.source_id), std::to_string(s.fer2013_row),
              std::string(name(s.usage)), std::to_string(index_of(s.label)), std::string(name(s.label)),
              name(s.condition.kind), detail::shortest(s.condition.level), disfer::label(s.condition),
              std::to_string(s.key.seed), std::to_string(s.key.item), std::to_string(s.key.purpose), s.id + extension});
}

/// Options of write_stimuli.
struct stimuli_write_options {
  image_encoder encoder;
  overwrite_policy overwrite = overwrite_policy::refuse;  ///< for a non-empty existing folder
  /// Further files written into the folder with the rest, e.g. {"playlists.csv", text}.
  std::vector<std::pair<std::string, std::string>> extra_files;
};

/// Writes every stimulus image (`<id><extension>`), `manifest.csv` (write_manifest) and the extra
/// files into `folder`. Everything is written into a temporary folder beside the target
/// (`.<name>.partial-<n>`) and renamed into place at the end, so the target never holds a partial
/// set. An existing empty folder is replaced; an existing non-empty folder is an error unless
/// options.overwrite is replace (then the old folder is removed after the new one is in place).
/// Throws disfer::error for no stimuli, an existing file of that name, a non-empty folder under
/// refuse, an extra file named like a stimulus or the manifest, a stimulus without image, or an
/// I/O error (the temporary folder is removed).
inline void write_stimuli(const std::string& folder, const std::vector<stimulus>& stimuli, const source_sample& sources,
                          const std::vector<distortion>& conditions, std::uint64_t seed,
                          const stimuli_write_options& options = {}) {
  namespace fs = std::filesystem;
  const char* fn = "write_stimuli";
  if (stimuli.empty()) detail::fail(fn, "no stimuli");
  for (const auto& s : stimuli)
    if (s.image.size() == 0) detail::fail(fn, "stimulus ", s.id, " has no image");
  for (const auto& [name, text] : options.extra_files)
    if (name == "manifest.csv" || name.find('/') != std::string::npos || name.empty() || name[0] == '.')
      detail::fail(fn, "extra file name '", name, "' is not allowed (manifest.csv, hidden or with a folder)");
  staged_directory staged(folder, options.overwrite, fn);

  std::error_code ec;
  auto write_file = [&](const std::string& name, const std::function<void(std::ostream&)>& body) {
    const fs::path path = staged / name;
    if (fs::exists(path, ec))
      detail::fail(fn, "two outputs are named '", name, "' (repeated stimulus id or extra file)");
    std::ofstream out(path, std::ios::binary);
    if (!out) detail::fail(fn, "cannot write '", path.string(), "'");
    body(out);
    out.close();
    if (!out) detail::fail(fn, "write error on '", path.string(), "'");
  };
  for (const auto& s : stimuli)
    write_file(s.id + options.encoder.extension, [&](std::ostream& o) { options.encoder.write(o, s.image); });
  write_file("manifest.csv", [&](std::ostream& o) {
    write_manifest(o, stimuli, sources, conditions, seed, options.encoder.extension);
  });
  for (const auto& extra : options.extra_files) write_file(extra.first, [&](std::ostream& o) { o << extra.second; });
  staged.commit();
}

}  // namespace disfer
