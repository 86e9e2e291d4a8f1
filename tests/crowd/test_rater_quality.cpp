// Rater quality control: accuracy, leave-rater-out majority agreement, exclusion rules, report,
// per-participant figures. Expected values worked out by hand in the comments.
#include <catch2/catch.hpp>

#include <cmath>

#include <disfer/crowd/rater_quality.hpp>

namespace {

// 12 items, truth i % 3, k = 3. Rater 0 always right; rater 1 right except item 0 (says 1);
// rater 2 always right; rater 3 answers 2 throughout; rater 4 votes on items 0 and 1, then again on 0.
disfer::vote_table crowd() {
  disfer::vote_table v;
  for (std::uint32_t i = 0; i < 12; ++i) {
    v.add(i, 0, i % 3);
    v.add(i, 1, i == 0 ? 1 : i % 3);
    v.add(i, 2, i % 3);
    v.add(i, 3, 2);
  }
  v.add(0, 4, 0);
  v.add(1, 4, 1);
  v.add(0, 4, 2);
  v.rater_names = {"r0", "r1", "r2", "r3", "r4"};
  return v;
}

std::vector<std::int64_t> truth() {
  std::vector<std::int64_t> t;
  for (int i = 0; i < 12; ++i) t.push_back(i % 3);
  return t;
}

}  // namespace

TEST_CASE("rater_statistics: accuracy and majority agreement", "[crowd][rater_quality]") {
  const auto s = disfer::rater_statistics(crowd(), 3, truth());
  REQUIRE(s.size() == 5);
  CHECK(s[0].accuracy == 1.0);
  CHECK(s[1].accuracy == 11.0 / 12);
  CHECK(s[3].accuracy == 4.0 / 12);  // right only where the truth is 2
  CHECK(s[4].accuracy == 1.0);       // scored on its first vote per item
  CHECK(s[4].n_votes == 3);
  CHECK(s[4].n_items == 2);
  CHECK(s[4].n_duplicate_votes == 1);
  // Rater 0, item 0: the others say 1 (r1), 0 (r2), 2 (r3), 0 and 2 (r4) -> 0 and 2 tie: credit 1/2;
  // every other item: credit 1 -> 11.5 / 12.
  CHECK(s[0].majority_agreement == 11.5 / 12);
  // Rater 3 agrees with the others' plurality only where the truth is 2.
  CHECK(s[3].majority_agreement == 4.0 / 12);
  CHECK(s[3].n_distinct_labels == 1);
  CHECK(s[3].modal_label == 2);
  CHECK(s[3].modal_share == 1.0);
  CHECK_THROWS_WITH(disfer::rater_statistics(crowd(), 3, {0, 1}), Catch::Contains("rater_statistics: the reference has 2 labels"));
}

TEST_CASE("screen_raters: exclusion report and remaining votes", "[crowd][rater_quality]") {
  disfer::rater_screening_options o;
  o.min_majority_agreement = 0.5;
  const auto votes = crowd();
  const auto s = disfer::screen_raters(votes, 3, o);
  CHECK(s.excluded == std::vector<std::uint8_t>{0, 0, 0, 1, 1});
  REQUIRE(s.exclusions.size() == 2);
  CHECK(s.exclusions[0].name == "r3");
  CHECK_THAT(s.exclusions[0].reason, Catch::Contains("majority agreement 0.33") && Catch::Contains("single answer (label 2) over 12 votes"));
  CHECK_THAT(s.exclusions[1].reason, Catch::Contains("1 duplicate vote"));
  CHECK(s.n_votes_removed == 15);
  CHECK(s.kept.size() == votes.size() - 15);
  CHECK(s.kept.n_items == 12);
  CHECK_THROWS_WITH(
      [&] {
        disfer::rater_screening_options acc;
        acc.min_accuracy = 0.5;
        disfer::screen_raters(votes, 3, acc);
      }(),
      Catch::Contains("screen_raters: min_accuracy is set but no reference"));
}

TEST_CASE("summarize_participants: mean / SD / SE / min / max", "[crowd][rater_quality]") {
  // R: x <- c(0.5, 0.75, 1); mean(x) = 0.75; sd(x) = 0.25; sd(x)/sqrt(3) = 0.14433756729740643
  const auto s = disfer::summarize_participants({0.5, 0.75, std::nan(""), 1.0});
  CHECK(s.n == 3);
  CHECK(s.mean == 0.75);
  CHECK(std::fabs(s.sd - 0.25) < 1e-15);
  CHECK(std::fabs(s.se - 0.14433756729740643) < 1e-15);
  CHECK(s.min == 0.5);
  CHECK(s.max == 1.0);
  const auto one = disfer::summarize_participants({0.3});
  CHECK(one.mean == 0.3);
  CHECK(std::isnan(one.sd));
}
