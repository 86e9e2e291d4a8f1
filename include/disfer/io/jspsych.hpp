#pragma once
/// \file
/// Reading the data of a disfer jsPsych experiment (issue 21) back as votes: jsPsych's own exports,
/// `jsPsych.data.get().csv()` (every field quoted, CRLF, `null` written as the text null) or
/// `.json()` (an array of trial objects), one file per participant or many participants in one.
/// The rows a disfer experiment marks (column disfer_task: "rating" or "attention") become votes
/// and attention checks; every other row (consent, instructions, preload, saving, the user's own
/// trials) is ignored. docs/io.md, "jsPsych exports", gives the columns and the rules.

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <iterator>
#include <limits>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/crowd/votes.hpp"
#include "disfer/io/bad_rows.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/io/detail/json_read.hpp"
#include "disfer/io/votes_csv.hpp"

namespace disfer {

/// Options of read_jspsych_votes.
struct jspsych_options {
  /// Category of each button, in button order (`response` is the 0-based index of the button
  /// clicked). Empty: the paper's alphabetical order, angry, disgust, fear, happy, neutral, sad,
  /// surprise, as make_experiment lays the buttons out. Names match `categories` as in
  /// read_votes_csv (case-insensitively; with the default categories either vocabulary).
  std::vector<std::string> buttons;
  /// Category names in index order (the votes' labels). Empty: the seven FER-2013 emotions in
  /// FER-2013 order, as votes_csv_options.
  std::vector<std::string> categories;
  /// A participant failing at least this many attention checks is excluded (Prolific's rule: 2
  /// failed checks); 0: nobody is excluded.
  std::size_t exclude_failed = 2;
  /// What a bad row does: error (throw) or skip (leave it out and report it in `skipped`).
  bad_row_policy bad_rows = bad_row_policy::error;
  /// Where skip reports the rows it leaves out (appended to); must not be null under skip.
  std::vector<skipped_row>* skipped = nullptr;
};

/// One attention check trial (disfer_task "attention") as the participant answered it.
struct jspsych_check {
  std::string participant;
  std::string file;
  std::size_t line = 0;        ///< of the row (of its opening '{' in JSON)
  std::size_t position = 0;    ///< disfer_position: index of the check among the participant's checks
  std::size_t after = 0;       ///< disfer_after: ratings shown before it
  std::uint32_t expected = 0;  ///< disfer_expected: the button the participant was asked to click
  std::int64_t response = -1;  ///< the button clicked; -1: none (null)
  bool passed = false;         ///< response == expected
};

/// One participant (disfer_participant) and the study conditions recorded on their rows.
struct jspsych_participant {
  std::string id;            ///< disfer_participant
  std::string file;          ///< file of the participant's first row
  std::string playlist;      ///< disfer_playlist
  std::string order;         ///< disfer_order
  std::string order_id;      ///< disfer_order_id
  std::string prolific_pid;  ///< PROLIFIC_PID (empty when the URL had none)
  std::string study_id;      ///< STUDY_ID
  std::string session_id;    ///< SESSION_ID
  std::size_t ratings = 0;   ///< rating trials read
  std::size_t checks = 0;    ///< attention checks read
  std::size_t failed = 0;    ///< attention checks failed
  bool excluded = false;     ///< failed >= jspsych_options::exclude_failed (when that is not 0)
  std::string reason;        ///< why excluded ("failed 2 of 3 attention checks ..."); empty otherwise
};

/// What read_jspsych_votes returns.
struct jspsych_votes {
  /// The votes of the participants not excluded, in reading order: item_names = stimulus ids,
  /// rater_names = participant ids (both in order of first vote), category_names = the categories.
  vote_table votes;
  std::vector<std::string> file;                  ///< per vote: the file it was read from
  std::vector<std::size_t> line;                  ///< per vote: its row's line (of the opening '{' in JSON)
  std::vector<std::size_t> position;              ///< per vote: disfer_position, the 0-based position in the order
  std::vector<double> rt;                         ///< per vote: response time in ms; NaN where jsPsych wrote null
  std::vector<jspsych_check> checks;              ///< every attention check, excluded participants' included
  std::vector<jspsych_participant> participants;  ///< every participant, excluded ones included
};

/// Reads the jsPsych exports `paths` of a disfer experiment (CSV or JSON, detected per file by its
/// first byte other than blanks and a UTF-8 byte-order mark: `[` is JSON, anything else CSV) into
/// votes, attention checks and participants; the files are read as one data set (one file per
/// participant, or many participants in one file).
///
/// Rows: a row without disfer_task (or with it empty or null) is ignored. "rating": a vote of
/// rater disfer_participant on the stimulus disfer_id (when that column exists and the field is
/// not empty; else the file name of `stimulus` without its extension, images/fer3_gb08.png giving
/// fer3_gb08) with the category of buttons[response]. "attention": a check, passed when response
/// == disfer_expected. A participant failing at least options.exclude_failed checks is excluded:
/// listed with the reason, their votes left out. The text `null` stands for JavaScript's null in
/// every field (jsPsych's CSV writes it so); JSON strings and numbers are both accepted.
///
/// Throws disfer::error (function `read_jspsych_votes`, with the path, line and column) for a file
/// that cannot be read, invalid JSON or a CSV dialect error, a missing column (disfer_task,
/// disfer_participant, response, stimulus; disfer_expected when there are checks), a header line
/// inside the data, a second rating of one stimulus by one participant (naming the line of the
/// first, in whichever file), a bad field (an empty participant; a rating's response null, empty,
/// not an integer or not a button; an unknown disfer_task or disfer_format; a bad disfer_expected,
/// disfer_position, disfer_after or rt; a study condition differing from the participant's first
/// row), no rating at all, and every participant excluded; and for bad options (fewer than 2
/// buttons or categories, a button naming no category, two buttons naming one). Under
/// options.bad_rows = skip a row with a bad field (or a ragged CSV row) is left out and reported
/// in *options.skipped instead; the other errors stay errors. O(rows) time, hashing identifiers;
/// each file is held in memory while it is read.
inline jspsych_votes read_jspsych_votes(const std::vector<std::string>& paths, const jspsych_options& options = {});

/// read_jspsych_votes on one stream (`name` stands for the path in errors and in `file`).
inline jspsych_votes read_jspsych_votes(std::istream& in, const std::string& name, const jspsych_options& options = {});

namespace detail {

/// The columns read_jspsych_votes reads (issue 21 contract: "Data columns").
enum jspsych_key : std::size_t {
  jk_task,
  jk_participant,
  jk_id,
  jk_position,
  jk_after,
  jk_expected,
  jk_format,
  jk_playlist,
  jk_order,
  jk_order_id,
  jk_prolific_pid,
  jk_study_id,
  jk_session_id,
  jk_stimulus,
  jk_response,
  jk_rt,
  jk_count
};

inline constexpr std::array<const char*, jk_count> jspsych_key_names = {
    "disfer_task",  "disfer_participant", "disfer_id",     "disfer_position",
    "disfer_after", "disfer_expected",    "disfer_format", "disfer_playlist",
    "disfer_order", "disfer_order_id",    "PROLIFIC_PID",  "STUDY_ID",
    "SESSION_ID",   "stimulus",           "response",      "rt"};

/// The study conditions recorded on every row (compared with the participant's first row).
inline constexpr std::array<jspsych_key, 6> jspsych_condition_keys = {jk_playlist,     jk_order,    jk_order_id,
                                                                      jk_prolific_pid, jk_study_id, jk_session_id};

inline constexpr std::string_view jspsych_format = "disfer-experiment 1";

/// One field of a row as both formats give it: empty (CSV empty field, JSON "" or key absent, as
/// jsPsych's CSV writes an absent key), null (JSON null, or the text null), text (trimmed; a JSON
/// number as written) or nested (a JSON object or array).
struct jspsych_value {
  enum class kind : std::uint8_t { empty, null, text, nested };
  kind k = kind::empty;
  std::string text;  ///< the text (kind text), "object" / "array" (kind nested)
  std::uint64_t line = 0, column = 0;
};

struct jspsych_row {
  std::uint64_t line = 0, column = 0;
  std::array<jspsych_value, jk_count> v;
};

inline std::optional<std::size_t> jspsych_key_of(std::string_view name) {
  for (std::size_t k = 0; k < jk_count; ++k)
    if (name == jspsych_key_names[k]) return k;
  return std::nullopt;
}

/// Sets `v` from a text (CSV field or JSON string/number/literal): trimmed; "" empty, "null" null.
inline void set_jspsych_text(jspsych_value& v, std::string_view text) {
  const std::string_view t = trim_blanks(text);
  if (t.empty()) {
    v.k = jspsych_value::kind::empty;
    v.text.clear();
  } else if (t == "null") {
    v.k = jspsych_value::kind::null;
    v.text.clear();
  } else {
    v.k = jspsych_value::kind::text;
    v.text.assign(t);
  }
}

/// An integer written as -?[0-9]+ with at most 18 significant digits; nullopt otherwise.
inline std::optional<std::int64_t> parse_jspsych_integer(std::string_view s) {
  const bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  std::int64_t v = 0;
  if (!all_digits(s) || !parse_count(s, v)) return std::nullopt;
  return negative ? -v : v;
}

/// The file name of a stimulus path without its extension (Python's splitext of basename: a
/// name of dots only, or starting with its only dot, keeps it).
inline std::string stimulus_stem(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::size_t lead = 0;
  while (lead < base.size() && base[lead] == '.') ++lead;
  const std::size_t dot = base.find_last_of('.');
  if (dot != std::string_view::npos && dot >= lead) base = base.substr(0, dot);
  return std::string(base);
}

/// A std::streambuf over bytes in memory (csv_reader reads a file already read for detection).
class memory_buffer : public std::streambuf {
 public:
  explicit memory_buffer(std::string_view bytes) {
    char* p = const_cast<char*>(bytes.data());  // the get area is only read
    setg(p, p, p + bytes.size());
  }
};

/// The state of one read_jspsych_votes call across its files.
class jspsych_reader {
 public:
  static constexpr const char* fn = "read_jspsych_votes";

  explicit jspsych_reader(const jspsych_options& options) : options_(options) {
    check_bad_row_options(fn, options.bad_rows, options.skipped);
    const bool emotions = options.categories.empty();
    if (emotions)
      for (emotion e : fer2013_order) categories_.emplace_back(disfer::name(e));
    else
      categories_ = options.categories;
    if (categories_.size() < 2) fail(fn, "at least 2 categories are needed; ", categories_.size(), " given");
    std::vector<std::string> buttons = options.buttons;
    if (buttons.empty())
      for (emotion e : alphabetical_order) buttons.emplace_back(disfer::name(e));
    if (buttons.size() < 2) fail(fn, "at least 2 buttons are needed; ", buttons.size(), " given");
    std::string known;
    for (const auto& c : categories_) known += (known.empty() ? "" : ", ") + c;
    for (std::size_t b = 0; b < buttons.size(); ++b) {
      const std::string_view text = trim_blanks(buttons[b]);
      std::optional<std::uint32_t> label;
      for (std::size_t j = 0; j < categories_.size() && !label; ++j) {
        const bool match = emotions ? (equal_ignoring_case(text, disfer::name(fer2013_order[j], vocabulary::fer2013)) ||
                                       equal_ignoring_case(text, disfer::name(fer2013_order[j], vocabulary::paper)))
                                    : equal_ignoring_case(text, trim_blanks(categories_[j]));
        if (match) label = static_cast<std::uint32_t>(j);
      }
      if (!label) fail(fn, "button ", b, " '", buttons[b], "' names no category (categories: ", known, ")");
      for (std::size_t a = 0; a < b; ++a)
        if (button_label_[a] == *label)
          fail(fn, "buttons ", a, " and ", b, " both name category '", categories_[*label], "'");
      button_label_.push_back(*label);
    }
  }

  /// Reads one file (its bytes, `name` for errors).
  void read(std::string_view bytes, const std::string& name) {
    file_ = static_cast<std::uint32_t>(files_.size());
    files_.push_back(name);
    std::size_t i = 0;
    if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) ++i;
    if (i < bytes.size() && bytes[i] == '[') {
      read_json(bytes, name);
    } else if (i < bytes.size() && bytes[i] == '{') {
      json_cursor at(bytes, name, fn);
      at.skip_whitespace();
      fail_at(fn, name, at.line(), at.column(),
              "a JSON object; a jsPsych JSON export is an array of trials (jsPsych.data.get().json())");
    } else {
      read_csv(bytes, name);
    }
  }

  jspsych_votes finish() {
    const auto fail_all = [&](const auto&... parts) {
      if (files_.size() == 1) fail_at(fn, files_[0], 0, 0, parts...);
      fail(fn, parts...);
    };
    if (rating_rows_ == 0) fail_all("no rating trials (no row has disfer_task 'rating')");
    if (raw_.empty()) fail_all("no rating trials (every rating row was skipped)");
    jspsych_votes out;
    out.votes.category_names = categories_;
    std::size_t excluded = 0;
    for (auto& p : participants_) {
      if (options_.exclude_failed > 0 && p.failed >= options_.exclude_failed) {
        p.excluded = true;
        p.reason = concat("failed ", p.failed, " of ", p.checks, " attention checks (excluded at ",
                          options_.exclude_failed, " or more)");
        ++excluded;
      }
    }
    std::unordered_map<std::string, std::uint32_t> items, raters;
    for (const auto& v : raw_) {
      const auto& p = participants_[v.participant];
      if (p.excluded) continue;
      const std::uint32_t item = intern(items, out.votes.item_names, item_names_[v.item]);
      const std::uint32_t rater = intern(raters, out.votes.rater_names, p.id);
      out.votes.add(item, rater, v.label);
      out.file.push_back(files_[v.file]);
      out.line.push_back(static_cast<std::size_t>(v.line));
      out.position.push_back(v.position);
      out.rt.push_back(v.rt);
    }
    if (out.votes.size() == 0)
      fail_all("every participant was excluded (", excluded, " of ", participants_.size(), " failed at least ",
               options_.exclude_failed, " attention checks; exclude_failed = 0 keeps them)");
    out.checks = std::move(checks_);
    out.participants = std::move(participants_);
    return out;
  }

 private:
  struct raw_vote {
    std::uint32_t participant, item, label, file;
    std::uint64_t line;
    std::size_t position;
    double rt;
  };
  struct first_row {
    std::uint32_t file;
    std::uint64_t line;
  };

  // ---- the two formats --------------------------------------------------------------------

  void read_csv(std::string_view bytes, const std::string& name) {
    memory_buffer buffer(bytes);
    std::istream in(&buffer);
    csv_options co;
    co.function = fn;
    csv_reader csv(in, name, co);
    std::array<std::optional<std::size_t>, jk_count> column{};
    for (std::size_t c = 0; c < csv.header().size(); ++c)
      if (const auto k = jspsych_key_of(csv.header()[c])) {
        if (column[*k])
          fail_at(fn, name, 1, 1, "column '", jspsych_key_names[*k], "' appears twice (columns ", *column[*k] + 1,
                  " and ", c + 1, ")");
        column[*k] = c;
      }
    std::array<bool, jk_count> has{};
    for (std::size_t k = 0; k < jk_count; ++k) has[k] = column[k].has_value();
    check_columns(has, name, 1, 1, [&] {
      std::string header;
      for (const auto& h : csv.header()) header += (header.empty() ? "" : ", ") + h;
      return " (header has: " + header + ")";
    });
    while (next_row(csv, options_.bad_rows, options_.skipped)) {
      row_.line = csv.line();
      row_.column = 1;
      for (std::size_t k = 0; k < jk_count; ++k) {
        jspsych_value& v = row_.v[k];
        if (column[k]) {
          set_jspsych_text(v, csv[*column[k]]);
          v.line = csv.field_line(*column[k]);
          v.column = csv.field_column(*column[k]);
        } else {
          v.k = jspsych_value::kind::empty;
          v.text.clear();
          v.line = row_.line;
          v.column = 1;
        }
      }
      take_row(name);
    }
  }

  // Two passes: the first validates the whole text and finds which columns exist (the union of the
  // trials' keys, as jsPsych's CSV header is), the second reads the rows. Memory: one row.
  void read_json(std::string_view bytes, const std::string& name) {
    std::array<bool, jk_count> has{};
    std::uint64_t open_line = 1, open_column = 1;
    parse_json(bytes, name, false, has, open_line, open_column);
    check_columns(has, name, open_line, open_column, [] { return std::string(": no trial has this field"); });
    parse_json(bytes, name, true, has, open_line, open_column);
  }

  void parse_json(std::string_view bytes, const std::string& name, bool take, std::array<bool, jk_count>& has,
                  std::uint64_t& open_line, std::uint64_t& open_column) {
    json_cursor j(bytes, name, fn);
    j.skip_whitespace();
    open_line = j.line();
    open_column = j.column();
    j.expect('[', "'[' (a jsPsych JSON export is an array of trials)");
    j.skip_whitespace();
    std::string key;
    if (!j.consume(']')) {
      for (;;) {
        if (j.peek() != '{') j.fail_here("expected a trial object '{', found ", j.describe_next());
        row_.line = j.line();
        row_.column = j.column();
        std::array<bool, jk_count> seen{};
        for (auto& v : row_.v) {
          v.k = jspsych_value::kind::empty;
          v.text.clear();
          v.line = row_.line;
          v.column = row_.column;
        }
        j.consume('{');
        j.skip_whitespace();
        if (!j.consume('}')) {
          for (;;) {
            const std::uint64_t key_line = j.line(), key_column = j.column();
            j.member_key(&key);
            const auto k = jspsych_key_of(key);
            if (!k) {
              j.read_value(nullptr);
            } else {
              if (seen[*k])
                fail_at(fn, name, key_line, key_column, "invalid JSON: key '", key,
                        "' appears twice in one trial object");
              seen[*k] = has[*k] = true;
              jspsych_value& v = row_.v[*k];
              v.line = j.line();
              v.column = j.column();
              const json_kind kind = j.read_value(&v.text);
              if (kind == json_kind::object || kind == json_kind::array) {
                v.k = jspsych_value::kind::nested;
                v.text = kind == json_kind::object ? "object" : "array";
              } else if (kind == json_kind::null) {
                v.k = jspsych_value::kind::null;
                v.text.clear();
              } else {
                const std::string text = std::move(v.text);
                set_jspsych_text(v, text);
              }
            }
            j.skip_whitespace();
            if (j.consume(',')) {
              j.skip_whitespace();
              continue;
            }
            if (j.consume('}')) break;
            j.fail_here("expected ',' or '}', found ", j.describe_next());
          }
        }
        if (take) take_row(name);
        j.skip_whitespace();
        if (j.consume(',')) {
          j.skip_whitespace();
          continue;
        }
        if (j.consume(']')) break;
        j.fail_here("expected ',' or ']', found ", j.describe_next());
      }
    }
    j.skip_whitespace();
    if (!j.at_end()) j.fail_here("text after the closing ']': ", j.describe_next());
  }

  template <class Have>
  void check_columns(const std::array<bool, jk_count>& has, const std::string& name, std::uint64_t line,
                     std::uint64_t column, Have&& have) {
    for (jspsych_key k : {jk_task, jk_participant, jk_response, jk_stimulus})
      if (!has[k])
        fail_at(fn, name, line, column, "missing column '", jspsych_key_names[k], "'", have(),
                "; is this the export of a disfer experiment?");
    has_ = has;
  }

  // ---- one row ----------------------------------------------------------------------------

  // The errors of the file, not of one row (they stay errors under skip), then the row's own.
  void take_row(const std::string& name) {
    const jspsych_value& task = row_.v[jk_task];
    if (task.k != jspsych_value::kind::text && task.k != jspsych_value::kind::nested) return;  // not disfer's
    if (task.text == "disfer_task")
      fail_at(fn, name, row_.line, row_.column,
              "a header line inside the data (files joined together? give each export as its own file)");
    if (task.text == "attention" && !has_[jk_expected])
      fail_at(fn, name, row_.line, row_.column,
              "missing column 'disfer_expected' (an attention check needs the button it asked for)");
    if (task.text == "rating") ++rating_rows_;
    if (options_.bad_rows != bad_row_policy::skip) {
      take_disfer_row(name);
      return;
    }
    failed_field_.clear();
    try {
      take_disfer_row(name);
    } catch (const error& e) {
      options_.skipped->push_back({e.path(), e.line(), e.column(), failed_field_, e.what()});
    }
  }

  template <class... Parts>
  [[noreturn]] void fail_field(jspsych_key k, const Parts&... parts) {
    failed_field_ = jspsych_key_names[k];
    fail_at(fn, files_[file_], row_.v[k].line, row_.v[k].column, "column '", jspsych_key_names[k], "': ", parts...);
  }

  // The text of a field that names something (ids, conditions): empty for empty and null.
  std::string text_of(jspsych_key k) {
    const jspsych_value& v = row_.v[k];
    if (v.k == jspsych_value::kind::nested) fail_field(k, "a JSON ", v.text, " where a text was expected");
    return v.k == jspsych_value::kind::text ? v.text : std::string();
  }

  // A button index (0 .. buttons - 1); null gives -1 when `null_ok` (an unanswered check).
  std::int64_t button_of(jspsych_key k, bool null_ok, const char* what) {
    const jspsych_value& v = row_.v[k];
    const std::size_t n = button_label_.size();
    if (v.k == jspsych_value::kind::empty) fail_field(k, "empty ", what);
    if (v.k == jspsych_value::kind::null) {
      if (null_ok) return -1;
      fail_field(k, "no ", what, " (null)");
    }
    if (v.k == jspsych_value::kind::nested) fail_field(k, "a JSON ", v.text, ", not a button index (0-", n - 1, ")");
    const auto i = parse_jspsych_integer(v.text);
    if (!i) fail_field(k, what, " '", v.text, "' is not a button index (0-", n - 1, ")");
    if (*i < 0 || *i >= static_cast<std::int64_t>(n))
      fail_field(k, what, " ", v.text, " is outside 0-", n - 1, " (", n, " buttons)");
    return *i;
  }

  // A count (disfer_position, disfer_after): a non-negative integer.
  std::size_t count_of(jspsych_key k) {
    const jspsych_value& v = row_.v[k];
    if (v.k == jspsych_value::kind::empty) fail_field(k, "empty field");
    if (v.k == jspsych_value::kind::null) fail_field(k, "null where a count was expected");
    if (v.k == jspsych_value::kind::nested) fail_field(k, "a JSON ", v.text, " where a count was expected");
    const auto i = parse_jspsych_integer(v.text);
    if (!i) fail_field(k, "'", v.text, "' is not a non-negative integer");
    if (*i < 0) fail_field(k, "negative count ", v.text);
    return static_cast<std::size_t>(*i);
  }

  // rt in ms: a non-negative finite decimal number; NaN for empty or null.
  double rt_of() {
    const jspsych_value& v = row_.v[jk_rt];
    if (v.k == jspsych_value::kind::empty || v.k == jspsych_value::kind::null)
      return std::numeric_limits<double>::quiet_NaN();
    if (v.k == jspsych_value::kind::nested) fail_field(jk_rt, "a JSON ", v.text, " where a time was expected");
    // -?[0-9]+(.[0-9]+)?([eE][+-]?[0-9]+)? : no inf, nan, hexadecimal or leading '+'.
    const std::string& s = v.text;
    std::size_t i = s[0] == '-' ? 1 : 0;
    const auto digits = [&] {
      const std::size_t b = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      return i > b;
    };
    bool ok = digits();
    if (ok && i < s.size() && s[i] == '.') ++i, ok = digits();
    if (ok && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      ok = digits();
    }
    if (!ok || i != s.size()) fail_field(jk_rt, "'", s, "' is not a response time in ms");
    double t = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), t);
    if (r.ec != std::errc() || !std::isfinite(t)) fail_field(jk_rt, "response time ", s, " is out of range");
    if (t < 0) fail_field(jk_rt, "negative response time ", s);
    return t;
  }

  // Checks a row of disfer_task rating or attention and, as its last step, keeps it.
  void take_disfer_row(const std::string& name) {
    const jspsych_value& task = row_.v[jk_task];
    if (task.k == jspsych_value::kind::nested) fail_field(jk_task, "a JSON ", task.text, " where a task was expected");
    const bool rating = task.text == "rating";
    if (!rating && task.text != "attention")
      fail_field(jk_task, "unknown task '", task.text, "' (expected 'rating' or 'attention')");
    const std::string format = text_of(jk_format);
    if (!format.empty() && format != jspsych_format)
      fail_field(jk_format, "unknown format '", format, "' (this reader reads '", jspsych_format, "')");
    const std::string id = text_of(jk_participant);
    if (id.empty()) fail_field(jk_participant, "empty participant id");
    std::array<std::string, jspsych_condition_keys.size()> conditions;
    for (std::size_t c = 0; c < conditions.size(); ++c) conditions[c] = text_of(jspsych_condition_keys[c]);
    const auto known = participant_index_.find(id);
    if (known != participant_index_.end()) {
      const jspsych_participant& p = participants_[known->second];
      const std::array<const std::string*, jspsych_condition_keys.size()> first = {
          &p.playlist, &p.order, &p.order_id, &p.prolific_pid, &p.study_id, &p.session_id};
      const first_row& f = first_rows_[known->second];
      for (std::size_t c = 0; c < conditions.size(); ++c)
        if (conditions[c] != *first[c])
          fail_field(jspsych_condition_keys[c], "participant '", id, "' has '", conditions[c], "' here but '",
                     *first[c], "' on their first row (", files_[f.file], ":", f.line,
                     "): one participant id in two sessions?");
    }
    const std::size_t p_ratings = known == participant_index_.end() ? 0 : participants_[known->second].ratings;
    const std::size_t p_checks = known == participant_index_.end() ? 0 : participants_[known->second].checks;

    if (rating) {
      const auto label = button_label_[static_cast<std::size_t>(button_of(jk_response, false, "response"))];
      jspsych_key stimulus_key = jk_id;
      std::string item = text_of(jk_id);
      if (item.empty()) {
        stimulus_key = jk_stimulus;
        const std::string path = text_of(jk_stimulus);
        if (path.empty()) fail_field(jk_stimulus, "empty stimulus (and no disfer_id)");
        item = stimulus_stem(path);
        if (item.empty()) fail_field(jk_stimulus, "stimulus '", path, "' has no file name");
      }
      const double rt = rt_of();
      const std::size_t position = has_[jk_position] ? count_of(jk_position) : p_ratings;
      const auto it = item_index_.find(item);
      if (known != participant_index_.end() && it != item_index_.end()) {
        const auto d = rated_.find(pair_key(known->second, it->second));
        if (d != rated_.end())
          fail_field(stimulus_key, "participant '", id, "' rated stimulus '", item, "' twice (first on ",
                     files_[d->second.file], ":", d->second.line, ")");
      }
      // Keep it.
      const std::uint32_t p = keep_participant(id, conditions, known);
      const std::uint32_t i = intern(item_index_, item_names_, item);
      rated_.emplace(pair_key(p, i), first_row{file_, row_.line});
      raw_.push_back({p, i, label, file_, row_.line, position, rt});
      ++participants_[p].ratings;
      return;
    }
    const auto expected = static_cast<std::uint32_t>(button_of(jk_expected, false, "expected button"));
    const std::int64_t response = button_of(jk_response, true, "response");
    const std::size_t position = has_[jk_position] ? count_of(jk_position) : p_checks;
    const std::size_t after = has_[jk_after] ? count_of(jk_after) : p_ratings;
    const std::uint32_t p = keep_participant(id, conditions, known);
    const bool passed = response == static_cast<std::int64_t>(expected);
    checks_.push_back({id, name, static_cast<std::size_t>(row_.line), position, after, expected, response, passed});
    ++participants_[p].checks;
    if (!passed) ++participants_[p].failed;
  }

  static std::uint64_t pair_key(std::uint32_t participant, std::uint32_t item) {
    return (std::uint64_t{participant} << 32) | item;
  }

  template <class Known>
  std::uint32_t keep_participant(const std::string& id, const std::array<std::string, jspsych_condition_keys.size()>& c,
                                 Known known) {
    if (known != participant_index_.end()) return known->second;
    const auto p = static_cast<std::uint32_t>(participants_.size());
    participant_index_.emplace(id, p);
    jspsych_participant q;
    q.id = id;
    q.file = files_[file_];
    q.playlist = c[0];
    q.order = c[1];
    q.order_id = c[2];
    q.prolific_pid = c[3];
    q.study_id = c[4];
    q.session_id = c[5];
    participants_.push_back(std::move(q));
    first_rows_.push_back({file_, row_.line});
    return p;
  }

  const jspsych_options& options_;
  std::vector<std::string> categories_;
  std::vector<std::uint32_t> button_label_;  // category of each button
  std::vector<std::string> files_;
  std::uint32_t file_ = 0;
  std::array<bool, jk_count> has_{};  // the current file's columns
  jspsych_row row_;
  std::string failed_field_;
  std::size_t rating_rows_ = 0;
  std::unordered_map<std::string, std::uint32_t> participant_index_, item_index_;
  std::vector<jspsych_participant> participants_;
  std::vector<first_row> first_rows_;
  std::vector<std::string> item_names_;
  std::unordered_map<std::uint64_t, first_row> rated_;  // (participant, item) -> its rating
  std::vector<raw_vote> raw_;
  std::vector<jspsych_check> checks_;
};

inline std::string read_all(std::istream& in, const std::string& name, const char* function) {
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail_at(function, name, 0, 0, "read error");
  return bytes;
}

}  // namespace detail

inline jspsych_votes read_jspsych_votes(const std::vector<std::string>& paths, const jspsych_options& options) {
  constexpr const char* fn = detail::jspsych_reader::fn;
  detail::jspsych_reader reader(options);
  if (paths.empty()) detail::fail(fn, "no files given");
  for (const auto& path : paths) {
    auto in = detail::open_input(path, fn);
    reader.read(detail::read_all(in, path, fn), path);
  }
  return reader.finish();
}

inline jspsych_votes read_jspsych_votes(std::istream& in, const std::string& name, const jspsych_options& options) {
  constexpr const char* fn = detail::jspsych_reader::fn;
  detail::jspsych_reader reader(options);
  reader.read(detail::read_all(in, name, fn), name);
  return reader.finish();
}

}  // namespace disfer
