#include <catch2/catch.hpp>

#include <disfer/hypothesis/cochran_q.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "reference_check.hpp"
#include "test_support.hpp"

namespace {
using success_table = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic>;
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const disfer::error& e) {
    return e.what();
  }
  return "(no disfer::error)";
}
}  // namespace

TEST_CASE("Cochran's Q matches statsmodels cochrans_q", "[hypothesis][cochran_q]") {
  // Reference: tests/hypothesis/reference/hypothesis_reference.py, statsmodels cochrans_q(x).
  const auto ref = disfer_test::read_json(std::string(DISFER_HYPOTHESIS_REFERENCE_DIR) + "/hypothesis_reference.json");
  for (const auto& c : ref["cochran_q"]) {
    const auto& rows = c["success"];
    success_table x(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
    for (std::size_t i = 0; i < rows.size(); ++i)
      for (std::size_t j = 0; j < rows[i].size(); ++j)
        x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j].get<std::int64_t>();
    INFO(x.rows() << " items x " << x.cols() << " classifiers");
    const auto r = disfer::cochran_q(x);
    DISFER_CHECK_REL("Q", r.statistic, c["statistic"].get<double>(), 1e-12);
    DISFER_CHECK_REL("p", r.p_value, c["p_value"].get<double>(), 1e-12);
    CHECK(r.df == c["df"].get<std::int64_t>());
    CHECK(r.n_items == x.rows());
    DISFER_CHECK_REL("log10 p", r.log10_p_value, std::log10(c["p_value"].get<double>()), 1e-12);
  }
}

TEST_CASE("Cochran's Q from predictions; m = 2 is McNemar's uncorrected chi-square", "[hypothesis][cochran_q]") {
  const std::vector<int> truth = {0, 1, 2, 0, 1, 2, 0, 1, 2, 2};
  const std::vector<std::vector<int>> preds = {{0, 1, 2, 0, 0, 0, 1, 1, 2, 2}, {0, 0, 0, 0, 1, 2, 1, 2, 1, 1}};
  const auto q = disfer::cochran_q(truth, preds);
  const auto m = disfer::mcnemar(truth, preds[0], preds[1], disfer::mcnemar_method::chi_square);
  DISFER_CHECK_REL("Q = McNemar chi2", q.statistic, m.statistic, 1e-14);
  DISFER_CHECK_REL("p", q.p_value, m.p_value, 1e-14);
  // All items right (or wrong) for every classifier: 0/0.
  const std::vector<std::vector<int>> same = {truth, truth, truth};
  CHECK(std::isnan(disfer::cochran_q(truth, same).statistic));
  // A far tail: 3 classifiers, one always right, two always wrong, 3000 items.
  success_table x(3000, 3);
  x.col(0).setOnes();
  x.col(1).setZero();
  x.col(2).setZero();
  const auto t = disfer::cochran_q(x);
  // Q = 2 (3 * 3000^2 - 3000^2) / (3 * 3000 - 3000) = 6000; p = exp(-3000) on 2 df:
  // R: pchisq(6000, 2, lower.tail = FALSE, log.p = TRUE) / log(10) = -1302.883446...
  CHECK(t.statistic == 6000.0);
  CHECK(t.p_value == 0.0);
  DISFER_CHECK_REL("log10 p far tail", t.log10_p_value, -3000.0 / std::log(10.0), 1e-14);
}

TEST_CASE("Cochran's Q rejects bad input", "[hypothesis][cochran_q][errors]") {
  success_table x(2, 1);
  x << 1, 0;
  CHECK(message_of([&] { disfer::cochran_q(x); }) == "cochran_q: m = 1 classifiers; at least 2 are needed");
  success_table y(2, 2);
  y << 1, 0, 2, 1;
  CHECK(message_of([&] { disfer::cochran_q(y); }) == "cochran_q: entry (1, 0) = 2; successes must be 0 or 1");
  CHECK(message_of([&] { disfer::cochran_q(success_table(0, 3)); }) == "cochran_q: the table has no items");
  const std::vector<int> truth = {0, 1};
  const std::vector<std::vector<int>> preds = {{0, 1}, {0}};
  CHECK(message_of([&] { disfer::cochran_q(truth, preds); }) ==
        "cochran_q: predictions[1] has 1 labels but truth has 2");
}
