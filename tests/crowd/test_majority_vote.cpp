// majority_vote and soft_labels, including the golden case majority_vote_ties.
#include "../agreement/agreement_test_support.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <disfer/crowd.hpp>
#include <disfer/io/votes_csv.hpp>

#include "test_support.hpp"

using nlohmann::json;

// Source: reference/published_cases.json, written by reference/published_cases.py: crowd-kit 1.4.1's
// MajorityVote rule (pandas idxmax over sorted labels: ties to the smallest label) and its worker
// skills (accuracy against MV), reproduced with pandas.
TEST_CASE("golden: majority_vote_ties", "[crowd][majority_vote][golden]") {
  std::ifstream file(std::string(DISFER_CROWD_REFERENCE_DIR) + "/published_cases.json");
  REQUIRE(file);
  const json golden = json::parse(file);
  json c;
  for (const auto& x : golden.at("cases"))
    if (x.at("id") == "majority_vote_ties") c = x;
  REQUIRE(!c.is_null());
  std::ostringstream csv;
  csv << "task,worker,label\n";
  for (const auto& v : c.at("input").at("votes_task_worker_label"))
    csv << v[0].get<std::string>() << ',' << v[1].get<std::string>() << ',' << v[2].get<std::string>() << '\n';
  std::istringstream in(csv.str());
  disfer::votes_csv_options o;
  o.stimulus_column = "task";
  o.rater_column = "worker";
  o.categories = {"a", "b", "c"};
  const auto votes = disfer::read_votes_csv(in, "golden", o);
  const auto counts = disfer::vote_counts(votes, 3);
  const auto soft = disfer::soft_labels(counts);
  const json& e = c.at("expected");
  const std::string labels = "abc";
  const auto lowest = disfer::majority_vote(counts, disfer::tie_policy::lowest_index);
  const auto abstain = disfer::majority_vote(counts, disfer::tie_policy::abstain);
  for (std::size_t i = 0; i < votes.n_items; ++i) {
    const std::string& task = votes.item_names[i];
    INFO("task " << task);
    for (std::size_t j = 0; j < 3; ++j)
      CHECK_REL(soft(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)),
                e.at("vote_fractions").at(task).at(std::string(1, labels[j])).get<double>(), 1e-12);
    CHECK(static_cast<bool>(lowest.tied[i]) == e.at("is_tie").at(task).get<bool>());
    CHECK(std::string(1, labels[static_cast<std::size_t>(lowest.labels[i])]) ==
          e.at("label_policy_smallest_label").at(task).get<std::string>());
    const json& a = e.at("label_policy_abstain_on_tie").at(task);
    if (a.is_null())
      CHECK(abstain.labels[i] == -1);
    else
      CHECK(std::string(1, labels[static_cast<std::size_t>(abstain.labels[i])]) == a.get<std::string>());
  }
  // crowd-kit's worker skills = accuracy against the MV labels (observed_in_references).
  const auto stats = disfer::rater_statistics(votes, 3, lowest.labels);
  for (const auto& s : stats) {
    INFO("worker " << votes.rater_names[s.rater]);
    CHECK_REL(s.accuracy,
              c.at("observed_in_references")
                  .at("crowdkit_worker_skills_accuracy_vs_MV")
                  .at(votes.rater_names[s.rater])
                  .get<double>(),
              1e-12);
  }
}

TEST_CASE("majority_vote: tie policies", "[crowd][majority_vote]") {
  disfer::count_matrix c(5, 3);
  c << 25, 25, 1,  // odd n, three categories: still a tie
      0, 0, 0,     // no vote
      1, 4, 2,     // clear winner
      3, 3, 3,     // three-way tie
      0, 2, 2;
  const auto low = disfer::majority_vote(c, disfer::tie_policy::lowest_index);
  CHECK(low.labels == std::vector<std::int64_t>{0, -1, 1, 0, 1});
  CHECK(low.tied == std::vector<std::uint8_t>{1, 0, 0, 1, 1});
  CHECK(low.n_ties == 3);
  CHECK(low.n_no_vote == 1);
  CHECK(low.winners.empty());

  const auto all = disfer::majority_vote(c, disfer::tie_policy::all_tied);
  CHECK(all.labels == std::vector<std::int64_t>{-1, -1, 1, -1, -1});
  CHECK(all.winners[0] == std::vector<std::uint32_t>{0, 1});
  CHECK(all.winners[3] == std::vector<std::uint32_t>{0, 1, 2});
  CHECK(all.winners[2] == std::vector<std::uint32_t>{1});
  CHECK(all.winners[1].empty());

  // random: reproducible per seed, always one of the tied categories, and a different seed can differ.
  const auto r1 = disfer::majority_vote(c, disfer::tie_policy::random, 42);
  const auto r2 = disfer::majority_vote(c, disfer::tie_policy::random, 42);
  CHECK(r1.labels == r2.labels);
  CHECK((r1.labels[0] == 0 || r1.labels[0] == 1));
  CHECK(r1.labels[2] == 1);
  CHECK((r1.labels[4] == 1 || r1.labels[4] == 2));
  std::set<std::int64_t> seen;
  for (std::uint64_t seed = 0; seed < 64; ++seed)
    seen.insert(disfer::majority_vote(c, disfer::tie_policy::random, seed).labels[3]);
  CHECK(seen == std::set<std::int64_t>{0, 1, 2});
  // The draw depends on (seed, item) only: a table with the tied item alone, at the same index, agrees.
  disfer::count_matrix head = c.topRows(1);
  CHECK(disfer::majority_vote(head, disfer::tie_policy::random, 42).labels[0] == r1.labels[0]);
}

TEST_CASE("majority_vote and soft_labels: errors and empty rows", "[crowd][majority_vote][errors]") {
  disfer::count_matrix neg(2, 2);
  neg << 1, 0, 0, -3;
  CHECK_THROWS_WITH(disfer::majority_vote(neg, disfer::tie_policy::abstain),
                    Catch::Contains("majority_vote: row 2 has a negative count -3"));
  CHECK_THROWS_WITH(disfer::soft_labels(disfer::count_matrix(0, 3)),
                    Catch::Contains("soft_labels: the count table is empty"));
  CHECK_THROWS_WITH(disfer::majority_vote(disfer::count_matrix::Ones(2, 1), disfer::tie_policy::abstain),
                    Catch::Contains("1 category"));
  disfer::count_matrix c(2, 2);
  c << 1, 3, 0, 0;
  const auto s = disfer::soft_labels(c);
  CHECK(s(0, 1) == 0.75);
  CHECK(std::isnan(s(1, 0)));
}
