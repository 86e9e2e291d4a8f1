// Dawid-Skene EM on simulated votes (Philox streams, fixed seed): better than majority vote, rater
// confusions recovered, the EM fixed point holds; count tables are refused with a reason.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <vector>

#include <disfer/core/random.hpp>
#include <disfer/crowd.hpp>

namespace {

constexpr std::size_t K = 7, ITEMS = 500, RATERS = 30, PER_ITEM = 15;

struct simulation {
  disfer::vote_table votes;
  std::vector<std::int64_t> truth;
  std::vector<Eigen::MatrixXd> confusion;  // true generating matrices
};

// 30 raters of mixed skill: 10 reliable (0.8 on the diagonal), 10 "confusers" who give the next
// class (c + 1 mod 7) more often than the right one, 10 near-spammers (almost uniform).
// Each item gets 15 distinct raters; the true class has unequal priors.
simulation simulate(std::uint64_t seed) {
  simulation s;
  for (std::size_t r = 0; r < RATERS; ++r) {
    Eigen::MatrixXd m(K, K);
    for (std::size_t c = 0; c < K; ++c)
      for (std::size_t l = 0; l < K; ++l) {
        double p;
        if (r < 10)
          p = l == c ? 0.8 : 0.2 / 6;
        else if (r < 20)
          p = l == c ? 0.3 : l == (c + 1) % K ? 0.55 : 0.15 / 5;
        else
          p = l == c ? 0.22 : 0.78 / 6;
        m(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(l)) = p;
      }
    s.confusion.push_back(m);
  }
  const std::array<double, K> prior = {0.10, 0.05, 0.15, 0.25, 0.15, 0.10, 0.20};
  s.votes.n_raters = RATERS;
  s.votes.n_items = ITEMS;
  for (std::size_t i = 0; i < ITEMS; ++i) {
    disfer::random_cursor cur({seed, i, disfer::purpose::simulation});
    double u = cur.next_unit();
    std::size_t c = 0;
    while (c + 1 < K && u >= prior[c]) u -= prior[c++];
    s.truth.push_back(static_cast<std::int64_t>(c));
    std::vector<std::uint32_t> pool(RATERS);
    for (std::uint32_t r = 0; r < RATERS; ++r) pool[r] = r;
    for (std::size_t t = 0; t < PER_ITEM; ++t) {  // partial Fisher-Yates: 15 distinct raters
      const auto j = t + static_cast<std::size_t>(cur.next_below(RATERS - t));
      std::swap(pool[t], pool[j]);
      const std::uint32_t r = pool[t];
      double v = cur.next_unit();
      std::size_t l = 0;
      while (l + 1 < K && v >= s.confusion[r](static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(l)))
        v -= s.confusion[r](static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(l++));
      s.votes.add(static_cast<std::uint32_t>(i), r, static_cast<std::uint32_t>(l));
    }
  }
  return s;
}

double accuracy(const std::vector<std::int64_t>& labels, const std::vector<std::int64_t>& truth) {
  std::size_t ok = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) ok += labels[i] == truth[i];
  return static_cast<double>(ok) / static_cast<double>(truth.size());
}

}  // namespace

TEST_CASE("dawid_skene: simulated crowd (500 items / 30 raters / 7 classes)", "[crowd][dawid_skene]") {
  const simulation s = simulate(20260601);
  const auto counts = disfer::vote_counts(s.votes, K);
  const double mv = accuracy(disfer::majority_vote(counts, disfer::tie_policy::lowest_index).labels, s.truth);
  disfer::dawid_skene_options o;
  o.k = K;
  const auto ds = disfer::dawid_skene(s.votes, o);
  const double em = accuracy(ds.labels, s.truth);
  WARN("majority vote accuracy " << mv << ", Dawid-Skene accuracy " << em << ", iterations " << ds.iterations);
  CHECK(ds.converged);
  CHECK(em >= mv + 0.05);
  double mae = 0;
  for (std::size_t r = 0; r < RATERS; ++r) mae += (ds.confusions[r] - s.confusion[r]).cwiseAbs().mean();
  mae /= RATERS;
  WARN("mean absolute error of the confusions " << mae);
  CHECK(mae < 0.05);
  // Posteriors are distributions; priors sum to 1; confusion rows sum to 1.
  for (Eigen::Index i = 0; i < ds.posterior.rows(); ++i) CHECK(std::fabs(ds.posterior.row(i).sum() - 1) < 1e-12);
  CHECK(std::fabs(ds.class_priors.sum() - 1) < 1e-12);
  for (const auto& m : ds.confusions)
    for (Eigen::Index c = 0; c < m.rows(); ++c) CHECK(std::fabs(m.row(c).sum() - 1) < 1e-12);
}

TEST_CASE("dawid_skene: fixed point and determinism", "[crowd][dawid_skene]") {
  const simulation s = simulate(7);
  disfer::dawid_skene_options o;
  o.k = K;
  o.tolerance = 1e-12;
  o.max_iterations = 500;
  const auto a = disfer::dawid_skene(s.votes, o);
  const auto b = disfer::dawid_skene(s.votes, o);
  CHECK(bool(a.posterior == b.posterior));  // deterministic
  // One more EM step from a converged state moves the log-likelihood by (almost) nothing.
  disfer::dawid_skene_options more = o;
  more.max_iterations = a.iterations + 1;
  more.tolerance = 0;
  const auto c = disfer::dawid_skene(s.votes, more);
  CHECK(std::fabs(c.log_likelihood - a.log_likelihood) <= 1e-9 * std::fabs(a.log_likelihood));
  CHECK((c.posterior - a.posterior).cwiseAbs().maxCoeff() < 1e-6);
  // EM never decreases the likelihood.
  double previous = -INFINITY;
  for (std::size_t it = 1; it <= 6; ++it) {
    disfer::dawid_skene_options step = o;
    step.max_iterations = it;
    step.tolerance = 0;
    const double ll = disfer::dawid_skene(s.votes, step).log_likelihood;
    CHECK(ll >= previous - 1e-9 * std::fabs(ll));
    previous = ll;
  }
}

TEST_CASE("dawid_skene: errors", "[crowd][dawid_skene][errors]") {
  CHECK_THROWS_WITH(disfer::dawid_skene(disfer::vote_table{}), Catch::Contains("dawid_skene: there are no votes"));
  disfer::vote_table v;
  v.add(0, 0, 5);
  disfer::dawid_skene_options o;
  o.k = 3;
  CHECK_THROWS_WITH(disfer::dawid_skene(v, o), Catch::Contains("dawid_skene: vote 0 (item 0) has label 5, outside 0-2"));
  const disfer::count_matrix counts = disfer::count_matrix::Ones(3, 3);
  CHECK_THROWS_WITH(disfer::dawid_skene(counts), Catch::Contains("no rater identities"));
}
