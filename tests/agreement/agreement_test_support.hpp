#pragma once
// Helpers for the agreement and crowd tests: reading published_cases.json values and the committed
// reference CSVs (tests/agreement/reference/*.csv, written by R and statsmodels).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include <disfer/agreement/count_table.hpp>
#include <disfer/io/csv.hpp>

namespace agreement_test {

/// Folder of the committed reference scripts and outputs.
inline std::string reference_dir() {
  return std::string(DISFER_AGREEMENT_REFERENCE_DIR);
}

/// A golden value: a number, a decimal string (mpmath), or an exact {num, den, decimal}.
inline double value(const nlohmann::json& j) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return std::stod(j.get<std::string>());
  const long double num = std::stold(j.at("num").get<std::string>());
  const long double den = std::stold(j.at("den").get<std::string>());
  return static_cast<double>(num / den);
}

/// |actual - expected| <= rel * |expected| (exact match required for expected == 0).
inline bool rel_close(double actual, double expected, double rel = 1e-12) {
  if (std::isnan(expected)) return std::isnan(actual);
  return std::fabs(actual - expected) <= rel * std::fabs(expected);
}

/// A value printed rounded to `decimals` places binds at half a unit of its last digit.
inline bool rounded_close(double actual, double printed, int decimals) {
  return std::fabs(actual - printed) <= 0.5 * std::pow(10.0, -decimals) * (1 + 1e-9);
}

/// Decimal places of a printed number such as 0.0542 (4) or 0.77544 (5).
inline int decimals_of(double printed) {
  for (int d = 0; d < 17; ++d) {
    const double scaled = printed * std::pow(10.0, d);
    if (std::fabs(scaled - std::round(scaled)) < 1e-9 * std::max(1.0, std::fabs(scaled))) return d;
  }
  return 17;
}

/// A count table from a JSON array of rows.
inline disfer::count_matrix counts_of(const nlohmann::json& rows) {
  disfer::count_matrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.at(0).size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j)
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j].get<std::int64_t>();
  return m;
}

/// name -> value from a reference CSV (header name,value).
inline std::map<std::string, double> reference_values(const std::string& file) {
  disfer::csv_reader csv(reference_dir() + "/" + file);
  std::map<std::string, double> out;
  while (csv.next()) out[csv[0]] = std::stod(csv[1]);
  return out;
}

/// A count table from a reference CSV (header row of category names).
inline disfer::count_matrix reference_table(const std::string& file) {
  disfer::csv_reader csv(reference_dir() + "/" + file);
  std::vector<std::vector<std::int64_t>> rows;
  while (csv.next()) {
    rows.emplace_back();
    for (std::size_t j = 0; j < csv.size(); ++j) rows.back().push_back(std::stoll(csv[j]));
  }
  disfer::count_matrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.at(0).size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j)
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j];
  return m;
}

}  // namespace agreement_test

/// CHECK that `actual` is within relative `rel` of `expected`, printing both.
#define CHECK_REL(actual, expected, rel)                                                                      \
  do {                                                                                                        \
    const double a_ = (actual), e_ = (expected);                                                              \
    INFO(#actual << " = " << std::setprecision(17) << a_ << ", expected " << e_ << " (rel " << (rel) << ")"); \
    CHECK(agreement_test::rel_close(a_, e_, (rel)));                                                          \
  } while (0)
