// crowd: long-form votes (VoteTable) and their count table, majority vote under a named tie
// policy, soft labels, Dawid & Skene's EM, per-rater statistics, rater screening and the
// per-participant summary.

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <unordered_map>

#include "common.hpp"
#include "disfer/crowd.hpp"

namespace disfer_py {

namespace {

using disfer::vote_table;

constexpr std::int64_t max_index = std::numeric_limits<std::uint32_t>::max() - 1;

/// An object array holding only integers (Python or numpy ints), as int64 (so that it reads as indices, not names).
py::object integers_of_object_array(const py::object& obj) {
  py::array a = py::array::ensure(obj);
  if (!a || a.dtype().kind() != 'O' || a.ndim() != 1 || a.size() == 0) return obj;
  for (const auto& v : py::list(a.attr("tolist")()))
    if (!PyIndex_Check(v.ptr()) || py::isinstance<py::bool_>(v)) return obj;
  return a.attr("astype")("int64");
}

/// True for columns of names: str, bytes or object arrays (other than ints only).
bool is_text_array(const py::object& obj) {
  py::array a = py::array::ensure(obj);
  if (!a) return false;
  const char kind = a.dtype().kind();
  return kind == 'U' || kind == 'S' || kind == 'O';
}

/// A column of ids (strings or any hashable: interned in order of first appearance into `names`)
/// or of 0-based integer indices (checked to lie in [0, 2^32 - 1)).
std::vector<std::uint32_t> index_column(const char* function, const py::object& column, const char* what,
                                        std::vector<std::string>* names) {
  const py::object obj = integers_of_object_array(column);
  std::vector<std::uint32_t> out;
  if (names && is_text_array(obj)) {
    py::array a = py::array::ensure(obj);
    if (a.ndim() != 1) fail(function, std::string(what) + " must be 1-D, got " + std::to_string(a.ndim()) + "-D");
    py::dict seen;
    const py::list values = a.attr("tolist")();
    out.reserve(values.size());
    for (const auto& v : values) {
      if (py::isinstance<py::float_>(v) && std::isnan(v.cast<double>()))
        fail(function, std::string(what) + "[" + std::to_string(out.size()) + "] is NaN (a missing id)");
      if (v.is_none())
        fail(function, std::string(what) + "[" + std::to_string(out.size()) + "] is None (a missing id)");
      if (seen.contains(v)) {
        out.push_back(seen[v].cast<std::uint32_t>());
        continue;
      }
      const auto index = static_cast<std::uint32_t>(names->size());
      seen[v] = index;
      names->push_back(py::str(v).cast<std::string>());
      out.push_back(index);
    }
    return out;
  }
  const auto values = int_vector(function, obj, what);
  out.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] < 0 || values[i] > max_index)
      fail(function, std::string(what) + "[" + std::to_string(i) + "] = " + std::to_string(values[i]) +
                         (values[i] < 0 ? " is negative" : " is beyond 32-bit indices"));
    out.push_back(static_cast<std::uint32_t>(values[i]));
  }
  return out;
}

/// Labels: integers 0..k-1, or names looked up in `categories` (when given).
std::vector<std::uint32_t> label_column(const char* function, const py::object& column,
                                        const std::vector<std::string>& categories) {
  const py::object obj = integers_of_object_array(column);
  if (!is_text_array(obj)) return index_column(function, obj, "label", nullptr);
  if (categories.empty())
    fail(function, "the labels are names: give categories (the names in index order) to map them to 0..k-1");
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::size_t j = 0; j < categories.size(); ++j) index.emplace(categories[j], static_cast<std::uint32_t>(j));
  py::array a = py::array::ensure(obj);
  if (a.ndim() != 1) fail(function, "label must be 1-D, got " + std::to_string(a.ndim()) + "-D");
  const py::list values = a.attr("tolist")();
  std::vector<std::uint32_t> out;
  out.reserve(values.size());
  for (const auto& v : values) {
    const std::string text = py::str(v).cast<std::string>();
    const auto found = index.find(text);
    if (found == index.end())
      fail(function, "label[" + std::to_string(out.size()) + "] = '" + text + "' is not one of the categories");
    out.push_back(found->second);
  }
  return out;
}

std::size_t optional_size(const char* function, const py::object& obj, const char* what) {
  if (obj.is_none()) return 0;
  const auto v = obj.cast<std::int64_t>();
  if (v < 0) fail(function, std::string(what) + " = " + std::to_string(v) + " is negative");
  return static_cast<std::size_t>(v);
}

/// The vote table of three parallel columns, errors naming `function`.
vote_table make_votes(const char* function, const py::object& item, const py::object& rater, const py::object& label,
                      const py::object& n_items, const py::object& n_raters,
                      const std::vector<std::string>& categories) {
  vote_table t;
  t.category_names = categories;
  t.item = index_column(function, item, "item", &t.item_names);
  t.rater = index_column(function, rater, "rater", &t.rater_names);
  t.label = label_column(function, label, categories);
  if (t.rater.size() != t.item.size() || t.label.size() != t.item.size())
    fail(function, "item, rater and label differ in length (" + std::to_string(t.item.size()) + ", " +
                       std::to_string(t.rater.size()) + ", " + std::to_string(t.label.size()) + ")");
  std::size_t items = t.item_names.size(), raters = t.rater_names.size();
  for (auto i : t.item) items = std::max(items, std::size_t{i} + 1);
  for (auto r : t.rater) raters = std::max(raters, std::size_t{r} + 1);
  const std::size_t want_items = optional_size(function, n_items, "n_items");
  const std::size_t want_raters = optional_size(function, n_raters, "n_raters");
  if (!n_items.is_none()) {
    if (want_items < items)
      fail(function,
           "n_items = " + std::to_string(want_items) + " but the votes name item " + std::to_string(items - 1));
    items = want_items;
  }
  if (!n_raters.is_none()) {
    if (want_raters < raters)
      fail(function,
           "n_raters = " + std::to_string(want_raters) + " but the votes name rater " + std::to_string(raters - 1));
    raters = want_raters;
  }
  if (!t.item_names.empty() && items != t.item_names.size()) fail(function, "n_items cannot be given with item names");
  if (!t.rater_names.empty() && raters != t.rater_names.size())
    fail(function, "n_raters cannot be given with rater names");
  t.n_items = items;
  t.n_raters = raters;
  return t;
}

/// A VoteTable, or a tuple/list (item, rater, label): the votes a function works on.
struct votes_arg {
  std::optional<vote_table> own;
  const vote_table* table = nullptr;  ///< the caller's VoteTable when `own` is empty
  const vote_table& get() const { return own ? *own : *table; }
};

votes_arg votes_from(const char* function, const py::object& obj) {
  votes_arg v;
  if (py::isinstance<vote_table>(obj)) {
    v.table = &obj.cast<const vote_table&>();
    return v;
  }
  if ((py::isinstance<py::tuple>(obj) || py::isinstance<py::list>(obj)) && py::len(obj) == 3) {
    py::sequence s = obj;
    v.own = make_votes(function, s[0], s[1], s[2], py::none(), py::none(), {});
    return v;
  }
  fail(function, "votes must be a VoteTable or a tuple (item, rater, label) of equal-length arrays");
}

std::size_t resolve_k(const char* function, const py::object& k, const vote_table& t) {
  if (!k.is_none()) return optional_size(function, k, "k");
  if (!t.category_names.empty()) return t.category_names.size();
  fail(function, "k is needed (the votes carry no category names)");
}

std::vector<std::int64_t> optional_labels(const char* function, const py::object& obj, const char* what) {
  if (obj.is_none()) return {};
  return int_vector(function, obj, what);
}

template <class T>
py::array_t<T> numpy_of(const std::vector<T>& v) {
  py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::memcpy(a.mutable_data(), v.data(), v.size() * sizeof(T));
  return a;
}

py::array_t<bool> bool_numpy(const std::vector<std::uint8_t>& v) {
  py::array_t<bool> a(static_cast<py::ssize_t>(v.size()));
  auto* p = a.mutable_data();
  for (std::size_t i = 0; i < v.size(); ++i) p[i] = v[i] != 0;
  return a;
}

}  // namespace

void init_crowd(py::module_& m) {
  using namespace disfer;

  // ------------------------------------------------------------------------------------------
  py::class_<vote_table>(m, "VoteTable",
                         "Votes in long form (item, rater, label) stored as three uint32 columns, as the C++\n"
                         "disfer::vote_table. Ids that are not integers (strings, say) are numbered in order of first\n"
                         "appearance and kept in item_names / rater_names; string labels need categories.")
      .def(py::init([](const py::object& item, const py::object& rater, const py::object& label,
                       const py::object& n_items, const py::object& n_raters,
                       const std::vector<std::string>& categories) {
             return make_votes("VoteTable", item, rater, label, n_items, n_raters, categories);
           }),
           py::arg("item"), py::arg("rater"), py::arg("label"), py::arg("n_items") = py::none(),
           py::arg("n_raters") = py::none(), py::arg("categories") = std::vector<std::string>{},
           "Three equal-length columns (numpy arrays, pandas Series or lists): item ids, rater ids and\n"
           "labels (0..k-1, or names in `categories`). n_items / n_raters default to the largest index + 1.")
      .def_property_readonly("item", [](const vote_table& t) { return numpy_of(t.item); })
      .def_property_readonly("rater", [](const vote_table& t) { return numpy_of(t.rater); })
      .def_property_readonly("label", [](const vote_table& t) { return numpy_of(t.label); })
      .def_readonly("n_items", &vote_table::n_items)
      .def_readonly("n_raters", &vote_table::n_raters)
      .def_readonly("item_names", &vote_table::item_names)
      .def_readonly("rater_names", &vote_table::rater_names)
      .def_readonly("category_names", &vote_table::category_names)
      .def("__len__", &vote_table::size)
      .def("__repr__", [](const vote_table& t) {
        return "VoteTable(" + std::to_string(t.size()) + " votes, " + std::to_string(t.n_items) + " items, " +
               std::to_string(t.n_raters) + " raters)";
      });

  m.def(
      "vote_counts",
      [](const py::object& votes, const py::object& k) {
        auto v = votes_from("vote_counts", votes);
        const std::size_t kk = resolve_k("vote_counts", k, v.get());
        return without_gil([&] { return vote_counts(v.get(), kk); });
      },
      py::arg("votes"), py::arg("k") = py::none(),
      "The items x k count table n_ij (votes for category j on item i) of a VoteTable or an (item, rater,\n"
      "label) tuple; k defaults to the number of category names. Equals pandas.crosstab(item, label)\n"
      "reindexed to every item and category (zero rows for items without votes).");
  m.def(
      "vote_counts",
      [](const py::object& item, const py::object& rater, const py::object& label, const py::object& k,
         const py::object& n_items, const std::vector<std::string>& categories) {
        auto t = make_votes("vote_counts", item, rater, label, n_items, py::none(), categories);
        const std::size_t kk = resolve_k("vote_counts", k, t);
        return without_gil([&] { return vote_counts(t, kk); });
      },
      py::arg("item"), py::arg("rater"), py::arg("label"), py::arg("k") = py::none(), py::arg("n_items") = py::none(),
      py::arg("categories") = std::vector<std::string>{},
      "The items x k count table from three equal-length columns (item ids, rater ids, labels 0..k-1),\n"
      "as numpy arrays, pandas Series or lists; pandas.crosstab(item, label) with every item and category.");

  // ------------------------------------------------------------------------------------------
  bind_enum<tie_policy>(m, "TiePolicy",
                        {{"lowest_index", tie_policy::lowest_index},
                         {"random", tie_policy::random},
                         {"abstain", tie_policy::abstain},
                         {"all_tied", tie_policy::all_tied}},
                        "What majority_vote does when categories share the largest count: lowest_index (crowd-kit's\n"
                        "MajorityVote, biased toward category 0), random (Philox stream (seed, item, tie_break)),\n"
                        "abstain (-1) or all_tied (-1, every tied category in winners).");
  result_class<majority_vote_result>(m, "MajorityVote", "Result of majority_vote; one entry per item.")
      .computed(
          "labels", [](const majority_vote_result& r) { return numpy_of(r.labels); },
          "int64: the chosen category, -1 when abstained, all_tied tie or no vote")
      .computed(
          "tied", [](const majority_vote_result& r) { return bool_numpy(r.tied); },
          "bool: two or more categories share the largest count")
      .field("winners", &majority_vote_result::winners, "the tied-for-first categories per item (all_tied only)")
      .field("n_ties", &majority_vote_result::n_ties, "items with a tie")
      .field("n_no_vote", &majority_vote_result::n_no_vote, "items without any vote")
      .done();
  m.def(
      "majority_vote",
      [](const py::object& counts, tie_policy policy, std::uint64_t seed) {
        return with_counts("majority_vote", counts, [&](const auto& v) { return majority_vote(v, policy, seed); });
      },
      py::arg("counts"), py::arg("policy"), py::arg("seed") = 0,
      "Plurality label argmax_j n_ij of every item of an items x k count table, ties found exactly on the\n"
      "integer counts and resolved by the named policy (no default: each changes the tied items' labels).\n"
      "policy='lowest_index' equals crowd-kit's MajorityVote (pandas idxmax); counts read in place.");

  m.def(
      "soft_labels",
      [](const py::object& counts) {
        return with_counts("soft_labels", counts, [&](const auto& v) { return soft_labels(v); });
      },
      py::arg("counts"),
      "Row-normalised vote fractions n_ij / n_i (the FER+ probability labels, Barsoum et al. 2016), i.e.\n"
      "counts / counts.sum(1, keepdims=True); an item without votes gives a NaN row.");

  // ------------------------------------------------------------------------------------------
  result_class<dawid_skene_result>(m, "DawidSkene", "Result of dawid_skene.")
      .field("posterior", &dawid_skene_result::posterior, "items x k, P(true class | votes); NaN rows without votes")
      .computed(
          "labels", [](const dawid_skene_result& r) { return numpy_of(r.labels); },
          "int64 argmax of each posterior row (lowest index on ties), -1 without votes")
      .field("class_priors", &dawid_skene_result::class_priors, "estimated class proportions")
      .computed(
          "confusions",
          [](const dawid_skene_result& r) {
            const auto k = static_cast<py::ssize_t>(r.class_priors.size());
            py::array_t<double> a({static_cast<py::ssize_t>(r.confusions.size()), k, k});
            auto w = a.mutable_unchecked<3>();
            for (py::ssize_t q = 0; q < w.shape(0); ++q)
              for (py::ssize_t c = 0; c < k; ++c)
                for (py::ssize_t l = 0; l < k; ++l)
                  w(q, c, l) = r.confusions[static_cast<std::size_t>(q)](static_cast<Eigen::Index>(c),
                                                                         static_cast<Eigen::Index>(l));
            return a;
          },
          "raters x k x k: [r, c, l] = P(rater r says l | true class c); rows sum to 1")
      .field("log_likelihood", &dawid_skene_result::log_likelihood, "observed-data log-likelihood at the end")
      .field("iterations", &dawid_skene_result::iterations, "EM iterations run")
      .field("converged", &dawid_skene_result::converged, "the tolerance was met before max_iterations")
      .done();
  m.def(
      "dawid_skene",
      [](const py::object& votes, const py::object& k, std::size_t max_iterations, double tolerance,
         double probability_floor) {
        auto v = votes_from("dawid_skene", votes);
        dawid_skene_options o;
        o.k = optional_size("dawid_skene", k, "k");
        o.max_iterations = max_iterations;
        o.tolerance = tolerance;
        o.probability_floor = probability_floor;
        return without_gil([&] { return dawid_skene(v.get(), o); });
      },
      py::arg("votes"), py::arg("k") = py::none(), py::arg("max_iterations") = 100, py::arg("tolerance") = 1e-8,
      py::arg("probability_floor") = 1e-10,
      "Dawid & Skene's (1979) latent-class EM on votes with rater identities (a VoteTable or an (item,\n"
      "rater, label) tuple), initialised from the vote fractions; as crowd-kit's DawidSkene (n_iter=100,\n"
      "floor 1e-10). k defaults to the category names, else the largest label + 1. A local maximum.");

  // ------------------------------------------------------------------------------------------
  result_class<rater_stats>(m, "RaterStats", "Figures of one rater (rater_statistics).")
      .field("rater", &rater_stats::rater, "rater index")
      .field("n_votes", &rater_stats::n_votes, "votes given (duplicates included)")
      .field("n_items", &rater_stats::n_items, "distinct items voted on")
      .field("n_duplicate_votes", &rater_stats::n_duplicate_votes, "repeat votes on an item")
      .field("n_distinct_labels", &rater_stats::n_distinct_labels, "distinct categories used")
      .field("modal_label", &rater_stats::modal_label, "the category used most (lowest on ties), -1 without votes")
      .field("modal_share", &rater_stats::modal_share, "share of votes in modal_label")
      .field("n_reference", &rater_stats::n_reference, "items with a reference label this rater voted on")
      .field("accuracy", &rater_stats::accuracy, "share of those matching the reference")
      .field("n_majority", &rater_stats::n_majority, "items on which other raters voted")
      .field("majority_agreement", &rater_stats::majority_agreement, "leave-rater-out plurality agreement")
      .done();
  m.def(
      "rater_statistics",
      [](const py::object& votes, const py::object& k, const py::object& reference) {
        auto v = votes_from("rater_statistics", votes);
        const std::size_t kk = resolve_k("rater_statistics", k, v.get());
        auto ref = optional_labels("rater_statistics", reference, "reference");
        return without_gil([&] { return rater_statistics(v.get(), kk, ref); });
      },
      py::arg("votes"), py::arg("k") = py::none(), py::arg("reference") = py::none(),
      "Per-rater figures: accuracy against reference labels (-1 = none) on each rater's first vote per\n"
      "item, and leave-rater-out majority agreement (credit 1/t on a t-way tie), as crowd-kit's\n"
      "accuracy_on_aggregates against MajorityVote but without the rater's own vote.");

  result_class<rater_exclusion>(m, "RaterExclusion", "One excluded rater and every rule it failed.")
      .field("rater", &rater_exclusion::rater)
      .field("name", &rater_exclusion::name, "the rater's id when the votes have names")
      .field("reason", &rater_exclusion::reason, "the failed rules, joined by '; '")
      .done();
  result_class<rater_screening>(m, "RaterScreening", "Result of screen_raters.")
      .field("stats", &rater_screening::stats, "per rater, from all votes")
      .computed(
          "excluded", [](const rater_screening& s) { return bool_numpy(s.excluded); }, "bool per rater")
      .field("exclusions", &rater_screening::exclusions, "the exclusion report, by rater index")
      .field("kept", &rater_screening::kept, "the votes of the raters kept (same indices and names)")
      .field("n_votes_removed", &rater_screening::n_votes_removed)
      .done();
  m.def(
      "screen_raters",
      [](const py::object& votes, const py::object& k, double min_majority_agreement, double min_accuracy,
         bool exclude_single_answer, std::size_t single_answer_min_votes, bool exclude_duplicates,
         std::size_t min_votes, const py::object& reference) {
        auto v = votes_from("screen_raters", votes);
        const std::size_t kk = resolve_k("screen_raters", k, v.get());
        auto ref = optional_labels("screen_raters", reference, "reference");
        rater_screening_options o;
        o.min_majority_agreement = min_majority_agreement;
        o.min_accuracy = min_accuracy;
        o.exclude_single_answer = exclude_single_answer;
        o.single_answer_min_votes = single_answer_min_votes;
        o.exclude_duplicates = exclude_duplicates;
        o.min_votes = min_votes;
        return without_gil([&] { return screen_raters(v.get(), kk, o, ref); });
      },
      py::arg("votes"), py::arg("k") = py::none(), py::arg("min_majority_agreement") = std::nan(""),
      py::arg("min_accuracy") = std::nan(""), py::arg("exclude_single_answer") = true,
      py::arg("single_answer_min_votes") = 10, py::arg("exclude_duplicates") = true, py::arg("min_votes") = 0,
      py::arg("reference") = py::none(),
      "Crowdsourcing exclusion rules in one pass over rater_statistics (a NaN threshold is off): minimum\n"
      "majority agreement or accuracy, one answer throughout, duplicate submissions, too few votes;\n"
      "returns the report and the votes kept.");

  result_class<participant_summary>(m, "ParticipantSummary", "Per-participant figures as papers print them.")
      .field("n", &participant_summary::n, "values that are not NaN")
      .field("mean", &participant_summary::mean)
      .field("sd", &participant_summary::sd, "sample SD (n - 1), NaN for n = 1")
      .field("se", &participant_summary::se, "sd / sqrt(n)")
      .field("min", &participant_summary::min)
      .field("max", &participant_summary::max)
      .done();
  m.def(
      "summarize_participants",
      [](const py::object& values) {
        auto a = double_array("summarize_participants", values, "values");
        if (a.ndim() != 1) fail("summarize_participants", "values must be 1-D");
        std::vector<double> v(a.data(), a.data() + a.size());
        return without_gil([&] { return summarize_participants(v); });
      },
      py::arg("values"),
      "Mean, SD (n - 1 denominator, as numpy std(ddof=1) and R sd()), SE = sd / sqrt(n), min and max of\n"
      "per-participant values, NaN skipped (numpy nanmean / nanstd(ddof=1)).");
}

}  // namespace disfer_py
