// The simulation's variates against their distributions: Kolmogorov-Smirnov distance to the CDF
// computed by Boost.Math (gamma_p, ibeta, erfc: independent reference implementations), and the
// Dirichlet's moments from its definition (E X_j = a_j / a0, Var X_j = a_j (a0 - a_j) / (a0^2 (a0 + 1))).
#include <algorithm>
#include <utility>
#include <cmath>
#include <vector>

#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <catch2/catch.hpp>

#include "disfer/simulate/distributions.hpp"
#include "test_support.hpp"

namespace {

// sup |F_n - F| of the sample against the CDF F.
template <class Cdf>
double ks_distance(std::vector<double> x, Cdf cdf) {
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  double d = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double f = cdf(x[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return d;
}

// The KS critical value at level 0.001: sqrt(-ln(0.0005) / 2) / sqrt(n) (asymptotic).
double ks_critical(std::size_t n) {
  return 1.9495 / std::sqrt(static_cast<double>(n));
}

}  // namespace

TEST_CASE("standard_normal follows N(0, 1)", "[simulate][distributions]") {
  disfer::random_cursor rng(disfer::stream_key{11, 0, disfer::purpose::simulation});
  std::vector<double> x(20000);
  for (double& v : x) v = disfer::detail::standard_normal(rng);
  CHECK(ks_distance(x, [](double z) { return 0.5 * boost::math::erfc(-z / std::sqrt(2.0)); }) < ks_critical(x.size()));
}

TEST_CASE("gamma_variate follows Gamma(shape, 1) for shapes below and above 1", "[simulate][distributions]") {
  for (double shape : {0.05, 0.3, 1.0, 2.5, 40.0}) {
    disfer::random_cursor rng(
        disfer::stream_key{12, static_cast<std::uint64_t>(shape * 100), disfer::purpose::simulation});
    std::vector<double> x(20000);
    for (double& v : x) v = disfer::detail::gamma_variate(rng, shape);
    INFO("shape " << shape);
    // scipy.stats.gamma(shape).cdf == boost gamma_p(shape, x)
    CHECK(ks_distance(x, [shape](double v) { return v <= 0 ? 0.0 : boost::math::gamma_p(shape, v); }) <
          ks_critical(x.size()));
  }
  disfer::random_cursor rng(disfer::stream_key{1, 2, 3});
  CHECK(disfer::detail::gamma_variate(rng, 0.0) == 0.0);
  CHECK_THROWS_AS(disfer::detail::gamma_variate(rng, -1.0), disfer::error);
}

TEST_CASE("beta_variate follows Beta(a, b)", "[simulate][distributions]") {
  for (const auto& ab : {std::pair<double, double>{2.0, 0.5}, {0.3, 0.7}, {5.0, 5.0}}) {
    const double a = ab.first, b = ab.second;
    disfer::random_cursor rng(
        disfer::stream_key{13, static_cast<std::uint64_t>(a * 10 + b), disfer::purpose::simulation});
    std::vector<double> x(20000);
    for (double& v : x) v = disfer::detail::beta_variate(rng, a, b);
    INFO("a " << a << ", b " << b);
    // scipy.stats.beta(a, b).cdf == boost ibeta(a, b, x)
    CHECK(ks_distance(x, [&](double v) { return boost::math::ibeta(a, b, std::min(1.0, std::max(0.0, v))); }) <
          ks_critical(x.size()));
  }
  // The shape of a source's clarity, Beta(2.92, 0.08): about 4% of its mass lies within 1e-16 of 1,
  // where doubles tie at 1.0 and a KS test no longer applies; its mean a / (a + b) and variance
  // ab / ((a + b)^2 (a + b + 1)) are checked instead.
  const double a = 2.92, b = 0.08, mean = a / (a + b), var = a * b / ((a + b) * (a + b) * (a + b + 1));
  disfer::random_cursor rng(disfer::stream_key{13, 99, disfer::purpose::simulation});
  const int n = 40000;
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double v = disfer::detail::beta_variate(rng, a, b);
    REQUIRE(v >= 0.0);
    REQUIRE(v <= 1.0);
    s += v;
    s2 += v * v;
  }
  CHECK(std::fabs(s / n - mean) < 5 * std::sqrt(var / n));
  CHECK((s2 / n - (s / n) * (s / n)) == Approx(var).epsilon(0.05));
}

TEST_CASE("dirichlet_variate has the Dirichlet's mean and variance", "[simulate][distributions]") {
  const std::vector<double> alpha = {0.1, 0.5, 1.5, 3.0};
  const double a0 = 5.1;
  disfer::random_cursor rng(disfer::stream_key{14, 0, disfer::purpose::simulation});
  const int n = 40000;
  std::vector<double> sum(4, 0), sum2(4, 0);
  for (int i = 0; i < n; ++i) {
    const auto x = disfer::detail::dirichlet_variate(rng, alpha);
    double total = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      sum[j] += x[j];
      sum2[j] += x[j] * x[j];
      total += x[j];
    }
    REQUIRE(total == Approx(1.0).epsilon(1e-12));
  }
  for (std::size_t j = 0; j < 4; ++j) {
    const double mean = alpha[j] / a0, var = alpha[j] * (a0 - alpha[j]) / (a0 * a0 * (a0 + 1));
    const double m = sum[j] / n, v = sum2[j] / n - m * m;
    CHECK(std::fabs(m - mean) < 5 * std::sqrt(var / n));
    CHECK(v == Approx(var).epsilon(0.05));
  }
  CHECK_THROWS_AS(disfer::detail::dirichlet_variate(rng, {}), disfer::error);
  CHECK_THROWS_AS(disfer::detail::dirichlet_variate(rng, {0.0, 0.0}), disfer::error);
}

TEST_CASE("categorical_variate draws each category with its probability", "[simulate][distributions]") {
  const double p[5] = {0.1, 0.0, 0.45, 0.25, 0.2};
  disfer::random_cursor rng(disfer::stream_key{15, 0, disfer::purpose::simulation});
  const int n = 100000;
  std::vector<int> count(5, 0);
  for (int i = 0; i < n; ++i) ++count[disfer::detail::categorical_variate(rng, p, 5)];
  CHECK(count[1] == 0);
  for (int j = 0; j < 5; ++j)
    CHECK(std::fabs(count[j] / double(n) - p[j]) < 5 * std::sqrt(p[j] * (1 - p[j]) / n) + 1e-12);
}
