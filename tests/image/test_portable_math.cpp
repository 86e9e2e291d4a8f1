#include <catch2/catch.hpp>

#include <disfer/detail/portable_math.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

// Reference values: tests/image/reference/portable_math.txt, written by
// tests/image/reference/rounded_normal.py with mpmath at 60 digits.
TEST_CASE("portable math: exp, log, Phi, cos and sin agree with mpmath", "[image][portable_math]") {
  namespace pm = disfer::detail::portable;
  std::ifstream in(std::string(DISFER_IMAGE_REFERENCE_DIR) + "/portable_math.txt");
  REQUIRE(in.good());
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream s(line);
    std::string fn, xs, vs;
    s >> fn >> xs >> vs;
    const double x = std::strtod(xs.c_str(), nullptr);
    const double ref = std::strtod(vs.c_str(), nullptr);
    double got = 0, other = 0;
    if (fn == "exp") got = pm::exp(x);
    if (fn == "log") got = pm::log(x);
    if (fn == "normal_cdf") got = pm::normal_cdf(x);
    if (fn == "cos2pi") pm::cos_sin_2pi(x, got, other);
    if (fn == "sin2pi") pm::cos_sin_2pi(x, other, got);
    INFO(fn << "(" << xs << ") = " << got << ", mpmath " << vs);
    // exp, log, sin, cos: a few ulp relative (absolute 1e-16 near 0, subnormals 1e-320).
    // Phi: relative 1e-13 (the tail exp(-z^2/2) inherits the rounding of z^2) plus 2e-16 absolute.
    double tol = std::fabs(ref) * 4e-16 + (fn == "exp" || fn == "log" ? 1e-320 : 1e-16);
    if (fn == "normal_cdf") tol = std::fabs(ref) * 1e-13 + 2e-16;
    CHECK(std::fabs(got - ref) <= tol);
    ++checked;
  }
  CHECK(checked > 40);
}

TEST_CASE("portable math: special values and rounding helpers", "[image][portable_math]") {
  namespace pm = disfer::detail::portable;
  CHECK(std::isnan(pm::exp(std::nan(""))));
  CHECK(pm::exp(-1000) == 0.0);
  CHECK(std::isinf(pm::exp(1000)));
  CHECK(std::isnan(pm::log(0.0)));
  CHECK(std::isnan(pm::log(-1.0)));
  CHECK(pm::normal_cdf(-40) == 0.0);
  CHECK(pm::normal_cdf(40) == 1.0);
  CHECK(pm::round_half_even(2.5) == 2.0);
  CHECK(pm::round_half_even(3.5) == 4.0);
  CHECK(pm::round_half_even(-2.5) == -2.0);
  CHECK(pm::round_half_even(7.49999) == 7.0);
}
