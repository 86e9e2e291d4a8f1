#pragma once
/// \file
/// Dawid & Skene (1979) latent-class EM: true labels and per-rater confusion matrices from votes.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <Eigen/Core>

#include "disfer/agreement/count_table.hpp"
#include "disfer/crowd/votes.hpp"

namespace disfer {

/// Options of dawid_skene.
struct dawid_skene_options {
  std::size_t k = 0;                 ///< categories; 0: category_names.size(), else the largest label + 1
  std::size_t max_iterations = 100;  ///< EM iterations at most (crowd-kit: 100)
  double tolerance = 1e-8;           ///< stop when |change of log-likelihood| <= tolerance * |log-likelihood|
  double probability_floor = 1e-10;  ///< confusion probabilities are floored here before the log (crowd-kit: 1e-10)
};

/// Result of dawid_skene.
struct dawid_skene_result {
  Eigen::MatrixXd posterior;         ///< items x k: P(true class = c | votes); NaN rows for items without votes
  std::vector<std::int64_t> labels;  ///< argmax of each row (lowest index on exact ties), -1 without votes
  Eigen::VectorXd class_priors;      ///< estimated class proportions
  std::vector<Eigen::MatrixXd>
      confusions;  ///< per rater, k x k, row c = true class, column l = given label; rows sum to 1
  double log_likelihood = std::numeric_limits<double>::quiet_NaN();  ///< observed-data log-likelihood at the end
  std::size_t iterations = 0;                                        ///< EM iterations run
  bool converged = false;                                            ///< the tolerance was met before max_iterations
};

/// Dawid-Skene EM (Dawid & Skene 1979, Appl. Statist. 28:20-28) on votes with rater identities.
/// Initialisation: majority-vote fractions (soft labels) as posteriors. M-step: class priors =
/// mean posterior; rater r's confusion row c = sum over r's votes of posterior(i, c) at label l,
/// normalised (a row with no mass is uniform). E-step in the log domain with a per-item max shift:
/// log post(i, c) = log prior_c + sum over i's votes log max(theta_r(c, l), floor). Stops when the
/// observed-data log-likelihood changes by at most tolerance * |log-likelihood| or after
/// max_iterations; the result holds the last E-step's posteriors and the M-step parameters they
/// came from. Every vote needs its rater: a count table is not enough (there is deliberately no
/// count-table overload; see dawid_skene(const count_matrix&, ...)).
/// Complexity O(iterations (votes k + items k + raters k^2)); memory O(items k + raters k^2).
/// Throws disfer::error (named `dawid_skene`) for no votes, k < 2, a label >= k, bad indices, or
/// max_iterations = 0. EM finds a local maximum: results can depend on the initialisation.
inline dawid_skene_result dawid_skene(const vote_table& votes, const dawid_skene_options& options = {}) {
  constexpr const char* fn = "dawid_skene";
  if (votes.size() == 0) detail::fail(fn, "there are no votes");
  if (options.max_iterations == 0) detail::fail(fn, "max_iterations is 0");
  std::size_t k = options.k;
  if (k == 0) k = votes.category_names.size();
  if (k == 0) k = std::size_t{*std::max_element(votes.label.begin(), votes.label.end())} + 1;
  detail::check_votes(fn, votes, k);
  const auto N = static_cast<Eigen::Index>(votes.n_items);
  const auto K = static_cast<Eigen::Index>(k);
  const std::size_t R = votes.n_raters;

  const count_matrix counts = detail::vote_counts_as(votes, k, fn);
  std::vector<std::uint8_t> has_vote(static_cast<std::size_t>(N), 0);
  Eigen::MatrixXd post = Eigen::MatrixXd::Zero(N, K);
  std::size_t voted = 0;
  for (Eigen::Index i = 0; i < N; ++i) {
    const double n = static_cast<double>(counts.row(i).sum());
    if (n == 0) continue;
    has_vote[static_cast<std::size_t>(i)] = 1;
    ++voted;
    for (Eigen::Index c = 0; c < K; ++c) post(i, c) = static_cast<double>(counts(i, c)) / n;
  }

  dawid_skene_result r;
  r.confusions.assign(R, Eigen::MatrixXd::Zero(K, K));
  r.class_priors = Eigen::VectorXd::Zero(K);
  std::vector<Eigen::MatrixXd> log_theta(R, Eigen::MatrixXd::Zero(K, K));
  Eigen::MatrixXd logp(N, K);
  double previous = -std::numeric_limits<double>::infinity();
  const double log_floor = std::log(options.probability_floor);

  for (std::size_t it = 1; it <= options.max_iterations; ++it) {
    // M-step.
    r.class_priors.setZero();
    for (Eigen::Index i = 0; i < N; ++i)
      if (has_vote[static_cast<std::size_t>(i)]) r.class_priors += post.row(i).transpose();
    r.class_priors /= static_cast<double>(voted);
    for (auto& m : r.confusions) m.setZero();
    for (std::size_t v = 0; v < votes.size(); ++v) {
      auto& m = r.confusions[votes.rater[v]];
      const Eigen::Index i = votes.item[v], l = votes.label[v];
      for (Eigen::Index c = 0; c < K; ++c) m(c, l) += post(i, c);
    }
    for (std::size_t rr = 0; rr < R; ++rr) {
      auto& m = r.confusions[rr];
      for (Eigen::Index c = 0; c < K; ++c) {
        const double s = m.row(c).sum();
        if (s > 0)
          m.row(c) /= s;
        else
          m.row(c).setConstant(1.0 / static_cast<double>(K));
        for (Eigen::Index l = 0; l < K; ++l)
          log_theta[rr](c, l) = m(c, l) > options.probability_floor ? std::log(m(c, l)) : log_floor;
      }
    }
    // E-step (log domain).
    for (Eigen::Index c = 0; c < K; ++c) {
      const double pc = r.class_priors[c];
      logp.col(c).setConstant(pc > options.probability_floor ? std::log(pc) : log_floor);
    }
    for (std::size_t v = 0; v < votes.size(); ++v) {
      const auto& lt = log_theta[votes.rater[v]];
      const Eigen::Index i = votes.item[v], l = votes.label[v];
      for (Eigen::Index c = 0; c < K; ++c) logp(i, c) += lt(c, l);
    }
    double ll = 0;
    for (Eigen::Index i = 0; i < N; ++i) {
      if (!has_vote[static_cast<std::size_t>(i)]) continue;
      const double mx = logp.row(i).maxCoeff();
      double s = 0;
      for (Eigen::Index c = 0; c < K; ++c) {
        post(i, c) = std::exp(logp(i, c) - mx);
        s += post(i, c);
      }
      post.row(i) /= s;
      ll += mx + std::log(s);
    }
    r.iterations = it;
    r.log_likelihood = ll;
    if (std::fabs(ll - previous) <= options.tolerance * std::fabs(ll)) {
      r.converged = true;
      break;
    }
    previous = ll;
  }

  r.labels.assign(static_cast<std::size_t>(N), -1);
  for (Eigen::Index i = 0; i < N; ++i) {
    if (!has_vote[static_cast<std::size_t>(i)]) {
      post.row(i).setConstant(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    Eigen::Index best = 0;
    for (Eigen::Index c = 1; c < K; ++c)
      if (post(i, c) > post(i, best)) best = c;
    r.labels[static_cast<std::size_t>(i)] = best;
  }
  r.posterior = std::move(post);
  return r;
}

/// Always throws: Dawid-Skene needs to know which rater gave which vote, and a count table (such
/// as the published FER+ votes) has lost that. Use majority_vote / soft_labels on counts, or
/// dawid_skene on a vote_table read with read_votes_csv.
template <class Derived>
[[noreturn]] dawid_skene_result dawid_skene(const Eigen::MatrixBase<Derived>& counts, const dawid_skene_options& = {}) {
  detail::fail("dawid_skene", "a count table (", counts.rows(), " x ", counts.cols(),
               ") has no rater identities; Dawid-Skene needs votes in long form (stimulus, rater, label): "
               "read them with read_votes_csv, or use majority_vote/soft_labels on counts");
}

}  // namespace disfer
