#pragma once
// Helpers for tests that compare against reference outputs (JSON files written by the committed
// scripts in tests/<module>/reference). Used by the metrics, hypothesis and compare tests.
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include <disfer/core/error.hpp>
#include <disfer/metrics/confusion_matrix.hpp>

namespace disfer_test {

/// Reads a JSON file; throws std::runtime_error when it cannot be opened.
inline nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return nlohmann::json::parse(in);
}

/// read_json, read once per path and kept for the life of the test executable.
inline const nlohmann::json& cached_json(const std::string& path) {
  static std::map<std::string, nlohmann::json> cache;
  auto it = cache.find(path);
  if (it == cache.end()) it = cache.emplace(path, read_json(path)).first;
  return it->second;
}

/// A decimal string as double; values below the double range give 0 or a subnormal (strtod),
/// "inf"/"-inf"/"nan" are accepted.
inline double parse_number(const std::string& s) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0') throw std::runtime_error("not a number: " + s);
  return v;
}

/// A JSON number, a decimal string, a {num, den, decimal} fraction, or null (-> NaN) as double.
inline double json_number(const nlohmann::json& v) {
  if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return parse_number(v.get<std::string>());
  if (v.is_object() && v.contains("decimal")) return json_number(v["decimal"]);
  throw std::runtime_error("not a number: " + v.dump());
}

/// True when |actual - expected| <= rel * |expected| (or both are NaN, or both equal, incl. 0 and
/// infinities). `abs_floor` allows an absolute margin for expected values at 0.
inline bool rel_close(double actual, double expected, double rel, double abs_floor = 0.0) {
  if (std::isnan(expected)) return std::isnan(actual);
  if (actual == expected) return true;
  if (!std::isfinite(actual) || !std::isfinite(expected)) return false;
  return std::fabs(actual - expected) <= std::max(rel * std::fabs(expected), abs_floor);
}

/// Message for a failed comparison.
inline std::string describe(const std::string& what, double actual, double expected) {
  std::ostringstream s;
  s.precision(17);
  s << what << ": got " << actual << ", expected " << expected << " (rel. diff "
    << (expected != 0 ? std::fabs(actual - expected) / std::fabs(expected) : std::fabs(actual)) << ")";
  return s.str();
}

/// The message of the disfer::error that `f` throws, or "(no disfer::error)".
inline std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const disfer::error& e) {
    return e.what();
  }
  return "(no disfer::error)";
}

/// A confusion matrix from a JSON array of rows.
inline disfer::confusion_counts confusion_from_json(const nlohmann::json& rows) {
  disfer::confusion_counts cm(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
  for (std::size_t t = 0; t < rows.size(); ++t)
    for (std::size_t p = 0; p < rows[t].size(); ++p)
      cm(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(p)) = rows[t][p].get<std::int64_t>();
  return cm;
}

}  // namespace disfer_test

/// CHECK that `actual` is within relative `rel` of `expected`, printing both on failure.
#define DISFER_CHECK_REL(what, actual, expected, rel)           \
  do {                                                          \
    const double disfer_a_ = (actual), disfer_e_ = (expected);  \
    INFO(::disfer_test::describe(what, disfer_a_, disfer_e_));  \
    CHECK(::disfer_test::rel_close(disfer_a_, disfer_e_, rel)); \
  } while (0)
