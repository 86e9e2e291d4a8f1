#pragma once
/// \file
/// Landis & Koch (1977) verbal benchmarks for kappa-type coefficients.

#include <string_view>

namespace disfer {

/// Landis & Koch (1977, Biometrics 33:159-174, p. 165) label of a kappa value: "poor" (< 0),
/// "slight" (0-0.20), "fair" (0.21-0.40), "moderate" (0.41-0.60), "substantial" (0.61-0.80),
/// "almost perfect" (0.81-1). Their bands are printed at two decimals; disfer reads them as
/// half-open intervals on the unrounded value: [0, 0.2], (0.2, 0.4], (0.4, 0.6], (0.6, 0.8],
/// (0.8, 1]. NaN gives "undefined". The bands are a convention, not a test.
constexpr std::string_view landis_koch(double kappa) noexcept {
  if (kappa != kappa) return "undefined";
  if (kappa < 0) return "poor";
  if (kappa <= 0.2) return "slight";
  if (kappa <= 0.4) return "fair";
  if (kappa <= 0.6) return "moderate";
  if (kappa <= 0.8) return "substantial";
  return "almost perfect";
}

}  // namespace disfer
