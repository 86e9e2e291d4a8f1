// io: bindings of disfer/io (the readers and writers of the files studies use), and of the design
// writers that take a stream in C++ (bound here with a path, written through staged_file).

#include <cstring>
#include <optional>
#include <sstream>

#include "common.hpp"
#include "disfer/core/random.hpp"
#include "disfer/design.hpp"
#include "disfer/io/bad_rows.hpp"
#include "disfer/io/fer2013.hpp"
#include "disfer/io/ferplus.hpp"
#include "disfer/io/jspsych.hpp"
#include "disfer/io/pgm.hpp"
#include "disfer/io/predictions_csv.hpp"
#include "disfer/io/staged_file.hpp"
#include "disfer/io/votes_csv.hpp"

DISFER_PY_STRING_ENUM(disfer::bad_row_policy)
DISFER_PY_STRING_ENUM(disfer::label_format)

namespace disfer_py {

namespace {

using disfer::bad_row_policy;
using disfer::overwrite_policy;
using disfer::skipped_row;

/// A path argument: str or os.PathLike.
std::string path_of(const py::object& obj) {
  return py::str(py::module_::import("os").attr("fspath")(obj)).cast<std::string>();
}

overwrite_policy policy_of(bool overwrite) {
  return overwrite ? overwrite_policy::replace : overwrite_policy::refuse;
}

char delimiter_of(const char* function, const std::string& d) {
  if (d.size() != 1) fail(function, "delimiter must be one character, got '" + d + "'");
  return d[0];
}

/// The rows a reader skipped, appended to the caller's list `skipped` (under bad_rows='skip').
struct skip_report {
  skip_report(const char* function, bad_row_policy policy, const py::object& list) : list_(list) {
    if (!list.is_none() && !py::isinstance<py::list>(list))
      fail(function, "skipped must be a list (the skipped rows are appended to it)");
    if (policy == bad_row_policy::skip && list.is_none())
      fail(function, "bad_rows='skip' needs skipped=[] (a list the skipped rows are appended to)");
  }
  std::vector<skipped_row>* rows() { return &rows_; }
  /// Appends the rows (with the GIL held).
  void flush() {
    if (list_.is_none()) return;
    auto list = py::reinterpret_borrow<py::list>(list_);
    for (auto& r : rows_) list.append(py::cast(std::move(r)));
    rows_.clear();
  }

 private:
  py::object list_;
  std::vector<skipped_row> rows_;
};

/// Runs `read()` without the GIL, then reports the skipped rows (also when read() throws).
template <class Read>
auto read_reporting(skip_report& report, Read&& read) {
  try {
    auto out = without_gil(read);
    report.flush();
    return out;
  } catch (...) {
    report.flush();
    throw;
  }
}

template <class T>
py::array_t<T> numpy_of(std::vector<T>&& v) {
  auto* owner = new std::vector<T>(std::move(v));
  py::capsule free_it(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(owner->size()), owner->data(), free_it);
}

template <class T>
py::array_t<T> numpy_copy(const std::vector<T>& v) {
  py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::memcpy(a.mutable_data(), v.data(), v.size() * sizeof(T));
  return a;
}

/// read_fer2013's result: numpy arrays, one entry per row kept.
struct fer2013_data {
  py::array images;  // N x 48 x 48 uint8
  py::array labels;  // int64 FER-2013 label
  py::array usage;   // uint8 Fer2013Usage value
  py::array row;     // uint64 data row
  py::array line;    // uint64 line
};

std::uint64_t seed_for(const char* fn, const std::vector<disfer::stimulus>& stimuli, const py::object& seed_obj) {
  if (!seed_obj.is_none()) return seed_obj.cast<std::uint64_t>();
  if (stimuli.empty()) fail(fn, "no stimuli");
  const std::uint64_t seed = stimuli.front().key.seed;
  for (const auto& s : stimuli)
    if (s.key.seed != seed)
      fail(fn, "seed not given, and the stimuli were made with different seeds (" + std::to_string(seed) + " and " +
                   std::to_string(s.key.seed) + ")");
  return seed;
}

/// Writes `path` through staged_file (refusing an existing file unless overwrite), GIL released.
template <class Write>
void write_staged(const char* fn, const std::string& path, bool overwrite, Write&& write) {
  without_gil([&] {
    disfer::staged_file out(path, policy_of(overwrite), fn);
    write(out.stream());
    out.commit();
  });
}

constexpr const char* skipped_doc =
    "; bad_rows='skip' leaves out a row with a bad field (or a ragged row) and "
    "appends a SkippedRow to the list `skipped`";

}  // namespace

void init_io(py::module_& m) {
  using namespace disfer;

  // ---- Bad rows ------------------------------------------------------------------------------
  bind_enum<bad_row_policy>(m, "BadRowPolicy", {{"error", bad_row_policy::error}, {"skip", bad_row_policy::skip}},
                            "What a reader does with a bad row: raise disfer.Error, or skip it and report it.");
  m.def(
      "parse_bad_row_policy", [](const std::string& text) { return parse_bad_row_policy(text); }, py::arg("text"),
      "'error' or 'skip' as a BadRowPolicy; disfer.Error otherwise.");
  result_class<skipped_row>(m, "SkippedRow", "One row a reader left out under bad_rows='skip'.")
      .field("path", &skipped_row::path)
      .field("line", &skipped_row::line, "1-based line of the offending field")
      .field("column", &skipped_row::column, "1-based byte within that line")
      .field("field", &skipped_row::field, "the column's name ('' for a ragged row)")
      .field("reason", &skipped_row::reason, "the message bad_rows='error' raises")
      .done();
  m.def(
      "write_skipped_rows_csv",
      [](const py::object& path, const std::vector<skipped_row>& rows, bool overwrite) {
        const std::string p = path_of(path);
        without_gil([&] { write_skipped_rows_csv(p, rows, policy_of(overwrite)); });
      },
      py::arg("path"), py::arg("rows"), py::kw_only(), py::arg("overwrite") = false,
      "Writes the skipped rows as CSV (path,line,column,field,reason); an existing file raises disfer.Error\n"
      "unless overwrite=True.");
  m.def("skipped_rows_per_file", &skipped_rows_per_file, py::arg("rows"),
        "[(path, count)] of the skipped rows, paths in order of first appearance.");

  // ---- Staging leftovers ---------------------------------------------------------------------
  m.def(
      "stale_staging",
      [](const py::object& target) {
        std::vector<std::string> out;
        for (const auto& p : stale_staging(path_of(target))) out.push_back(p.string());
        return out;
      },
      py::arg("target"),
      "Leftovers of killed writers beside `target`: .<name>.partial-<n> and .<name>.old-<n>, sorted.");
  m.def(
      "remove_stale_staging", [](const py::object& target) { return remove_stale_staging(path_of(target)); },
      py::arg("target"), "Removes what stale_staging(target) lists; returns how many entries.");

  // ---- Votes and count tables ----------------------------------------------------------------
  bind_enum<label_format>(
      m, "LabelFormat",
      {{"automatic", label_format::automatic}, {"name", label_format::name}, {"index", label_format::index}},
      "How labels are written in a vote file: automatic (digits = index), names only, indices only.");
  m.def(
      "read_votes_csv",
      [](const py::object& path, const std::string& stimulus_column, const std::string& rater_column,
         const std::string& label_column, const std::vector<std::string>& categories, label_format labels,
         bool allow_duplicates, const std::string& delimiter, bad_row_policy bad_rows, const py::object& skipped) {
        const char* fn = "read_votes_csv";
        votes_csv_options o;
        o.stimulus_column = stimulus_column;
        o.rater_column = rater_column;
        o.label_column = label_column;
        o.categories = categories;
        o.labels = labels;
        o.allow_duplicates = allow_duplicates;
        o.delimiter = delimiter_of(fn, delimiter);
        o.bad_rows = bad_rows;
        skip_report report(fn, bad_rows, skipped);
        o.skipped = report.rows();
        const std::string p = path_of(path);
        return read_reporting(report, [&] { return read_votes_csv(p, o); });
      },
      py::arg("path"), py::kw_only(), py::arg("stimulus_column") = "stimulus", py::arg("rater_column") = "rater",
      py::arg("label_column") = "label", py::arg("categories") = std::vector<std::string>{},
      py::arg("labels") = label_format::automatic, py::arg("allow_duplicates") = false, py::arg("delimiter") = ",",
      py::arg("bad_rows") = bad_row_policy::error, py::arg("skipped") = py::none(),
      (std::string("Reads long-form votes (one row per vote: stimulus, rater, label) as a VoteTable; ids numbered\n"
                   "in order of first appearance, labels by name (either vocabulary, any case) or 0-based index.\n"
                   "categories: default FER-2013's seven emotions. A bad field raises disfer.Error with path, line,\n"
                   "column") +
       skipped_doc + ". GIL released.")
          .c_str());

  result_class<count_table>(m, "CountTable", "What read_count_table_csv returns.")
      .field("counts", &count_table::counts, "items x categories, int64")
      .field("item_names", &count_table::item_names, "id column values, or '1', '2', ... (data row numbers)")
      .field("category_names", &count_table::category_names, "the category columns, in table order")
      .done();
  m.def(
      "read_count_table_csv",
      [](const py::object& path, const std::string& id_column, const std::vector<std::string>& columns,
         const std::string& delimiter, bad_row_policy bad_rows, const py::object& skipped) {
        const char* fn = "read_count_table_csv";
        count_table_csv_options o;
        o.id_column = id_column;
        o.columns = columns;
        o.delimiter = delimiter_of(fn, delimiter);
        o.bad_rows = bad_rows;
        skip_report report(fn, bad_rows, skipped);
        o.skipped = report.rows();
        const std::string p = path_of(path);
        return read_reporting(report, [&] { return read_count_table_csv(p, o); });
      },
      py::arg("path"), py::kw_only(), py::arg("id_column") = "", py::arg("columns") = std::vector<std::string>{},
      py::arg("delimiter") = ",", py::arg("bad_rows") = bad_row_policy::error, py::arg("skipped") = py::none(),
      (std::string("Reads an items x categories count table (e.g. FER+'s fer2013new.csv with columns=[...]):\n"
                   "id_column names the items (default none), columns picks the categories (default every other).\n"
                   "A field that is not a non-negative integer raises disfer.Error with path, line, column") +
       skipped_doc + ".")
          .c_str());

  // ---- Predictions ---------------------------------------------------------------------------
  m.def(
      "read_predictions_csv",
      [](const py::object& path, const std::string& stimulus_column, const std::string& label_column,
         const std::vector<std::string>& class_names, bad_row_policy bad_rows, const py::object& skipped) {
        const char* fn = "read_predictions_csv";
        predictions_csv_options o;
        o.stimulus_column = stimulus_column;
        o.label_column = label_column;
        o.class_names = class_names;
        o.bad_rows = bad_rows;
        skip_report report(fn, bad_rows, skipped);
        o.skipped = report.rows();
        const std::string p = path_of(path);
        return read_reporting(report, [&] { return read_predictions_csv(p, o); });
      },
      py::arg("path"), py::kw_only(), py::arg("stimulus_column") = "stimulus", py::arg("label_column") = "label",
      py::arg("class_names") = std::vector<std::string>{}, py::arg("bad_rows") = bad_row_policy::error,
      py::arg("skipped") = py::none(),
      (std::string("Reads predictions made elsewhere as Predictions: `stimulus,label`, one probability column per\n"
                   "class, or both (disfer/io/predictions_csv.hpp). class_names: default FER-2013's seven emotions\n"
                   "(either vocabulary). A bad field raises disfer.Error with path, line, column") +
       skipped_doc + ".")
          .c_str());
  m.def(
      "write_predictions_csv",
      [](const py::object& path, const predictions& p, bool overwrite) {
        const std::string target = path_of(path);
        without_gil([&] { write_predictions_csv(target, p, policy_of(overwrite)); });
      },
      py::arg("path"), py::arg("predictions"), py::kw_only(), py::arg("overwrite") = false,
      "Writes Predictions as `stimulus,label[,<class>...]` (probabilities with 9 significant digits), staged;\n"
      "an existing file raises disfer.Error unless overwrite=True.");

  // ---- FER-2013 ------------------------------------------------------------------------------
  m.attr("fer2013_side") = fer2013_side;
  m.def(
      "parse_fer2013_usage",
      [](const std::string& text) -> std::optional<fer2013_usage> { return parse_fer2013_usage(text); },
      py::arg("text"), "Fer2013Usage of 'Training', 'PublicTest' or 'PrivateTest' (exactly); None otherwise.");
  py::class_<fer2013_data>(m, "Fer2013Data",
                           "What read_fer2013 returns: numpy arrays with one entry per row kept, in file order.")
      .def_readonly("images", &fer2013_data::images, "N x 48 x 48 uint8, row-major, top row first")
      .def_readonly("labels", &fer2013_data::labels, "int64 FER-2013 labels (Emotion values)")
      .def_readonly("usage", &fer2013_data::usage, "uint8 Fer2013Usage values (0 Training, 1 PublicTest, 2 Private)")
      .def_readonly("rows", &fer2013_data::row, "uint64 0-based data rows (FER-2013's image ids)")
      .def_readonly("lines", &fer2013_data::line, "uint64 1-based lines on which the rows start")
      .def("__len__", [](const fer2013_data& d) { return d.labels.size(); })
      .def("__repr__",
           [](const fer2013_data& d) { return "Fer2013Data(" + std::to_string(d.labels.size()) + " rows)"; })
      .def(
          "to_dict",
          [](const fer2013_data& d) {
            py::dict out;
            out["images"] = d.images;
            out["labels"] = d.labels;
            out["usage"] = d.usage;
            out["rows"] = d.row;
            out["lines"] = d.line;
            return out;
          },
          "The arrays as a dict.")
      .attr("_fields") = py::make_tuple("images", "labels", "usage", "rows", "lines");
  m.def(
      "read_fer2013",
      [](const py::object& path, const py::object& usages, const std::optional<fer2013_usage>& default_usage,
         bad_row_policy bad_rows, const py::object& skipped) {
        const char* fn = "read_fer2013";
        std::vector<fer2013_usage> keep;
        if (!usages.is_none()) {
          if (py::isinstance<py::str>(usages) || py::isinstance<fer2013_usage>(usages))
            keep.push_back(usages.cast<fer2013_usage>());
          else
            keep = usages.cast<std::vector<fer2013_usage>>();
        }
        fer2013_options o;
        o.default_usage = default_usage;
        o.function = fn;
        o.bad_rows = bad_rows;
        skip_report report(fn, bad_rows, skipped);
        o.skipped = report.rows();
        const std::string p = path_of(path);
        struct columns {
          std::vector<std::uint8_t> pixels, usage;
          std::vector<std::int64_t> labels;
          std::vector<std::uint64_t> row, line;
        };
        auto c = read_reporting(report, [&] {
          columns out;
          fer2013_reader reader(p, o);
          while (reader.next()) {
            const auto& r = reader.record();
            bool wanted = keep.empty();
            for (auto u : keep) wanted = wanted || u == r.usage;
            if (!wanted) continue;
            out.pixels.insert(out.pixels.end(), r.pixels.begin(), r.pixels.end());
            out.labels.push_back(static_cast<std::int64_t>(index_of(r.label)));
            out.usage.push_back(static_cast<std::uint8_t>(r.usage));
            out.row.push_back(r.row);
            out.line.push_back(r.line);
          }
          return out;
        });
        const auto n = static_cast<py::ssize_t>(c.labels.size());
        const auto side = static_cast<py::ssize_t>(fer2013_side);
        fer2013_data d;
        auto* owner = new std::vector<std::uint8_t>(std::move(c.pixels));
        py::capsule free_it(owner, [](void* q) { delete static_cast<std::vector<std::uint8_t>*>(q); });
        d.images = py::array_t<std::uint8_t>({n, side, side}, owner->data(), free_it);
        d.labels = numpy_of(std::move(c.labels));
        d.usage = numpy_of(std::move(c.usage));
        d.row = numpy_of(std::move(c.row));
        d.line = numpy_of(std::move(c.line));
        return d;
      },
      py::arg("path"), py::kw_only(), py::arg("usages") = py::none(), py::arg("default_usage") = py::none(),
      py::arg("bad_rows") = bad_row_policy::error, py::arg("skipped") = py::none(),
      (std::string("Reads fer2013.csv (Goodfellow et al. 2013, Kaggle: emotion,pixels,Usage; 2304 space-separated\n"
                   "pixels per row) as Fer2013Data, keeping the rows whose Usage is in `usages` (default all) after\n"
                   "validating every row. default_usage: the Usage of a file without that column (Kaggle's\n"
                   "train.csv). A bad row raises disfer.Error with path, line, column") +
       skipped_doc + ". GIL released.")
          .c_str());

  // ---- FER+ ----------------------------------------------------------------------------------
  result_class<ferplus_item_votes>(m, "FerplusItemVotes", "The FER+ votes of one FER-2013 image.")
      .field("fer2013_row", &ferplus_item_votes::fer2013_row, "0-based data row of fer2013.csv")
      .field("usage", &ferplus_item_votes::usage)
      .field("emotions", &ferplus_item_votes::emotions, "votes per FER-2013 emotion, FER-2013 order")
      .field("other", &ferplus_item_votes::other, "contempt, unknown, NF")
      .field("in_table", &ferplus_item_votes::in_table, "False: no emotion vote (kept out of counts)")
      .field("line", &ferplus_item_votes::line, "1-based line of the row")
      .done();
  result_class<ferplus_votes>(m, "FerplusVotes", "What read_ferplus_csv returns.")
      .field("counts", &ferplus_votes::counts, "items x 7 int64, FER-2013 emotion order")
      .field("category_names", &ferplus_votes::category_names, "'angry', ..., 'neutral' (FER-2013 names)")
      .computed(
          "fer2013_row", [](const ferplus_votes& v) { return numpy_copy(v.fer2013_row); },
          "uint64 per item: the FER-2013 data row")
      .computed(
          "usage",
          [](const ferplus_votes& v) {
            std::vector<std::uint8_t> u;
            for (auto x : v.usage) u.push_back(static_cast<std::uint8_t>(x));
            return numpy_of(std::move(u));
          },
          "uint8 per item: FER+'s Usage (Fer2013Usage values)")
      .computed(
          "line", [](const ferplus_votes& v) { return numpy_copy(v.line); }, "uint64 per item: 1-based line")
      .field("other", &ferplus_votes::other, "items x 3 int64: contempt, unknown, NF")
      .field("no_emotion_items", &ferplus_votes::no_emotion_items, "FerplusItemVotes of images left out of counts")
      .field("other_totals", &ferplus_votes::other_totals, "contempt, unknown, NF over every image row")
      .field("image_rows", &ferplus_votes::image_rows, "rows with an image name")
      .field("no_face_rows", &ferplus_votes::no_face_rows, "rows with an empty image name (skipped)")
      .field("no_face_lines", &ferplus_votes::no_face_lines, "their 1-based lines")
      .done();
  m.def(
      "read_ferplus_csv",
      [](const py::object& path, const std::string& delimiter, bad_row_policy bad_rows, const py::object& skipped) {
        const char* fn = "read_ferplus_csv";
        ferplus_csv_options o;
        o.delimiter = delimiter_of(fn, delimiter);
        o.bad_rows = bad_rows;
        skip_report report(fn, bad_rows, skipped);
        o.skipped = report.rows();
        const std::string p = path_of(path);
        return read_reporting(report, [&] { return read_ferplus_csv(p, o); });
      },
      py::arg("path"), py::kw_only(), py::arg("delimiter") = ",", py::arg("bad_rows") = bad_row_policy::error,
      py::arg("skipped") = py::none(),
      (std::string("Reads FER+'s fer2013new.csv (Barsoum et al. 2016, microsoft/FERPlus: Usage, Image name, 8\n"
                   "emotions, unknown, NF) as FerplusVotes; images without an emotion vote are kept out of counts\n"
                   "(no_emotion_items), rows without an image name counted in no_face_rows. A bad field raises\n"
                   "disfer.Error with path, line, column") +
       skipped_doc + ".")
          .c_str());
  m.def("ferplus_votes_of_row", &ferplus_votes_of_row, py::arg("votes"), py::arg("row"),
        "The FerplusItemVotes of FER-2013 data row `row`, or None when the file has none (a linear scan).");

  // ---- jsPsych -------------------------------------------------------------------------------
  result_class<jspsych_check>(m, "JspsychCheck", "One attention check as the participant answered it.")
      .field("participant", &jspsych_check::participant)
      .field("file", &jspsych_check::file)
      .field("line", &jspsych_check::line)
      .field("position", &jspsych_check::position, "index among the participant's checks")
      .field("after", &jspsych_check::after, "ratings shown before it")
      .field("expected", &jspsych_check::expected, "the button asked for")
      .field("response", &jspsych_check::response, "the button clicked; -1: none")
      .field("passed", &jspsych_check::passed)
      .done();
  result_class<jspsych_participant>(m, "JspsychParticipant", "One participant and their study conditions.")
      .field("id", &jspsych_participant::id)
      .field("file", &jspsych_participant::file)
      .field("playlist", &jspsych_participant::playlist)
      .field("order", &jspsych_participant::order)
      .field("order_id", &jspsych_participant::order_id)
      .field("prolific_pid", &jspsych_participant::prolific_pid)
      .field("study_id", &jspsych_participant::study_id)
      .field("session_id", &jspsych_participant::session_id)
      .field("ratings", &jspsych_participant::ratings)
      .field("checks", &jspsych_participant::checks)
      .field("failed", &jspsych_participant::failed)
      .field("excluded", &jspsych_participant::excluded)
      .field("reason", &jspsych_participant::reason)
      .done();
  result_class<jspsych_votes>(m, "JspsychVotes", "What read_jspsych_votes returns.")
      .field("votes", &jspsych_votes::votes, "VoteTable of the participants kept")
      .field("file", &jspsych_votes::file, "per vote: its file")
      .computed(
          "line",
          [](const jspsych_votes& v) {
            std::vector<std::uint64_t> l(v.line.begin(), v.line.end());
            return numpy_of(std::move(l));
          },
          "per vote: its row's line")
      .computed(
          "position",
          [](const jspsych_votes& v) {
            std::vector<std::uint64_t> l(v.position.begin(), v.position.end());
            return numpy_of(std::move(l));
          },
          "per vote: 0-based position in the order")
      .computed(
          "rt", [](const jspsych_votes& v) { return numpy_copy(v.rt); }, "per vote: response time in ms (NaN: null)")
      .field("checks", &jspsych_votes::checks, "every attention check")
      .field("participants", &jspsych_votes::participants, "every participant, excluded ones included")
      .done();
  m.def(
      "read_jspsych_votes",
      [](const py::object& paths, const std::vector<std::string>& buttons, const std::vector<std::string>& categories,
         std::size_t exclude_failed, bad_row_policy bad_rows, const py::object& skipped) {
        const char* fn = "read_jspsych_votes";
        std::vector<std::string> files;
        if (py::isinstance<py::str>(paths) || py::hasattr(paths, "__fspath__"))
          files.push_back(path_of(paths));
        else
          for (const auto& h : py::reinterpret_borrow<py::iterable>(paths))
            files.push_back(path_of(py::reinterpret_borrow<py::object>(h)));
        jspsych_options o;
        o.buttons = buttons;
        o.categories = categories;
        o.exclude_failed = exclude_failed;
        o.bad_rows = bad_rows;
        skip_report report(fn, bad_rows, skipped);
        o.skipped = report.rows();
        return read_reporting(report, [&] { return read_jspsych_votes(files, o); });
      },
      py::arg("paths"), py::kw_only(), py::arg("buttons") = std::vector<std::string>{},
      py::arg("categories") = std::vector<std::string>{}, py::arg("exclude_failed") = 2,
      py::arg("bad_rows") = bad_row_policy::error, py::arg("skipped") = py::none(),
      (std::string("Reads the jsPsych exports (CSV or JSON, as jsPsych's data.get().csv()/.json() write them) of a\n"
                   "disfer experiment (docs/experiment.md) as JspsychVotes: ratings, attention checks, participants;\n"
                   "a participant failing `exclude_failed` checks is excluded. `paths`: one path or a list. A bad\n"
                   "field raises disfer.Error with path, line, column") +
       skipped_doc + ".")
          .c_str());

  // ---- PGM -----------------------------------------------------------------------------------
  m.def(
      "read_pgm",
      [](const py::object& path) -> py::array {
        const std::string p = path_of(path);
        pgm_info info;
        auto img = without_gil([&] { return read_pgm<std::uint16_t>(p, &info); });
        if (info.maxval > 255) return to_numpy(std::move(img));
        auto small = xt::xtensor<std::uint8_t, 2>::from_shape({img.shape()[0], img.shape()[1]});
        for (std::size_t i = 0; i < img.size(); ++i) small.data()[i] = static_cast<std::uint8_t>(img.data()[i]);
        return to_numpy(std::move(small));
      },
      py::arg("path"),
      "Reads a Netpbm PGM (P2 or P5; netpbm.sourceforge.net/doc/pgm.html) as H x W uint8 (maxval <= 255)\n"
      "or uint16; values as stored (no rescaling). A bad file raises disfer.Error with path, line, column.");
  m.def(
      "write_pgm",
      [](const py::object& path, const py::array& image, bool plain, bool overwrite) {
        const char* fn = "write_pgm";
        const std::string p = path_of(path);
        if (image.ndim() != 2) fail(fn, "the image must be H x W, got " + std::to_string(image.ndim()) + "-D");
        pgm_write_options o;
        o.plain = plain;
        o.overwrite = policy_of(overwrite);
        if (py::isinstance<py::array_t<std::uint8_t>>(image)) {
          auto img = to_xtensor<std::uint8_t, 2>(image);
          without_gil([&] { write_pgm(p, img, o); });
        } else if (py::isinstance<py::array_t<std::uint16_t>>(image)) {
          auto img = to_xtensor<std::uint16_t, 2>(image);
          without_gil([&] { write_pgm(p, img, o); });
        } else {
          fail(fn, "pixel type must be uint8 or uint16, got " + std::string(py::str(image.dtype())));
        }
      },
      py::arg("path"), py::arg("image"), py::kw_only(), py::arg("plain") = false, py::arg("overwrite") = false,
      "Writes an H x W uint8 (maxval 255) or uint16 (maxval 65535, big-endian) image as PGM (P5, or P2 when\n"
      "plain), staged; an existing file raises disfer.Error unless overwrite=True.");

  // ---- Design writers (staged files) ---------------------------------------------------------
  m.def(
      "write_manifest",
      [](const py::object& path, const std::vector<stimulus>& stimuli, const source_sample& sources,
         const py::object& conditions, const py::object& seed_obj, const std::string& extension, bool overwrite) {
        const char* fn = "write_manifest";
        if (stimuli.empty()) fail(fn, "no stimuli");
        const auto cs = stimulus_conditions(fn, stimuli, conditions);
        const auto seed = seed_for(fn, stimuli, seed_obj);
        write_staged(fn, path_of(path), overwrite,
                     [&](std::ostream& out) { write_manifest(out, stimuli, sources, cs, seed, extension); });
      },
      py::arg("path"), py::arg("stimuli"), py::arg("sources"), py::arg("conditions") = py::none(),
      py::arg("seed") = py::none(), py::kw_only(), py::arg("extension") = ".pgm", py::arg("overwrite") = false,
      "Writes the stimulus manifest (disfer/io/manifest.hpp schema: '#' provenance lines, then one row per\n"
      "stimulus; read with pandas.read_csv(path, comment='#')), staged; an existing file raises disfer.Error\n"
      "unless overwrite=True. conditions and seed default to those the stimuli were made with.");
  m.def(
      "write_playlists_csv",
      [](const py::object& path, const std::vector<stimulus>& stimuli, const playlist_set& sets, bool overwrite) {
        write_staged("write_playlists_csv", path_of(path), overwrite,
                     [&](std::ostream& out) { write_playlists_csv(out, stimuli, sets); });
      },
      py::arg("path"), py::arg("stimuli"), py::arg("sets"), py::kw_only(), py::arg("overwrite") = false,
      "Writes the playlists as CSV (playlist, position, id, source_id, fer2013_row, label, emotion,\n"
      "distortion, level, condition), staged; an existing file raises disfer.Error unless overwrite=True.");
  m.def(
      "write_presentation_orders",
      [](const py::object& path, const std::vector<stimulus>& stimuli, const playlist_set& sets,
         std::size_t participants_per_playlist, std::uint64_t seed, bool overwrite) {
        write_staged("write_presentation_orders", path_of(path), overwrite, [&](std::ostream& out) {
          write_presentation_orders(out, stimuli, sets, participants_per_playlist, seed);
        });
      },
      py::arg("path"), py::arg("stimuli"), py::arg("sets"), py::arg("participants_per_playlist"), py::arg("seed"),
      py::kw_only(), py::arg("overwrite") = false,
      "Writes participants_per_playlist presentation orders per playlist as CSV (participant, playlist,\n"
      "position, id; read back with read_presentation_orders), staged; an existing file raises disfer.Error\n"
      "unless overwrite=True.");
  m.def(
      "write_experiment_study_js",
      [](const py::object& path, const experiment_study& study, bool overwrite) {
        write_staged("write_experiment_study_js", path_of(path), overwrite,
                     [&](std::ostream& out) { write_experiment_study_js(out, study); });
      },
      py::arg("path"), py::arg("study"), py::kw_only(), py::arg("overwrite") = false,
      "Writes `study` as window.DISFER_STUDY = {...}; (docs/experiment.md, format 'disfer-experiment 1'),\n"
      "staged; an existing file raises disfer.Error unless overwrite=True.");

  // ---- Core helpers --------------------------------------------------------------------------
  m.def(
      "index_of", [](emotion e) { return index_of(e); }, py::arg("emotion"),
      "The 0-based FER-2013 index of an emotion (its label in fer2013.csv).");
  m.def(
      "shuffle",
      [](const py::sequence& values, const stream_key& key) {
        const auto n = static_cast<std::size_t>(py::len(values));
        const auto p = random_permutation(n, key);
        py::list out(n);
        for (std::size_t i = 0; i < n; ++i) out[i] = values[p[i]];
        return out;
      },
      py::arg("values"), py::arg("key"),
      "A new list: `values` shuffled by Fisher-Yates with the stream `key` (the C++ shuffle, the same\n"
      "order for ints or any Python objects: values[random_permutation(len(values), key)[i]]).");
}

}  // namespace disfer_py
