#pragma once
/// \file
/// The FER+ section of the reproduction: FER+'s real crowd votes (10 per image, Barsoum et al.
/// 2016) on FER-2013's test images, with the statistics the DisFER paper computes on its own crowd
/// (Lévêque et al. 2022): Fleiss' kappa, the P_i counts, majority-vote accuracy and per-class
/// precision/recall against FER-2013's labels, and a network against the crowd majority (McNemar,
/// off-diagonal error correlation; each pair of networks against each other). The networks' labels are an input (the
/// bundled model needs the inference component; reproduce_disfer classifies the images ferplus_section_rows names).
///
/// Items: every image of the chosen splits (default PublicTest and PrivateTest, by FER+'s Usage)
/// that FER+'s count table has (at least one vote for a FER-2013 emotion; contempt, unknown and NF
/// are not emotions of FER-2013 and are reported, not used) and that fer2013.csv has. Usage must
/// agree between the files.
///
/// Rules, stated in the section's note:
///   - kappa: unequal raters per item (n_i = the image's emotion votes, 0-10); an image with a single
///     emotion vote has no P_i, but its vote counts in the margins p_j and in the SE's item count
///     (fleiss_options::single_ratings_in_margins, irrCAC's rule); both margin conventions (pooled
///     p_j, Fleiss; mean of per-item proportions, Gwet).
///   - P_i counts over the items with n_i >= 2.
///   - majority vote with tie_policy::abstain: an image whose largest count is shared has no crowd
///     label and is left out of the accuracy, precision/recall, McNemar and correlation (counted).

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "disfer/agreement/fleiss_kappa.hpp"
#include "disfer/agreement/item_agreement.hpp"
#include "disfer/compare/error_correlation.hpp"
#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/crowd/majority_vote.hpp"
#include "disfer/hypothesis/mcnemar.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/io/fer2013.hpp"
#include "disfer/io/ferplus.hpp"
#include "disfer/metrics/confusion_matrix.hpp"
#include "disfer/metrics/precision_recall.hpp"
#include "disfer/report/json.hpp"
#include "disfer/report/paper.hpp"
#include "disfer/report/table.hpp"

namespace disfer {

/// FER-2013's label and usage per data row (index = 0-based row); label -1 for a row the reader
/// skipped (bad_row_policy::skip).
struct fer2013_labels {
  std::vector<std::int8_t> label;
  std::vector<fer2013_usage> usage;
};

/// Reads the labels and usages of every row of fer2013.csv (pixels are validated, then dropped).
/// Throws disfer::error as fer2013_reader (function `read_fer2013_labels` unless options name one).
inline fer2013_labels read_fer2013_labels(const std::string& path, fer2013_options options = {}) {
  if (!options.function) options.function = "read_fer2013_labels";
  fer2013_reader reader(path, options);
  fer2013_labels out;
  while (reader.next()) {
    const auto& r = reader.record();
    if (r.row >= out.label.size()) {
      out.label.resize(r.row + 1, -1);
      out.usage.resize(r.row + 1, fer2013_usage::training);
    }
    out.label[r.row] = static_cast<std::int8_t>(index_of(r.label));
    out.usage[r.row] = r.usage;
  }
  return out;
}

/// Options of compute_ferplus_section.
struct ferplus_section_options {
  std::vector<fer2013_usage> splits = {fer2013_usage::public_test, fer2013_usage::private_test};
  mcnemar_method mcnemar = mcnemar_method::exact;
  normalization correlation_normalization = normalization::row;  ///< as compute_reproduction
  double level = 0.95;
};

/// One network's labels for compute_ferplus_section: per item (the rows of ferplus_section_rows, in
/// that order), 0-6 in FER-2013 order.
struct ferplus_network_labels {
  /// Prefix of the network's value keys ("<key>/network_accuracy") and its ferplus_items.csv column
  /// ("network/<key>"); empty for a single network: unprefixed keys and the column "network".
  std::string key;
  std::string name;  ///< shown in the note, e.g. "FER-2013 Xception (bundled)"
  std::vector<std::int64_t> labels;
};

/// A network against the crowd majority, on the untied items.
struct ferplus_network {
  std::string key, name;
  std::vector<std::int64_t> labels;      ///< per item
  confusion_counts confusion;            ///< FER-2013 label x network, the untied items
  proportion_interval accuracy;          ///< Wilson interval
  mcnemar_result mcnemar;                ///< a = crowd majority, b = the network, vs FER-2013's labels
  correlation_result error_correlation;  ///< off_diagonal_correlation(crowd_confusion, confusion)
};

/// Two networks against each other (networks[a] before networks[b]), on the same untied items.
struct ferplus_network_pair {
  std::size_t a = 0, b = 0;
  mcnemar_result mcnemar;                ///< a right and b wrong = b of the test
  correlation_result error_correlation;  ///< off_diagonal_correlation(networks[a], networks[b])
};

/// The FER+ section (see the file comment for items and rules).
struct ferplus_section {
  std::vector<std::uint64_t> rows;            ///< FER-2013 rows of the items, in FER+ file order
  std::vector<std::size_t> items;             ///< their rows in ferplus_votes::counts
  std::uint64_t not_in_fer2013 = 0;           ///< split images of FER+'s table whose row fer2013.csv lacks
  std::uint64_t no_emotion_images = 0;        ///< split images of FER+ with no emotion vote (kept out)
  std::uint64_t no_face_rows = 0;             ///< rows of the FER+ file with an empty image name (whole file)
  std::int64_t emotion_votes = 0;             ///< over the items
  std::array<std::int64_t, 3> other_votes{};  ///< contempt, unknown, NF over the items
  std::uint64_t single_vote_items = 0;        ///< items with n_i = 1 (no P_i)
  fleiss_kappa_result kappa_pooled, kappa_mean_item_proportions;
  item_agreement_summary p_i;
  std::vector<std::int64_t> majority;  ///< per item: the crowd's label, -1 when tied (abstain)
  std::uint64_t tied = 0;              ///< items with a tied majority
  std::vector<std::int64_t> truth;     ///< per item: FER-2013's label
  confusion_counts crowd_confusion;    ///< FER-2013 label x crowd majority, untied items
  proportion_interval crowd_accuracy;  ///< over the untied items (Wilson interval)
  precision_recall_result crowd_metrics;
  std::vector<ferplus_network> networks;            ///< in the caller's order (empty: none)
  std::vector<ferplus_network_pair> network_pairs;  ///< every pair a < b
  ferplus_section_options options;
};

/// The FER-2013 rows of the section's items, in FER+ file order (the images a caller classifies
/// for compute_ferplus_section's `network`). Throws disfer::error (function
/// `ferplus_section_rows`) when an item's Usage differs between the files. O(items).
inline std::vector<std::uint64_t> ferplus_section_rows(const ferplus_votes& votes, const fer2013_labels& fer2013,
                                                       const ferplus_section_options& options = {}) {
  std::vector<std::uint64_t> rows;
  for (std::size_t i = 0; i < votes.fer2013_row.size(); ++i) {
    bool wanted = false;
    for (auto u : options.splits) wanted = wanted || u == votes.usage[i];
    const std::uint64_t r = votes.fer2013_row[i];
    if (!wanted || r >= fer2013.label.size() || fer2013.label[r] < 0) continue;
    if (fer2013.usage[r] != votes.usage[i])
      detail::fail("ferplus_section_rows", "FER-2013 row ", r, " is ", name(fer2013.usage[r]), " in fer2013.csv but ",
                   name(votes.usage[i]), " in the FER+ file (line ", votes.line[i],
                   "): are the two files of the same release?");
    rows.push_back(r);
  }
  return rows;
}

/// Computes the section with any number of networks (none: the crowd alone). Each network's
/// labels are for the rows of ferplus_section_rows(votes, fer2013, options), in that order. Throws
/// disfer::error (function `compute_ferplus_section`) when no item is left, when a network's labels
/// have another length or a label outside 0-6, when two networks share a key or more than one has
/// an empty key, and as ferplus_section_rows. O(items x networks^2).
inline ferplus_section compute_ferplus_section(const ferplus_votes& votes, const fer2013_labels& fer2013,
                                               const std::vector<ferplus_network_labels>& networks,
                                               const ferplus_section_options& options = {}) {
  constexpr const char* fn = "compute_ferplus_section";
  ferplus_section s;
  s.options = options;
  s.no_face_rows = votes.no_face_rows;
  const auto in_splits = [&](fer2013_usage u) {
    for (auto w : options.splits)
      if (w == u) return true;
    return false;
  };
  s.rows = ferplus_section_rows(votes, fer2013, options);
  for (std::size_t i = 0; i < votes.fer2013_row.size(); ++i) {
    if (!in_splits(votes.usage[i])) continue;
    const std::uint64_t r = votes.fer2013_row[i];
    if (r >= fer2013.label.size() || fer2013.label[r] < 0) {
      ++s.not_in_fer2013;
      continue;
    }
    s.items.push_back(i);
  }
  for (const auto& v : votes.no_emotion_items) s.no_emotion_images += in_splits(v.usage) ? 1 : 0;
  if (s.items.empty()) detail::fail(fn, "no FER+ image of the chosen splits is in fer2013.csv");
  const std::size_t k = emotion_count;
  const auto n = static_cast<Eigen::Index>(s.items.size());
  count_matrix counts(n, static_cast<Eigen::Index>(k));
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto src = static_cast<Eigen::Index>(s.items[static_cast<std::size_t>(i)]);
    counts.row(i) = votes.counts.row(src);
    for (Eigen::Index j = 0; j < 3; ++j) s.other_votes[static_cast<std::size_t>(j)] += votes.other(src, j);
    const std::int64_t ni = counts.row(i).sum();
    s.emotion_votes += ni;
    if (ni == 1) ++s.single_vote_items;
    s.truth.push_back(fer2013.label[s.rows[static_cast<std::size_t>(i)]]);
  }
  fleiss_options fo;
  fo.margins = kappa_margins::pooled;
  fo.confidence = options.level;
  s.kappa_pooled = fleiss_kappa(counts, fo);
  fo.margins = kappa_margins::mean_item_proportions;
  s.kappa_mean_item_proportions = fleiss_kappa(counts, fo);
  s.p_i = summarize_item_agreement(item_agreement(counts));

  s.majority = majority_vote(counts, tie_policy::abstain).labels;
  for (std::size_t q = 0; q < networks.size(); ++q) {
    const auto& net = networks[q];
    if (net.labels.size() != s.items.size())
      detail::fail(fn, "network '", net.name, "' has ", net.labels.size(), " labels for ", s.items.size(), " items");
    for (std::size_t i = 0; i < net.labels.size(); ++i)
      if (net.labels[i] < 0 || net.labels[i] >= static_cast<std::int64_t>(k))
        detail::fail(fn, "network '", net.name, "': label ", net.labels[i], " of item ", i, " (FER-2013 row ",
                     s.rows[i], ") is outside 0-", k - 1);
    for (std::size_t p = 0; p < q; ++p)
      if (networks[p].key == net.key)
        detail::fail(fn, "networks '", networks[p].name, "' and '", net.name, "' share the key '", net.key,
                     "' (their values would collide; give each a key)");
    s.networks.push_back({net.key, net.name, net.labels, {}, {}, {}, {}});
  }
  std::vector<std::size_t> untied;
  std::vector<std::int64_t> t, m;
  for (std::size_t i = 0; i < s.majority.size(); ++i) {
    if (s.majority[i] < 0) {
      ++s.tied;
      continue;
    }
    untied.push_back(i);
    t.push_back(s.truth[i]);
    m.push_back(s.majority[i]);
  }
  if (t.empty()) detail::fail(fn, "every item has a tied majority; nothing to compare with FER-2013's labels");
  s.crowd_confusion = confusion_matrix(t, m, k);
  s.crowd_accuracy = accuracy_interval(s.crowd_confusion, options.level);
  s.crowd_metrics = precision_recall(s.crowd_confusion, zero_division::nan);
  std::vector<std::vector<std::int64_t>> w(s.networks.size());
  for (std::size_t q = 0; q < s.networks.size(); ++q) {
    auto& net = s.networks[q];
    for (auto i : untied) w[q].push_back(net.labels[i]);
    net.confusion = confusion_matrix(t, w[q], k);
    net.accuracy = accuracy_interval(net.confusion, options.level);
    net.mcnemar = mcnemar(t, m, w[q], options.mcnemar);
    net.error_correlation =
        off_diagonal_correlation(s.crowd_confusion, net.confusion, options.correlation_normalization, options.level);
  }
  for (std::size_t a = 0; a < s.networks.size(); ++a)
    for (std::size_t b2 = a + 1; b2 < s.networks.size(); ++b2)
      s.network_pairs.push_back({a, b2, mcnemar(t, w[a], w[b2], options.mcnemar),
                                 off_diagonal_correlation(s.networks[a].confusion, s.networks[b2].confusion,
                                                          options.correlation_normalization, options.level)});
  return s;
}

/// The section with at most one network: `network` (empty: none) named `network_name`, its values
/// unprefixed. Throws as the general form.
inline ferplus_section compute_ferplus_section(const ferplus_votes& votes, const fer2013_labels& fer2013,
                                               const std::vector<std::int64_t>& network = {},
                                               const std::string& network_name = "network",
                                               const ferplus_section_options& options = {}) {
  std::vector<ferplus_network_labels> nets;
  if (!network.empty()) nets.push_back({std::string(), network_name, network});
  return compute_ferplus_section(votes, fer2013, nets, options);
}

/// One number of the section: key (stable, as in the CSV and the reference script), value, the
/// paper's figure (NaN when the paper has none) and which figure it is.
struct ferplus_section_value {
  std::string key;
  double value = std::nan("");
  double paper = std::nan("");
  std::string paper_figure;  ///< e.g. "kappa (5; DisFER's crowd, 840 stimuli)"
  int decimals = 3;
};

/// The section's numbers, in print order.
inline std::vector<ferplus_section_value> ferplus_section_values(const ferplus_section& s) {
  std::vector<ferplus_section_value> v;
  const auto add = [&](std::string key, double value, const std::string& paper_key = {}, std::string figure = {},
                       int decimals = 3, double scale = 1) {
    const double p = paper_key.empty() ? std::nan("") : published(paper_key) * scale;
    v.push_back({std::move(key), value, p, std::move(figure), decimals});
  };
  const auto d = [](auto x) { return static_cast<double>(x); };
  add("items", d(s.items.size()), {}, {}, 0);
  add("emotion_votes", d(s.emotion_votes), {}, {}, 0);
  add("contempt_votes", d(s.other_votes[0]), {}, {}, 0);
  add("unknown_votes", d(s.other_votes[1]), {}, {}, 0);
  add("nf_votes", d(s.other_votes[2]), {}, {}, 0);
  add("no_emotion_images", d(s.no_emotion_images), {}, {}, 0);
  add("not_in_fer2013", d(s.not_in_fer2013), {}, {}, 0);
  add("no_face_rows", d(s.no_face_rows), {}, {}, 0);
  add("single_vote_items", d(s.single_vote_items), {}, {}, 0);
  const std::string kfig = "kappa, 840 stimuli of DisFER's crowd (5)";
  add("kappa_pooled", s.kappa_pooled.kappa, "kappa", kfig);
  add("kappa_pooled_se", s.kappa_pooled.se);
  add("kappa_mean_item_proportions", s.kappa_mean_item_proportions.kappa, "kappa", kfig);
  add("kappa_mean_item_proportions_se", s.kappa_mean_item_proportions.se);
  add("p_i_items", d(s.p_i.items - s.p_i.undefined), {}, {}, 0);
  add("p_i_above_0.9", d(s.p_i.above_0_9), "p_i_above_0.9", "of 840 stimuli (5)", 0);
  add("p_i_above_0.5", d(s.p_i.above_0_5), "p_i_above_0.5", "of 840 stimuli (5)", 0);
  add("p_i_below_0.3", d(s.p_i.below_0_3), "p_i_below_0.3", "of 840 stimuli (5)", 0);
  const double defined = d(s.p_i.items - s.p_i.undefined);
  add("p_i_above_0.9_fraction", d(s.p_i.above_0_9) / defined, "p_i_above_0.9", "81/840 (5)", 3, 1.0 / 840);
  add("p_i_above_0.5_fraction", d(s.p_i.above_0_5) / defined, "p_i_above_0.5", "513/840 (5)", 3, 1.0 / 840);
  add("p_i_below_0.3_fraction", d(s.p_i.below_0_3) / defined, "p_i_below_0.3", "88/840 (5)", 3, 1.0 / 840);
  add("p_i_mean", s.p_i.mean);
  add("tied_majority", d(s.tied), {}, {}, 0);
  add("majority_items", d(s.crowd_accuracy.trials), {}, {}, 0);
  add("majority_correct", d(s.crowd_accuracy.successes), {}, {}, 0);
  add("majority_accuracy", s.crowd_accuracy.estimate, "accuracy/humans", "humans, 840 stimuli incl. distorted (4.1)");
  for (std::size_t c = 0; c < emotion_count; ++c) {
    const std::string cls(name(fer2013_order[c]));
    const auto& m = s.crowd_metrics.per_class[c];
    const bool pp = !std::isnan(published("precision/" + cls)), pr = !std::isnan(published("recall/" + cls));
    add("precision/" + cls, m.precision, pp ? "precision/" + cls : std::string(), pp ? "humans, Figure 3" : "");
    add("recall/" + cls, m.recall, pr ? "recall/" + cls : std::string(), pr ? "humans, Figure 3" : "");
  }
  add("precision_macro", s.crowd_metrics.macro.precision);
  add("recall_macro", s.crowd_metrics.macro.recall);
  for (const auto& net : s.networks) {
    const std::string p = net.key.empty() ? std::string() : net.key + "/";
    add(p + "network_correct", d(net.accuracy.successes), {}, {}, 0);
    add(p + "network_accuracy", net.accuracy.estimate);
    add(p + "mcnemar_b", d(net.mcnemar.b), {}, {}, 0);
    add(p + "mcnemar_c", d(net.mcnemar.c), {}, {}, 0);
    add(p + "mcnemar_log10_p", net.mcnemar.log10_p_value, "mcnemar_log10_p/humans/RMN", "humans vs RMN (4.1)", 2);
    add(p + "error_correlation_r", net.error_correlation.r, "offdiag_r_mean/RMN",
        "humans vs RMN, mean (4.3, Figure 4)");
    add(p + "error_correlation_p", net.error_correlation.p_value);
  }
  for (const auto& pr : s.network_pairs) {
    const std::string p = s.networks[pr.a].key + "_vs_" + s.networks[pr.b].key + "/";
    add(p + "mcnemar_b", d(pr.mcnemar.b), {}, {}, 0);
    add(p + "mcnemar_c", d(pr.mcnemar.c), {}, {}, 0);
    add(p + "mcnemar_log10_p", pr.mcnemar.log10_p_value, "mcnemar_log10_p/FT RMN/FT DeepFace",
        "FT RMN vs FT DeepFace (4.1)", 2);
    add(p + "error_correlation_r", pr.error_correlation.r);
    add(p + "error_correlation_p", pr.error_correlation.p_value);
  }
  return v;
}

namespace detail {
inline std::string mcnemar_method_name(mcnemar_method m) {
  switch (m) {
    case mcnemar_method::exact:
      return "exact";
    case mcnemar_method::mid_p:
      return "mid-p";
    case mcnemar_method::chi_square:
      return "chi-square";
    case mcnemar_method::chi_square_corrected:
      return "chi-square corrected";
  }
  return "?";
}
}  // namespace detail

namespace detail {
inline std::string ferplus_networks_note(const ferplus_section& s) {
  if (s.networks.empty()) return "No network. ";
  std::string names;
  for (const auto& net : s.networks)
    names += (names.empty() ? "" : "; ") + net.name + (net.key.empty() ? std::string() : " (" + net.key + "/)");
  return std::string(s.networks.size() == 1 ? "Network: " : "Networks: ") + names + ". McNemar " +
         mcnemar_method_name(s.options.mcnemar) +
         " (b = crowd right, network wrong; for a pair a_vs_b, a right and b wrong); error correlation over the "
         "off-diagonal cells, " +
         std::string(s.options.correlation_normalization == normalization::row ? "row" : "other") + "-normalised. ";
}
}  // namespace detail

/// The rules the numbers follow (the section's note).
inline std::string ferplus_section_note(const ferplus_section& s) {
  std::string splits;
  for (auto u : s.options.splits) splits += (splits.empty() ? "" : ", ") + std::string(name(u));
  return "FER+ crowd votes (Barsoum et al. 2016; 10 per image) on the " + splits +
         " images of FER+ that fer2013.csv has. Emotions: the 7 of FER-2013; contempt, unknown and NF votes are "
         "counted above, not used; images with no emotion vote are left out (no_emotion_images). Kappa with "
         "unequal raters (n_i = emotion votes); an image with a single emotion vote has no P_i but its vote counts "
         "in the margins p_j (irrCAC's rule); pooled = Fleiss' margins, mean_item_proportions = Gwet's. P_i counts "
         "over items with n_i >= 2. Majority vote: ties abstain (tied_majority items left out of accuracy, "
         "precision/recall, McNemar and error correlation). " +
         detail::ferplus_networks_note(s) +
         "The paper's figures are for its own crowd and models (a different item set): read them as context.";
}

/// The section as a terminal table: quantity, ours, paper (and which figure).
inline text_table ferplus_section_table(const ferplus_section& s) {
  text_table t;
  t.title = "FER+ (real crowd votes on FER-2013's test images)";
  t.header = {"quantity", "ours", "paper", "paper's figure"};
  for (const auto& v : ferplus_section_values(s))
    t.rows.push_back({v.key, fixed(v.value, v.decimals), std::isnan(v.paper) ? "-" : fixed(v.paper, v.decimals),
                      v.paper_figure.empty() ? "-" : v.paper_figure});
  t.note = ferplus_section_note(s);
  return t;
}

/// The section as CSV: `quantity,value,paper,paper_figure` (numbers in shortest round-trip form,
/// NaN empty).
inline void write_ferplus_section_csv(std::ostream& out, const ferplus_section& s) {
  const auto num = [](double x) { return std::isnan(x) ? std::string() : json_number(x); };
  write_csv_row(out, {"quantity", "value", "paper", "paper_figure"});
  for (const auto& v : ferplus_section_values(s))
    write_csv_row(out, {v.key, num(v.value), num(v.paper), v.paper_figure});
}

/// Per item: `fer2013_row,usage,label,<7 emotion counts>,contempt,unknown,NF,majority` and one
/// column per network (`network` for an unkeyed one, else `network/<key>`; none without networks),
/// majority empty when tied, in FER+ file order.
inline void write_ferplus_items_csv(std::ostream& out, const ferplus_votes& votes, const ferplus_section& s) {
  std::vector<std::string> head = {"fer2013_row", "usage", "label"};
  for (auto e : fer2013_order) head.emplace_back(name(e));
  for (auto o : ferplus_other_names) head.emplace_back(o);
  head.emplace_back("majority");
  for (const auto& net : s.networks) head.push_back(net.key.empty() ? std::string("network") : "network/" + net.key);
  write_csv_row(out, head);
  for (std::size_t i = 0; i < s.items.size(); ++i) {
    const auto src = static_cast<Eigen::Index>(s.items[i]);
    std::vector<std::string> row = {std::to_string(s.rows[i]), std::string(name(votes.usage[s.items[i]])),
                                    std::string(name(fer2013_order[static_cast<std::size_t>(s.truth[i])]))};
    for (Eigen::Index j = 0; j < votes.counts.cols(); ++j) row.push_back(std::to_string(votes.counts(src, j)));
    for (Eigen::Index j = 0; j < 3; ++j) row.push_back(std::to_string(votes.other(src, j)));
    row.push_back(s.majority[i] < 0 ? std::string()
                                    : std::string(name(fer2013_order[static_cast<std::size_t>(s.majority[i])])));
    for (const auto& net : s.networks) row.emplace_back(name(fer2013_order[static_cast<std::size_t>(net.labels[i])]));
    write_csv_row(out, row);
  }
}

/// The section as a JSON object (for reproduction.json): {note, values: {key: {value, paper,
/// paper_figure}}, crowd_confusion, networks: [{key, name, confusion}]}.
inline void write_ferplus_section_json(json_writer& j, const ferplus_section& s) {
  j.begin_object();
  j.key("note").value(ferplus_section_note(s));
  j.key("values").begin_object();
  for (const auto& v : ferplus_section_values(s)) {
    j.key(v.key).begin_object().key("value").value(v.value).key("paper").value(v.paper);
    j.key("paper_figure").value(v.paper_figure).end_object();
  }
  j.end_object();
  const auto matrix = [&](const char* key, const confusion_counts& cm) {
    j.key(key).begin_array();
    for (Eigen::Index i = 0; i < cm.rows(); ++i) {
      std::vector<double> row;
      for (Eigen::Index c = 0; c < cm.cols(); ++c) row.push_back(static_cast<double>(cm(i, c)));
      j.value(row);
    }
    j.end_array();
  };
  matrix("crowd_confusion", s.crowd_confusion);
  j.key("networks").begin_array();
  for (const auto& net : s.networks) {
    j.begin_object().key("key").value(net.key).key("name").value(net.name);
    matrix("confusion", net.confusion);
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

}  // namespace disfer
