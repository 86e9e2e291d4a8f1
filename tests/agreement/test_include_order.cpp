// Regression: agreement/detail/z_test.hpp once declared a local `ln10` that shadowed
// hypothesis/tails.hpp's detail::ln10, so a file including tails.hpp first failed to build under
// -Wshadow -Werror (the dev preset). This file includes them in that order; building it is the test.
#include "disfer/hypothesis/tails.hpp"
// clang-format off
#include "disfer/agreement/fleiss_kappa.hpp"
// clang-format on

#include <catch2/catch.hpp>

TEST_CASE("hypothesis before agreement builds without shadowing", "[agreement][include]") {
  const Eigen::Matrix<std::int64_t, 2, 2> counts{{2, 0}, {0, 2}};
  CHECK(disfer::fleiss_kappa(counts).kappa == 1.0);
}
