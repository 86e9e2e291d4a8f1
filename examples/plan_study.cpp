// Planning a DisFER-like study: for a planned design (sources per emotion, raters per image) and
// expected accuracies,
//  1. the power of McNemar's exact test between two classifiers, by the binomial closed form
//     (unconditional power of the conditional test: the number of discordant items
//     D ~ Bin(n, p10 + p01) and b | D ~ Bin(D, p10 / (p10 + p01))) and by simulation, side by side;
//  2. by simulating whole studies (the calibrated model, with the planned sizes): the power of
//     McNemar between the humans' majority vote and fine-tuned RMN, the expected width of the 95%
//     interval of Fleiss' kappa, and the standard error of the majority vote's accuracy (spread over
//     simulated studies beside the binomial closed form sqrt(p (1 - p) / N), which ignores that the
//     ten versions of a source are correlated).
//
//   plan_study [--sources-per-class N] [--raters N] [--acc-a P] [--acc-b P] [--both-right P]
//              [--alpha A] [--replicates R] [--studies S] [--check]
//
// --check: exit 1 unless, in every scenario of part 1, the closed form and the simulation agree
// within 4 Monte Carlo standard errors, and (at the DisFER size, alpha 0.05) the closed form equals
// SciPy's within 1e-9 (the ctest).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <boost/math/distributions/binomial.hpp>

#include "disfer/simulate.hpp"
#include "support/cli.hpp"

namespace {

// Largest m such that the exact McNemar test rejects at level alpha when min(b, c) = m, given
// b + c = d; -1 when no table with b + c = d rejects.
long long critical_min(long long d, double alpha) {
  long long best = -1;
  for (long long m = 0; 2 * m <= d; ++m) {
    if (disfer::mcnemar(m, d - m, disfer::mcnemar_method::exact).p_value <= alpha)
      best = m;
    else
      break;  // the p-value grows with min(b, c)
  }
  return best;
}

// Power of the exact McNemar test at level alpha with n paired items, P(a right, b wrong) = p10,
// P(a wrong, b right) = p01: sum over d of P(D = d) P(reject | d).
double mcnemar_power_closed_form(long long n, double p10, double p01, double alpha) {
  const double pd = p10 + p01;
  if (pd <= 0) return 0;
  const double pi = p10 / pd;
  const boost::math::binomial_distribution<double> discordant(static_cast<double>(n), pd);
  static std::vector<long long> critical;  // critical_min(d, alpha) for d = 0..n, computed once
  static double critical_alpha = -1;
  if (critical_alpha != alpha || critical.size() < static_cast<std::size_t>(n) + 1) {
    critical.resize(static_cast<std::size_t>(n) + 1);
    for (long long d = 0; d <= n; ++d) critical[static_cast<std::size_t>(d)] = critical_min(d, alpha);
    critical_alpha = alpha;
  }
  double power = 0;
  for (long long d = 1; d <= n; ++d) {
    const double w = boost::math::pdf(discordant, static_cast<double>(d));
    if (w < 1e-300) continue;
    const long long m = critical[static_cast<std::size_t>(d)];
    if (m < 0) continue;
    const boost::math::binomial_distribution<double> b(static_cast<double>(d), pi);
    // reject when b <= m or b >= d - m (the two tails are disjoint since the test is two-sided)
    double r = boost::math::cdf(b, static_cast<double>(m));
    if (d - m > m) r += boost::math::cdf(boost::math::complement(b, static_cast<double>(d - m - 1)));
    power += w * r;
  }
  return power;
}

// Power by simulation: R replicates of n items with outcome probabilities (p11, p10, p01, p00).
double mcnemar_power_simulated(long long n, double p11, double p10, double p01, double alpha, int replicates,
                               std::uint64_t seed) {
  int rejected = 0;
  for (int r = 0; r < replicates; ++r) {
    disfer::random_cursor rng(disfer::stream_key{seed, static_cast<std::uint64_t>(r), disfer::purpose::user});
    long long b = 0, c = 0;
    for (long long i = 0; i < n; ++i) {
      const double u = rng.next_unit();
      if (u >= p11 && u < p11 + p10)
        ++b;
      else if (u >= p11 + p10 && u < p11 + p10 + p01)
        ++c;
    }
    if (disfer::mcnemar(b, c, disfer::mcnemar_method::exact).p_value <= alpha) ++rejected;
  }
  return static_cast<double>(rejected) / replicates;
}

double arg_double(int& i, int argc, char** argv) {
  if (i + 1 >= argc) {
    std::fprintf(stderr, "plan_study: %s needs a value\n", argv[i]);
    std::exit(2);
  }
  return std::atof(argv[++i]);
}

}  // namespace

void print_help() {
  std::printf(
      "plan_study: planning a DisFER-like study. (1) The power of McNemar's exact test between two\n"
      "classifiers, by the binomial closed form and by simulation; (2) from simulated whole studies at the\n"
      "planned size: the power of McNemar between the humans' majority vote and fine-tuned RMN, the\n"
      "expected width of Fleiss' kappa's 95%% interval and the SE of the majority vote's accuracy.\n\n"
      "Reads:   nothing (the calibrated simulation: simulate/defaults.hpp).\n"
      "Writes:  standard output only.\n"
      "Options:\n"
      "  --sources-per-class N   sources per emotion (default 12: 84 sources, 840 stimuli)\n"
      "  --raters N              raters per stimulus (default 50)\n"
      "  --acc-a P, --acc-b P    the two classifiers' accuracies (default 0.63 and 0.52)\n"
      "  --both-right P          P(both right) (default acc-a * acc-b: independent errors)\n"
      "  --alpha A               the test's level (default 0.05)\n"
      "  --replicates R          simulated tests per scenario of part 1 (default 2000, at least 10)\n"
      "  --studies S             simulated whole studies of part 2 (default 40; 0 skips part 2)\n"
      "  --check                 exit 1 unless closed form and simulation agree within 4 Monte Carlo SEs\n"
      "                          and the closed form equals SciPy's within 1e-9 (the ctest)\n"
      "  --help                  this text\n"
      "Example:\n"
      "  plan_study --sources-per-class 20 --raters 30 --acc-a 0.7 --acc-b 0.6\n");
}

int main(int argc, char** argv) {
  if (disfer_examples::wants_help(argc, argv)) return print_help(), 0;
  int sources_per_class = 12, raters = 50, replicates = 2000, studies = 40;
  double acc_a = 0.63, acc_b = 0.52, both_right = -1, alpha = 0.05;
  bool check = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--sources-per-class") {
      sources_per_class = static_cast<int>(arg_double(i, argc, argv));
    } else if (a == "--raters") {
      raters = static_cast<int>(arg_double(i, argc, argv));
    } else if (a == "--acc-a") {
      acc_a = arg_double(i, argc, argv);
    } else if (a == "--acc-b") {
      acc_b = arg_double(i, argc, argv);
    } else if (a == "--both-right") {
      both_right = arg_double(i, argc, argv);
    } else if (a == "--alpha") {
      alpha = arg_double(i, argc, argv);
    } else if (a == "--replicates") {
      replicates = static_cast<int>(arg_double(i, argc, argv));
    } else if (a == "--studies") {
      studies = static_cast<int>(arg_double(i, argc, argv));
    } else if (a == "--check") {
      check = true;
    } else {
      std::fprintf(stderr,
                   "usage: plan_study [--sources-per-class N] [--raters N] [--acc-a P] [--acc-b P] [--both-right P]\n"
                   "                  [--alpha A] [--replicates R] [--studies S] [--check] (--help)\n");
      return 2;
    }
  }
  if (sources_per_class < 1 || raters < 2 || replicates < 10 || studies < 0 || !(alpha > 0 && alpha < 1) ||
      !(acc_a >= 0 && acc_a <= 1) || !(acc_b >= 0 && acc_b <= 1)) {
    std::fprintf(stderr, "plan_study: invalid option value\n");
    return 2;
  }
  if (both_right < 0) both_right = acc_a * acc_b;  // independent errors
  const double p10 = acc_a - both_right, p01 = acc_b - both_right, p00 = 1 - acc_a - acc_b + both_right;
  if (p10 < 0 || p01 < 0 || p00 < 0) {
    std::fprintf(stderr, "plan_study: --both-right %g is impossible with accuracies %g and %g\n", both_right, acc_a,
                 acc_b);
    return 2;
  }
  const long long n_items = 7LL * sources_per_class * 10;

  // ---- 1. McNemar power: closed form vs simulation ----
  std::printf(
      "1. Power of McNemar's exact test (alpha %g), %lld paired items, closed form vs %d simulated replicates\n", alpha,
      n_items, replicates);
  std::printf("%-34s %9s %9s %9s %7s\n", "scenario (p10, p01)", "closed", "simulated", "MC SE", "z");
  struct scenario {
    const char* name;
    double p10, p01;
  };
  const std::vector<scenario> scenarios = {
      {"planned accuracies", p10, p01},
      {"small effect (0.10, 0.08)", 0.10, 0.08},
      {"medium effect (0.12, 0.07)", 0.12, 0.07},
      {"null (0.10, 0.10)", 0.10, 0.10},
  };
  bool agree = true;
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    const auto& sc = scenarios[s];
    const double p11 = s == 0 ? both_right : 0.5;
    const double cf = mcnemar_power_closed_form(n_items, sc.p10, sc.p01, alpha);
    const double sim = mcnemar_power_simulated(n_items, p11, sc.p10, sc.p01, alpha, replicates, 9000 + s);
    const double se = std::sqrt(std::max(cf * (1 - cf), 1e-12) / replicates);
    const double z = (sim - cf) / se;
    if (std::fabs(z) > 4) agree = false;
    // The closed form against SciPy (tests/simulate/reference/mcnemar_power.py) for the fixed
    // scenarios of the DisFER size: 0.25045585639305523, 0.9058408913308271, 0.04165279489108824.
    const double scipy[] = {0, 0.25045585639305523, 0.9058408913308271, 0.04165279489108824};
    if (s > 0 && n_items == 840 && alpha == 0.05 && std::fabs(cf - scipy[s]) > 1e-9) {
      std::printf("closed form %.17g differs from SciPy's %.17g\n", cf, scipy[s]);
      agree = false;
    }
    char label[64];
    std::snprintf(label, sizeof label, "%s (%.3f, %.3f)", s == 0 ? "planned" : sc.name, sc.p10, sc.p01);
    std::printf("%-34s %9.4f %9.4f %9.4f %7.2f\n", s == 0 ? label : sc.name, cf, sim, se, z);
  }

  // ---- 2. Whole planned studies, simulated ----
  if (studies > 0) {
    disfer::simulation_parameters p = disfer::disfer_simulation_parameters();
    p.design.sources_per_class = static_cast<std::size_t>(sources_per_class);
    const std::size_t n_stimuli = static_cast<std::size_t>(n_items);
    std::size_t playlists = std::max<std::size_t>(1, n_stimuli / 40);
    while (n_stimuli % playlists != 0) --playlists;
    p.design.n_playlists = playlists;
    p.design.raters_per_playlist.assign(playlists, static_cast<std::size_t>(raters));
    double power = 0, width = 0, acc = 0, acc2 = 0;
    for (int s = 0; s < studies; ++s) {
      const auto st = disfer::simulate_study(p, static_cast<std::uint64_t>(s));
      const auto su = disfer::summarize_study(st);
      power += su.mcnemar_log10_p[0][3] <= std::log10(alpha);
      width += su.kappa.ci_high - su.kappa.ci_low;
      acc += su.predictors[0].accuracy;
      acc2 += su.predictors[0].accuracy * su.predictors[0].accuracy;
    }
    acc /= studies;
    const double sd = std::sqrt(std::max(0.0, (acc2 - studies * acc * acc) / (studies - 1)));
    std::printf("\n2. %d simulated studies: %d sources per emotion, %zu playlists of %zu, %d raters per image\n",
                studies, sources_per_class, playlists, n_stimuli / playlists, raters);
    std::printf("   power of McNemar humans vs FT RMN:               %.3f (+- %.3f MC SE)\n", power / studies,
                std::sqrt(std::max(power / studies * (1 - power / studies), 1e-12) / studies));
    std::printf("   expected width of kappa's 95%% interval:          %.4f\n", width / studies);
    std::printf("   majority-vote accuracy: mean %.4f, SE over studies %.4f, binomial sqrt(p(1-p)/N) %.4f\n", acc, sd,
                std::sqrt(acc * (1 - acc) / static_cast<double>(n_stimuli)));
  }
  if (check && !agree) {
    std::printf("closed form and simulation disagree beyond 4 Monte Carlo SE\n");
    return 1;
  }
  return 0;
}
