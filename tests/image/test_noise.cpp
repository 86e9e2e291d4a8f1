#include <catch2/catch.hpp>

#include <disfer/image.hpp>

#include "digest_cases.hpp"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

// Chi-square goodness of fit of integer noise values against the rounded normal
// P(k) = Phi((k + 1/2)/s) - Phi((k - 1/2)/s), with Boost.Math's normal CDF as the independent
// reference; bins with expected count < 5 are pooled into the two tails. Returns
// {statistic, 99.9% critical value}.
struct chi_result {
  double statistic, critical;
  std::size_t bins;
};

chi_result chi_square_rounded_normal(const std::vector<long>& values, double s) {
  boost::math::normal nd(0.0, s);
  const double n = static_cast<double>(values.size());
  std::map<long, double> counts;
  for (long v : values) counts[v] += 1;
  // central range where expected >= 5
  long lo = 0, hi = 0;
  auto p = [&](long k) { return boost::math::cdf(nd, k + 0.5) - boost::math::cdf(nd, k - 0.5); };
  while (n * p(lo - 1) >= 5) --lo;
  while (n * p(hi + 1) >= 5) ++hi;
  double stat = 0;
  std::size_t bins = 0;
  auto add = [&](double observed, double expected) {
    stat += (observed - expected) * (observed - expected) / expected;
    ++bins;
  };
  double obs_low = 0, obs_high = 0;
  for (const auto& [k, c] : counts) {
    if (k < lo) obs_low += c;
    if (k > hi) obs_high += c;
  }
  add(obs_low, n * boost::math::cdf(nd, lo - 0.5));
  add(obs_high, n * boost::math::cdf(boost::math::complement(nd, hi + 0.5)));
  for (long k = lo; k <= hi; ++k) add(counts.count(k) ? counts[k] : 0.0, n * p(k));
  boost::math::chi_squared chi(static_cast<double>(bins - 1));
  return {stat, boost::math::quantile(chi, 0.999), bins};
}

}  // namespace

TEST_CASE("noise: the integer table equals mpmath's rounded-normal CDF", "[image][gaussian_noise]") {
  // reference/rounded_normal_cdf.txt from reference/rounded_normal.py (mpmath, 60 digits)
  std::ifstream in(std::string(DISFER_IMAGE_REFERENCE_DIR) + "/rounded_normal_cdf.txt");
  REQUIRE(in.good());
  std::map<std::string, std::map<long, std::uint64_t>> ref;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream s(line);
    std::string sd;
    long k = 0;
    std::uint64_t t = 0;
    s >> sd >> k >> t;
    ref[sd][k] = t;
  }
  REQUIRE(ref.size() == 7);
  for (const auto& [sd, entries] : ref) {
    const auto table = disfer::make_rounded_normal_table(std::stod(sd), 100000);
    std::size_t mismatches = 0;
    for (std::size_t j = 0; j < table.cdf.size(); ++j) {
      const long k = static_cast<long>(table.lowest) + static_cast<long>(j);
      std::uint64_t expected = 0;
      if (entries.count(k))
        expected = entries.at(k);
      else
        expected = k < entries.begin()->first ? 0 : (std::uint64_t{1} << 32);
      mismatches += table.cdf[j] != expected;
    }
    INFO("stddev " << sd);
    CHECK(mismatches == 0);
    CHECK(table.cdf.back() == (std::uint64_t{1} << 32));
  }
}

TEST_CASE("noise: the guide-table lookup equals the binary search", "[image][gaussian_noise]") {
  for (double sd : {0.3, 10.0, 30.0, 1000.0}) {
    const auto guided = disfer::make_rounded_normal_table(sd, 255);
    auto plain = guided;
    plain.guide.clear();
    const disfer::philox_stream s(disfer::stream_key{3, 4, disfer::purpose::user});
    std::size_t bad = 0;
    for (std::uint32_t b = 0; b < 5000; ++b)
      for (std::uint32_t w : s.block(b)) bad += guided.sample(w) != plain.sample(w);
    for (std::uint64_t w : {0ull, 1ull, 0xffffffffull, 0x80000000ull, 0x7fffffffull})
      bad += guided.sample(static_cast<std::uint32_t>(w)) != plain.sample(static_cast<std::uint32_t>(w));
    for (std::uint64_t t : guided.cdf)  // every threshold and its neighbours
      for (std::uint64_t w : {t - 1, t, t + 1})
        if (w <= 0xffffffffull)
          bad += guided.sample(static_cast<std::uint32_t>(w)) != plain.sample(static_cast<std::uint32_t>(w));
    INFO("stddev " << sd);
    CHECK(bad == 0);
  }
}

TEST_CASE("noise: uint8 noise on mid-grey fits the rounded normal (chi-square, 99.9%)", "[image][gaussian_noise]") {
  auto grey = xt::xtensor<std::uint8_t, 2>::from_shape({256, 256});
  grey.fill(128);
  for (double s : {10.0, 20.0, 30.0}) {
    const auto out = disfer::gaussian_noise(grey, s, disfer::stream_key{5, 11, disfer::purpose::gaussian_noise});
    std::vector<long> v(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) v[i] = static_cast<long>(out.data()[i]) - 128;
    const auto r = chi_square_rounded_normal(v, s);
    INFO("stddev " << s << " chi2 " << r.statistic << " on " << r.bins - 1 << " df, critical " << r.critical);
    CHECK(r.statistic < r.critical);
  }
}

TEST_CASE("noise: uint16 and 3-channel noise fit the rounded normal (chi-square, 99.9%)", "[image][gaussian_noise]") {
  auto grey16 = xt::xtensor<std::uint16_t, 2>::from_shape({200, 200});
  grey16.fill(32768);
  const auto o16 = disfer::gaussian_noise(grey16, 25.0, disfer::stream_key{5, 12, disfer::purpose::gaussian_noise});
  std::vector<long> v(o16.size());
  for (std::size_t i = 0; i < o16.size(); ++i) v[i] = static_cast<long>(o16.data()[i]) - 32768;
  auto r = chi_square_rounded_normal(v, 25.0);
  CHECK(r.statistic < r.critical);
  auto rgb = xt::xtensor<std::uint8_t, 3>::from_shape({100, 100, 3});
  rgb.fill(100);
  const auto o3 = disfer::gaussian_noise(rgb, 15.0, disfer::stream_key{5, 13, disfer::purpose::gaussian_noise});
  v.assign(o3.size(), 0);
  for (std::size_t i = 0; i < o3.size(); ++i) v[i] = static_cast<long>(o3.data()[i]) - 100;
  r = chi_square_rounded_normal(v, 15.0);
  CHECK(r.statistic < r.critical);
}

TEST_CASE("noise: float noise is N(0, stddev^2) (chi-square of rounded values, 99.9%)", "[image][gaussian_noise]") {
  auto half = xt::xtensor<double, 2>::from_shape({256, 256});
  half.fill(0.5);
  const auto out = disfer::gaussian_noise(half, 0.1, disfer::stream_key{5, 14, disfer::purpose::gaussian_noise});
  std::vector<long> v(out.size());
  double mean = 0, var = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double z = (out.data()[i] - 0.5) * 100.0;  // noise in units of 1/100: stddev 10
    v[i] = std::lround(z);
    mean += z;
    var += z * z;
  }
  mean /= static_cast<double>(v.size());
  var = var / static_cast<double>(v.size()) - mean * mean;
  const auto r = chi_square_rounded_normal(v, 10.0);
  INFO("chi2 " << r.statistic << " critical " << r.critical << " mean " << mean << " var " << var);
  CHECK(r.statistic < r.critical);
  // float32 path: same stream gives the same noise rounded to float
  auto halff = xt::xtensor<float, 2>::from_shape({4, 4});
  halff.fill(0.5f);
  const auto of = disfer::gaussian_noise(halff, 0.1, disfer::stream_key{5, 14, disfer::purpose::gaussian_noise});
  for (std::size_t i = 0; i < of.size(); ++i) CHECK(of.data()[i] == static_cast<float>(out.data()[i]));
}

TEST_CASE("noise: saturation, clipping, zero stddev and keys", "[image][gaussian_noise]") {
  const disfer::stream_key key{1, 2, disfer::purpose::gaussian_noise};
  auto black = xt::xtensor<std::uint8_t, 2>::from_shape({64, 64});
  black.fill(0);
  const auto out = disfer::gaussian_noise(black, 30.0, key);
  std::size_t zeros = 0;
  for (auto v : out) zeros += v == 0;
  CHECK(zeros > out.size() / 2 - 200);  // about half the noise is negative and saturates at 0
  CHECK(bool(disfer::gaussian_noise(black, 0.0, key) == black));
  // same key -> same bytes; other item or purpose -> different bytes
  const auto img = disfer_test::texture_u8_2d(48, 48, 1);
  CHECK(bool(disfer::gaussian_noise(img, 10.0, key) == disfer::gaussian_noise(img, 10.0, key)));
  CHECK(bool(disfer::gaussian_noise(img, 10.0, key) !=
             disfer::gaussian_noise(img, 10.0, disfer::stream_key{1, 3, disfer::purpose::gaussian_noise})));
  // huge stddev on uint8: every pixel saturates at 0 or 255 (tail mass lumped, table small)
  const auto wild = disfer::gaussian_noise(img, 1e9, key);
  for (auto v : wild) CHECK((v == 0 || v == 255));
  // float: unclipped by default, clipped on request
  auto f = xt::xtensor<float, 2>::from_shape({32, 32});
  f.fill(0.95f);
  const auto unclipped = disfer::gaussian_noise(f, 0.2, key);
  float maxv = 0;
  for (auto v : unclipped) maxv = std::max(maxv, v);
  CHECK(maxv > 1.0f);
  disfer::noise_options clip;
  clip.clip = true;
  const auto clipped = disfer::gaussian_noise(f, 0.2, key, clip);
  for (auto v : clipped) CHECK((v >= 0.0f && v <= 1.0f));
}
