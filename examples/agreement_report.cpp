// agreement_report: the agreement table of a crowd study and the paper's P_i counts.
//
//   agreement_report votes.csv                      long form: stimulus,rater,label (emotion names or 0-6)
//   agreement_report --counts table.csv [--id COL] [--columns a,b,c]   a published count table (e.g. FER+)
//
// Prints the number of items and ratings, Fleiss' kappa under both margin conventions (with the
// null-SE z test and the non-null SE interval), Randolph's kappa, Gwet's AC1, Krippendorff's alpha,
// per-category kappas, the Landis & Koch label, the counts of items with P_i > 0.9, P_i > 0.5 and
// P_i < 0.3 (Lévêque et al. 2022 report these), and the majority-vote ties. For a votes file also
// the rater screening report (raters who gave one answer throughout or voted twice on a stimulus).
#include <cstdio>
#include <exception>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <disfer/disfer.hpp>

namespace {

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ',')) out.push_back(part);
  return out;
}

void row(const char* name, double value, double se, double lo, double hi, double log10_p) {
  std::printf("%-40s %9.5f %9.5f  [%8.5f, %8.5f]  %10.3f\n", name, value, se, lo, hi, log10_p);
}

int usage() {
  std::cerr << "usage: agreement_report VOTES.csv\n"
               "       agreement_report --counts TABLE.csv [--id COLUMN] [--columns a,b,c]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    bool counts_mode = false;
    std::string path, id;
    std::vector<std::string> columns;
    for (int a = 1; a < argc; ++a) {
      const std::string arg = argv[a];
      if (arg == "--counts")
        counts_mode = true;
      else if (arg == "--id" && a + 1 < argc)
        id = argv[++a];
      else if (arg == "--columns" && a + 1 < argc)
        columns = split(argv[++a]);
      else if (!arg.empty() && arg[0] != '-' && path.empty())
        path = arg;
      else
        return usage();
    }
    if (path.empty()) return usage();

    disfer::count_matrix counts;
    std::vector<std::string> categories;
    if (counts_mode) {
      disfer::count_table_csv_options o;
      o.id_column = id;
      o.columns = columns;
      auto t = disfer::read_count_table_csv(path, o);
      counts = std::move(t.counts);
      categories = t.category_names;
      std::printf("count table %s: %lld items x %lld categories (no rater identities: Dawid-Skene needs votes)\n",
                  path.c_str(), static_cast<long long>(counts.rows()), static_cast<long long>(counts.cols()));
    } else {
      disfer::votes_csv_options o;
      o.allow_duplicates = true;  // reported by the screening below instead of stopping here
      const auto votes = disfer::read_votes_csv(path, o);
      categories = votes.category_names;
      counts = disfer::vote_counts(votes, categories.size());
      std::printf("votes %s: %zu votes, %zu stimuli, %zu raters\n", path.c_str(), votes.size(), votes.n_items,
                  votes.n_raters);
      disfer::rater_screening_options so;
      const auto screening = disfer::screen_raters(votes, categories.size(), so);
      std::printf("rater screening: %zu excluded\n", screening.exclusions.size());
      for (const auto& e : screening.exclusions) std::printf("  %s: %s\n", e.name.c_str(), e.reason.c_str());
      std::vector<double> agreement;
      for (const auto& s : screening.stats) agreement.push_back(s.majority_agreement);
      const auto ps = disfer::summarize_participants(agreement);
      std::printf("per-rater agreement with the others' majority: mean %.4f, SD %.4f, SE %.4f, min %.4f, max %.4f\n",
                  ps.mean, ps.sd, ps.se, ps.min, ps.max);
    }

    const auto pooled = disfer::fleiss_kappa(counts, disfer::kappa_margins::pooled);
    const auto gwet = disfer::fleiss_kappa(counts, disfer::kappa_margins::mean_item_proportions);
    std::printf("items with >= 2 ratings: %zu, with 1: %zu, unrated: %zu; ratings: %lld; equal raters per item: %s\n",
                pooled.n_items, pooled.n_single_rating, pooled.n_unrated, static_cast<long long>(pooled.n_ratings),
                pooled.equal_raters ? "yes" : "no");
    std::printf("\n%-40s %9s %9s  %-22s  %10s\n", "statistic", "value", "SE", "95% CI", "log10 p");
    row("fleiss_kappa (pooled margins)", pooled.kappa, pooled.se, pooled.ci_low, pooled.ci_high, pooled.log10_p_value);
    row("fleiss_kappa (mean item proportions)", gwet.kappa, gwet.se, gwet.ci_low, gwet.ci_high, gwet.log10_p_value);
    std::printf("  null SE %.6f, z %.3f, p %.3g (two-sided; P-bar %.5f, P_e %.5f)\n", pooled.se0, pooled.z,
                pooled.p_value, pooled.p_bar, pooled.p_e);
    const auto ac1 = disfer::gwet_ac1(counts);
    row("gwet_ac1", ac1.ac1, ac1.se, ac1.ci_low, ac1.ci_high, ac1.log10_p_value);
    std::printf("%-40s %9.5f\n", "randolph_kappa (k = table columns)", disfer::randolph_kappa(counts));
    std::printf("%-40s %9.5f\n", "krippendorff_alpha (nominal)", disfer::krippendorff_alpha(counts).alpha);
    std::printf("Landis & Koch label of Fleiss' kappa: %s\n", std::string(disfer::landis_koch(pooled.kappa)).c_str());

    const auto ck = disfer::category_kappas(counts);
    std::printf("\nper-category kappa (null SE %.5f):\n", ck.se0);
    for (Eigen::Index j = 0; j < ck.kappa.size(); ++j)
      std::printf("  %-12s %9.5f  (p_j %.4f)\n", categories[static_cast<std::size_t>(j)].c_str(), ck.kappa[j],
                  ck.p_j[j]);

    const auto s = disfer::summarize_item_agreement(disfer::item_agreement(counts));
    const double n = static_cast<double>(s.items - s.undefined);
    std::printf(
        "\nP_i: mean %.4f; P_i > 0.9: %zu (%.1f%%); P_i > 0.5: %zu (%.1f%%); P_i < 0.3: %zu (%.1f%%); undefined: %zu\n",
        s.mean, s.above_0_9, 100 * s.above_0_9 / n, s.above_0_5, 100 * s.above_0_5 / n, s.below_0_3,
        100 * s.below_0_3 / n, s.undefined);
    const auto mv = disfer::majority_vote(counts, disfer::tie_policy::all_tied);
    std::printf("majority vote: %zu ties (reported, not broken), %zu items without votes\n", mv.n_ties, mv.n_no_vote);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << e.what() << '\n';
    return 1;
  }
}
