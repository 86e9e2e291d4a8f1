// The FER+ crowd votes of the FER-2013 sample, committed in tests/data/ferplus (10 votes per image as
// counts; Barsoum et al. 2016; MIT), restricted to the seven FER-2013 emotions (contempt, unknown
// and NF dropped).
#include "../agreement/agreement_test_support.hpp"

#include <disfer/agreement.hpp>
#include <disfer/crowd.hpp>
#include <disfer/io/votes_csv.hpp>

#include "test_support.hpp"

TEST_CASE("ferplus: agreement and majority vote from counts / Dawid-Skene refuses counts", "[crowd][ferplus]") {
  const std::string path = disfer_test::data_path("ferplus/ferplus-votes-sample.csv");
  disfer::count_table_csv_options o;
  o.id_column = "row";
  // FER-2013 order, in FER+'s column names.
  o.columns = {"anger", "disgust", "fear", "happiness", "sadness", "surprise", "neutral"};
  const auto t = disfer::read_count_table_csv(path, o);
  REQUIRE(t.counts.rows() == 956);
  const auto r = agreement_test::reference_values("ferplus_reference.csv");
  // Reference: r_reference.R on the same file and columns (base R, the published formulas).
  for (auto [m, tag] : {std::pair{disfer::kappa_margins::pooled, "ferplus.pooled"},
                        std::pair{disfer::kappa_margins::mean_item_proportions, "ferplus.mip"}}) {
    const auto f = disfer::fleiss_kappa(t.counts, m);
    CHECK_REL(f.kappa, r.at(std::string(tag) + ".kappa"), 1e-12);
    CHECK_REL(f.se0, r.at(std::string(tag) + ".se0"), 1e-12);
    CHECK_REL(f.se, r.at(std::string(tag) + ".se"), 1e-10);
    CHECK_REL(f.log10_p_value, r.at(std::string(tag) + ".log10_p_value"), 1e-12);
    CHECK(!f.equal_raters);  // dropping contempt/unknown/NF leaves 0-10 votes per image
  }
  // Gwet's AC1: p underflows a double (t ~ 61 with 955 df), log10 p does not.
  const auto ac1 = disfer::gwet_ac1(t.counts);
  CHECK_REL(ac1.ac1, r.at("ferplus.ac1.ac1"), 1e-12);
  CHECK_REL(ac1.se, r.at("ferplus.ac1.se"), 1e-10);
  CHECK(ac1.p_value == 0.0);
  CHECK_REL(ac1.log10_p_value, r.at("ferplus.ac1.log10_p_value"), 1e-9);
  const auto mv = disfer::majority_vote(t.counts, disfer::tie_policy::all_tied);
  CHECK(mv.labels.size() == 956);
  CHECK_THROWS_WITH(disfer::dawid_skene(t.counts),
                    Catch::Contains("dawid_skene: a count table") && Catch::Contains("has no rater identities"));
}
