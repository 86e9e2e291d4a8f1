// agreement_report: the agreement table of a crowd study and the paper's P_i counts.
//
//   agreement_report votes.csv                      long form: stimulus,rater,label (emotion names or 0-6)
//   agreement_report --counts table.csv [--id COL] [--columns a,b,c]   a published count table
//   agreement_report --ferplus fer2013new.csv       FER+'s own label file (7 FER-2013 emotions)
//   agreement_report --bad-rows skip --skipped-rows skipped.csv votes.csv   keep the good rows, report the bad
//
// Prints the number of items and ratings, Fleiss' kappa under both margin conventions (with the
// null-SE z test and the non-null SE interval, both SEs shown and named), Randolph's kappa, Gwet's
// AC1, Krippendorff's alpha, per-category kappas, the Landis & Koch label, the counts of items with
// P_i > 0.9, P_i > 0.5 and P_i < 0.3 (Lévêque et al. 2022 report these), and the majority-vote
// ties. For a votes file also the rater screening report (raters who gave one answer throughout or
// voted twice on a stimulus). See --help.
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <disfer/disfer.hpp>

namespace {

const char* const usage_text = R"(Usage: agreement_report [options] VOTES.csv
       agreement_report --counts [options] TABLE.csv
       agreement_report --ferplus FILE [--bad-rows error|skip] [--skipped-rows FILE]

Inter-rater agreement of a crowd study, printed on stdout (nothing is written unless --skipped-rows).

Reads:
  VOTES.csv              votes in long form: columns stimulus,rater,label; labels are emotion names
                         in either vocabulary (angry/anger, happy/happiness, sad/sadness) or FER-2013
                         indices 0-6. A rater voting twice on a stimulus is reported, not an error.
  --counts TABLE.csv     instead, a count table: one row per item, one column per category (e.g. FER+'s
                         fer2013new.csv); no rater identities.
  --ferplus FILE         instead, FER+'s own label file fer2013new.csv as Microsoft distributes it
                         (Usage,Image name,neutral,...,contempt,unknown,NF; docs/io.md): the seven
                         FER-2013 emotions, mapped by name; contempt, unknown and NF votes, rows
                         without an image name (no face) and images without an emotion vote are
                         counted and printed, not used. All splits.
Options:
  --id COLUMN            with --counts: the column naming the items (default: none; rows are numbered).
  --columns a,b,c        with --counts: the category columns, in this order (default: every other column).
  --bad-rows error|skip  a row with a bad field (unknown label, empty field, bad count, ragged row):
                         error (default) stops with a message naming file, line and column; skip leaves
                         the row out, prints each skipped row to stderr and a summary line, and analyses
                         the good rows. Structural errors (missing column, unreadable file) stay errors.
  --skipped-rows FILE    write the skipped rows as CSV (path,line,column,field,reason) to FILE; refused
                         when FILE exists. Written (header only) even when nothing was skipped.
  -h, --help             this text.
Writes to stdout:
  the input's size; Fleiss' kappa under pooled margins (Fleiss 1971, statsmodels) and mean item
  proportions (Gwet, irrCAC) with the columns
    value          the coefficient
    se0(null)      SE under H0: kappa = 0 (Fleiss, Nee & Landis 1979), used for z and the p-value
    z              value / se0(null)
    log10_p        log10 of the two-sided p-value of z (exact even where p underflows)
    se(non-null)   Gwet's linearised SE, used for the interval
    95% CI         value -+ t se(non-null), upper end capped at 1
  (Gwet's AC1 has no null SE: its z column is t = AC1 / se(non-null), N - 1 df); Randolph's kappa,
  Krippendorff's alpha, per-category kappas, the Landis & Koch label, the P_i counts and majority-vote
  ties; for votes also the rater screening. Exit status 0, 1 on an error, 2 on a bad command line.
Example:
  agreement_report --bad-rows skip --skipped-rows skipped.csv votes.csv
)";

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ',')) out.push_back(part);
  return out;
}

// Columns: statistic, value, se0(null), z, log10_p, se(non-null), 95% CI.
const char* const row_format = "%-38s %10s %11s %10s %11s %13s  %s\n";

std::string number(double v, const char* format = "%.6g") {
  if (std::isnan(v)) return "nan";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

void row(const char* name, double value, double se0, double z, double log10_p, double se, double lo, double hi) {
  const std::string ci = "[" + number(lo) + ", " + number(hi) + "]";
  std::printf(row_format, name, number(value).c_str(), std::isnan(se0) ? "-" : number(se0).c_str(), number(z).c_str(),
              number(log10_p, "%.3f").c_str(), number(se).c_str(), ci.c_str());
}

int usage() {
  std::cerr << usage_text;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    bool counts_mode = false, ferplus_mode = false;
    std::string path, id, skipped_path;
    std::vector<std::string> columns;
    disfer::bad_row_policy bad_rows = disfer::bad_row_policy::error;
    for (int a = 1; a < argc; ++a) {
      const std::string arg = argv[a];
      if (arg == "--help" || arg == "-h") {
        std::cout << usage_text;
        return 0;
      } else if (arg == "--bad-rows" && a + 1 < argc)
        bad_rows = disfer::parse_bad_row_policy(argv[++a], "agreement_report --bad-rows");
      else if (arg == "--skipped-rows" && a + 1 < argc)
        skipped_path = argv[++a];
      else if (arg == "--counts")
        counts_mode = true;
      else if (arg == "--ferplus" && a + 1 < argc && path.empty()) {
        ferplus_mode = true;
        path = argv[++a];
      } else if (arg == "--id" && a + 1 < argc)
        id = argv[++a];
      else if (arg == "--columns" && a + 1 < argc)
        columns = split(argv[++a]);
      else if (!arg.empty() && arg[0] != '-' && path.empty())
        path = arg;
      else
        return usage();
    }
    if (path.empty() || (ferplus_mode && (counts_mode || !id.empty() || !columns.empty()))) return usage();
    if (!skipped_path.empty() && std::filesystem::exists(skipped_path))
      throw disfer::error("agreement_report: --skipped-rows '" + skipped_path + "' exists; refusing to replace it");
    std::vector<disfer::skipped_row> skipped;

    disfer::count_matrix counts;
    std::vector<std::string> categories;
    if (ferplus_mode) {
      disfer::ferplus_csv_options o;
      o.bad_rows = bad_rows;
      o.skipped = &skipped;
      auto v = disfer::read_ferplus_csv(path, o);
      counts = std::move(v.counts);
      categories = v.category_names;
      std::printf("FER+ %s: %lld images with an emotion vote x 7 FER-2013 emotions (no rater identities)\n",
                  path.c_str(), static_cast<long long>(counts.rows()));
      std::printf(
          "  not used: %lld contempt, %lld unknown, %lld NF votes; %llu rows without an image name (no face); "
          "%zu images with no emotion vote\n",
          static_cast<long long>(v.other_totals[0]), static_cast<long long>(v.other_totals[1]),
          static_cast<long long>(v.other_totals[2]), static_cast<unsigned long long>(v.no_face_rows),
          v.no_emotion_items.size());
    } else if (counts_mode) {
      disfer::count_table_csv_options o;
      o.id_column = id;
      o.columns = columns;
      o.bad_rows = bad_rows;
      o.skipped = &skipped;
      auto t = disfer::read_count_table_csv(path, o);
      counts = std::move(t.counts);
      categories = t.category_names;
      std::printf("count table %s: %lld items x %lld categories (no rater identities: Dawid-Skene needs votes)\n",
                  path.c_str(), static_cast<long long>(counts.rows()), static_cast<long long>(counts.cols()));
    } else {
      disfer::votes_csv_options o;
      o.allow_duplicates = true;  // reported by the screening below instead of stopping here
      o.bad_rows = bad_rows;
      o.skipped = &skipped;
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

    for (const auto& r : skipped) std::cerr << "agreement_report: skipped row: " << r.reason << '\n';
    if (bad_rows == disfer::bad_row_policy::skip) {
      std::cerr << "agreement_report: " << skipped.size() << " bad row" << (skipped.size() == 1 ? "" : "s")
                << " skipped in " << path << (skipped_path.empty() ? "" : "; listed in " + skipped_path) << '\n';
      std::printf("bad rows skipped: %zu (--bad-rows skip)\n", skipped.size());
    }
    if (!skipped_path.empty()) disfer::write_skipped_rows_csv(skipped_path, skipped);

    const auto pooled = disfer::fleiss_kappa(counts, disfer::kappa_margins::pooled);
    const auto gwet = disfer::fleiss_kappa(counts, disfer::kappa_margins::mean_item_proportions);
    std::printf("items with >= 2 ratings: %zu, with 1: %zu, unrated: %zu; ratings: %lld; equal raters per item: %s\n",
                pooled.n_items, pooled.n_single_rating, pooled.n_unrated, static_cast<long long>(pooled.n_ratings),
                pooled.equal_raters ? "yes" : "no");
    std::printf("\n");
    std::printf(row_format, "statistic", "value", "se0(null)", "z", "log10_p", "se(non-null)", "95% CI");
    row("fleiss_kappa (pooled margins)", pooled.kappa, pooled.se0, pooled.z, pooled.log10_p_value, pooled.se,
        pooled.ci_low, pooled.ci_high);
    row("fleiss_kappa (mean item proportions)", gwet.kappa, gwet.se0, gwet.z, gwet.log10_p_value, gwet.se, gwet.ci_low,
        gwet.ci_high);
    const auto ac1 = disfer::gwet_ac1(counts);
    row("gwet_ac1", ac1.ac1, std::nan(""), ac1.ac1 / ac1.se, ac1.log10_p_value, ac1.se, ac1.ci_low, ac1.ci_high);
    std::printf(
        "  z and log10_p use se0(null) (gwet_ac1: t = AC1 / se(non-null), N - 1 df); the CI uses se(non-null)\n");
    std::printf("  pooled margins: p %.3g (two-sided), P-bar %.5f, P_e %.5f\n", pooled.p_value, pooled.p_bar,
                pooled.p_e);
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
