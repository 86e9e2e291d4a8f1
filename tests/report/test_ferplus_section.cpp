// The FER+ section (report/ferplus_section.hpp) against tests/report/reference/ferplus_reference.R
// (base R from the formulas, reading the files itself): on the committed synthetic files everywhere
// (ferplus_section_synthetic.csv, rerun by the oracle ctest), on the team's sample when ../shared is
// there (kappa against tests/agreement/reference/ferplus_reference.csv, R on the same votes).
#include <catch2/catch.hpp>
#include <disfer/report/ferplus_section.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "test_support.hpp"

namespace {

std::map<std::string, double> reference(const std::string& path) {
  std::map<std::string, double> m;
  disfer::csv_reader csv(path);
  while (csv.next()) m[csv[0]] = csv[1] == "NaN" ? std::nan("") : std::stod(csv[1]);
  return m;
}

bool close(double a, double e, double rel) {
  if (std::isnan(a) || std::isnan(e)) return std::isnan(a) && std::isnan(e);
  return std::fabs(a - e) <= rel * std::fmax(std::fabs(e), 1e-300) || a == e;
}

// Column `column` (1-based after fer2013_row) of a network file, in the order of `rows`.
std::vector<std::int64_t> network_labels(const std::vector<std::uint64_t>& rows, const std::string& path,
                                         std::size_t column = 1) {
  std::map<std::uint64_t, std::int64_t> by_row;
  disfer::csv_reader csv(path);
  while (csv.next())
    by_row[std::stoull(csv[0])] = static_cast<std::int64_t>(disfer::index_of(disfer::parse_emotion(csv[column])));
  std::vector<std::int64_t> out;
  for (auto r : rows) out.push_back(by_row.at(r));
  return out;
}

// Every value of the section against the R reference's file, and no value missing on either side.
void check_against(const disfer::ferplus_section& s, const std::string& reference_file) {
  const auto ref = reference(reference_file);
  std::size_t compared = 0;
  for (const auto& v : disfer::ferplus_section_values(s)) {
    INFO(v.key << ": ours " << v.value);
    REQUIRE(ref.count(v.key) == 1);
    const double e = ref.at(v.key);
    INFO("reference " << e);
    // Counts exactly; kappa and every ratio to 1e-12; the SEs (a sum of squares) and the p-values to 1e-10.
    const bool loose = v.key.find("_se") != std::string::npos || v.key.find("error_correlation_p") != std::string::npos;
    CHECK(close(v.value, e, v.decimals == 0 ? 0.0 : (loose ? 1e-10 : 1e-12)));
    ++compared;
  }
  CHECK(compared == ref.size());
}

}  // namespace

TEST_CASE("ferplus section: synthetic files equal the R reference", "[report][ferplus]") {
  const auto votes = disfer::read_ferplus_csv(disfer_test::data_path("ferplus/fer2013new-synthetic.csv"));
  const auto labels = disfer::read_fer2013_labels(disfer_test::data_path("fer2013-small.csv"));
  const auto rows = disfer::ferplus_section_rows(votes, labels);
  CHECK(rows == std::vector<std::uint64_t>{0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13});
  const auto net = network_labels(rows, disfer_test::data_path("ferplus/fer2013-small-network.csv"));
  const auto s = disfer::compute_ferplus_section(votes, labels, net, "synthetic network");
  // Reference: Rscript tests/report/reference/ferplus_reference.R (defaults: these three files).
  check_against(s, disfer_test::data_path("../report/reference/ferplus_section_synthetic.csv"));
  // The rules the reference follows, checked on the items themselves.
  CHECK(s.tied == 1);               // fer0000002: surprise 3 = fear 3, abstained
  CHECK(s.single_vote_items == 1);  // fer0000011: one sadness vote (and 9 unknown)
  CHECK(s.no_emotion_images == 1);  // fer0000005: contempt/unknown/NF only
  CHECK(s.not_in_fer2013 == 1);     // fer0000020: fer2013-small.csv has 16 rows
  CHECK(s.kappa_pooled.n_single_rating == 1);
  CHECK(s.kappa_pooled.n_margin_items == 13);  // the single vote counts in the margins
  REQUIRE(s.networks.size() == 1);
  CHECK(s.networks[0].mcnemar.b == 4);
  CHECK(s.networks[0].mcnemar.c == 2);
  CHECK(s.network_pairs.empty());
  // Output forms carry the same numbers.
  std::ostringstream csv;
  disfer::write_ferplus_section_csv(csv, s);
  CHECK(csv.str().find("\nkappa_pooled,0.428662735458452") != std::string::npos);
  std::ostringstream items;
  disfer::write_ferplus_items_csv(items, votes, s);
  CHECK(items.str().find("\n2,PublicTest,fear,0,0,3,0,0,3,2,0,2,0,,fear\n") != std::string::npos);
  std::ostringstream json;
  disfer::json_writer j(json);
  disfer::write_ferplus_section_json(j, s);
  CHECK(json.str().find("\"name\": \"synthetic network\"") != std::string::npos);
  CHECK(disfer::to_text(disfer::ferplus_section_table(s)).find("ties abstain") != std::string::npos);
}

TEST_CASE("ferplus section: two networks against the crowd and each other equal the R reference", "[report][ferplus]") {
  const auto votes = disfer::read_ferplus_csv(disfer_test::data_path("ferplus/fer2013new-synthetic.csv"));
  const auto labels = disfer::read_fer2013_labels(disfer_test::data_path("fer2013-small.csv"));
  const auto rows = disfer::ferplus_section_rows(votes, labels);
  const auto file = disfer_test::data_path("ferplus/fer2013-small-networks.csv");
  const std::vector<disfer::ferplus_network_labels> nets = {{"net_a", "network A", network_labels(rows, file, 1)},
                                                            {"net_b", "network B", network_labels(rows, file, 2)}};
  const auto s = disfer::compute_ferplus_section(votes, labels, nets);
  // Reference: the same script's second default output (tests/data/ferplus/fer2013-small-networks.csv).
  check_against(s, disfer_test::data_path("../report/reference/ferplus_section_synthetic_two.csv"));
  REQUIRE(s.network_pairs.size() == 1);
  CHECK(s.network_pairs[0].mcnemar.b == 4);  // |b - c| = 1: p = 1 exactly
  CHECK(s.network_pairs[0].mcnemar.c == 5);
  CHECK(s.network_pairs[0].mcnemar.log10_p_value == 0.0);
  // The first network alone gives the one-network section's numbers under its prefix.
  const auto one = disfer::compute_ferplus_section(votes, labels, nets[0].labels, "network A");
  for (const auto& v : disfer::ferplus_section_values(one))
    if (v.key.find("network_") == 0 || v.key.find("mcnemar") == 0 || v.key.find("error_corr") == 0) {
      bool found = false;
      for (const auto& w : disfer::ferplus_section_values(s))
        if (w.key == "net_a/" + v.key) found = close(w.value, v.value, 0.0);
      INFO(v.key);
      CHECK(found);
    }
  std::ostringstream items;
  disfer::write_ferplus_items_csv(items, votes, s);
  CHECK(items.str().find(",majority,network/net_a,network/net_b\n") != std::string::npos);
  CHECK(items.str().find("\n2,PublicTest,fear,0,0,3,0,0,3,2,0,2,0,,fear,surprise\n") != std::string::npos);
  const auto note = disfer::ferplus_section_note(s);
  CHECK(note.find("Networks: network A (net_a/); network B (net_b/)") != std::string::npos);
}

TEST_CASE("ferplus section: errors", "[report][ferplus]") {
  const auto votes = disfer::read_ferplus_csv(disfer_test::data_path("ferplus/fer2013new-synthetic.csv"));
  const auto labels = disfer::read_fer2013_labels(disfer_test::data_path("fer2013-small.csv"));
  CHECK_THROWS_WITH(disfer::compute_ferplus_section(votes, labels, {1, 2}),
                    Catch::Contains("compute_ferplus_section: network 'network' has 2 labels for 13 items"));
  const std::vector<std::int64_t> ok(13, 0);
  CHECK_THROWS_WITH(disfer::compute_ferplus_section(votes, labels, {{"x", "A", ok}, {"x", "B", ok}}),
                    Catch::Contains("networks 'A' and 'B' share the key 'x'"));
  std::vector<std::int64_t> bad(13, 0);
  bad[3] = 7;
  CHECK_THROWS_WITH(disfer::compute_ferplus_section(votes, labels, bad), Catch::Contains("outside 0-6"));
  disfer::fer2013_labels wrong = labels;
  wrong.usage[3] = disfer::fer2013_usage::training;
  CHECK_THROWS_WITH(disfer::compute_ferplus_section(votes, wrong),
                    Catch::Contains("ferplus_section_rows: FER-2013 row 3 is Training in fer2013.csv but PublicTest"));
  disfer::fer2013_labels none;
  CHECK_THROWS_WITH(disfer::compute_ferplus_section(votes, none),
                    Catch::Contains("no FER+ image of the chosen splits"));
}

TEST_CASE("ferplus section: the FER+ sample's kappa equals R on the same votes", "[report][ferplus]") {
  const std::string dir = std::string(DISFER_SHARED_DIR) + "/data/";
  for (const char* f : {"fer2013new-sample.csv", "fer2013-sample.csv"})
    if (!std::filesystem::exists(dir + f)) {
      disfer_test::skip("needs " + dir + f + " (the team's sample; absent on a clone without ../shared)");
      return;
    }
  const auto s = disfer::compute_ferplus_section(disfer::read_ferplus_csv(dir + "fer2013new-sample.csv"),
                                                 disfer::read_fer2013_labels(dir + "fer2013-sample.csv"));
  CHECK(s.items.size() == 956);
  // Reference: Rscript tests/agreement/reference/r_reference.R (the same votes, committed layout).
  const auto ref = reference(disfer_test::data_path("../agreement/reference/ferplus_reference.csv"));
  CHECK(close(s.kappa_pooled.kappa, ref.at("ferplus.pooled.kappa"), 1e-12));
  CHECK(close(s.kappa_mean_item_proportions.kappa, ref.at("ferplus.mip.kappa"), 1e-12));
  CHECK(close(s.kappa_pooled.se, ref.at("ferplus.pooled.se"), 1e-10));
}
