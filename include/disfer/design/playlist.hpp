#pragma once
/// \file
/// Balanced playlists (Lévêque et al. 2022, section 3.2: 21 playlists of 40 images, each holding
/// the same numbers of every configuration) and per-participant presentation orders.
///
/// The rule, for N stimuli into P playlists of L = N / P:
///   - every stimulus is in exactly one playlist, and every playlist holds L stimuli;
///   - for each of the families source, condition, distortion kind, emotion, (emotion, kind) and
///     (emotion, condition), every category with n stimuli appears floor(n / P) or ceil(n / P)
///     times in every playlist. For a source (at most P versions) that means at most once.
/// For DisFER (84 sources x 10 conditions, 21 x 40): exactly 4 per condition (12 per distortion
/// kind, 4 originals), 5 or 6 per emotion, 1 or 2 per (emotion, kind), at most 1 per
/// (emotion, condition), no source twice.
///
/// Construction: stimuli are dealt round-robin in a seeded order (emotion, then source, then a
/// seeded permutation of the conditions), which meets the source and emotion rules, then a seeded
/// local search swaps stimuli between playlists (moves that never increase the total violation,
/// with rare uphill moves) until no rule is violated; it restarts from a new seeded order if it
/// stalls. Everything is a pure function of (stimuli, P, L, seed).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/core/random.hpp"
#include "disfer/design/stimulus.hpp"
#include "disfer/image/distortion.hpp"
#include "disfer/io/csv.hpp"

namespace disfer {

/// Playlists: `playlists[p]` lists indices into the stimuli vector given to make_playlists,
/// ascending.
struct playlist_set {
  std::vector<std::vector<std::size_t>> playlists;
  std::uint64_t seed = 0;
  std::size_t restarts = 0;  ///< restarts the search needed (0 = the first attempt succeeded)
};

/// Options of make_playlists.
struct playlist_options {
  std::size_t max_restarts = 50;             ///< attempts before giving up
  std::uint64_t moves_per_restart = 400000;  ///< swap proposals per attempt
};

/// One violated rule, as check_playlists reports it.
struct playlist_violation {
  std::string
      rule;  ///< "coverage", "size", "source", "condition", "kind", "emotion", "emotion x kind", "emotion x condition"
  std::size_t playlist;  ///< the playlist (or the stimulus index for "coverage")
  std::string category;  ///< e.g. "happy / GN 20"
  std::size_t count;     ///< how many the playlist holds
  std::size_t min, max;  ///< what the rule allows
  std::string message;   ///< a sentence saying all of the above
};

/// What check_playlists returns.
struct playlist_check {
  bool ok = true;
  std::vector<playlist_violation> violations;
};

namespace detail {

// The six families of categories, as small integer ids per stimulus.
struct playlist_categories {
  static constexpr std::size_t families = 6;
  static constexpr const char* family_name[families] = {"source",  "condition",      "kind",
                                                        "emotion", "emotion x kind", "emotion x condition"};
  std::vector<std::array<std::size_t, families>> of;  // per stimulus
  std::array<std::vector<std::string>, families> names;
  std::array<std::vector<std::size_t>, families> totals;

  explicit playlist_categories(const std::vector<stimulus>& stimuli) {
    // Integer keys first (a condition is its kind and level; the level of none is ignored); the
    // names are built once per category.
    std::map<std::size_t, std::size_t> sources;
    std::map<std::pair<int, double>, std::size_t> conditions;
    std::vector<distortion> condition_values;
    std::array<std::map<std::pair<std::size_t, std::size_t>, std::size_t>, families> ids;
    of.resize(stimuli.size());
    for (std::size_t i = 0; i < stimuli.size(); ++i) {
      const auto& s = stimuli[i];
      const int kind = static_cast<int>(s.condition.kind);
      const auto cond_key = std::make_pair(kind, s.condition.kind == distortion_kind::none ? 0.0 : s.condition.level);
      auto [cit, cnew] = conditions.emplace(cond_key, condition_values.size());
      if (cnew) condition_values.push_back(s.condition);
      const std::size_t c = cit->second, k = static_cast<std::size_t>(kind), e = index_of(s.label);
      const std::pair<std::size_t, std::size_t> keys[families] = {{s.source_id, 0}, {c, 0}, {k, 0},
                                                                  {e, 0},           {e, k}, {e, c}};
      for (std::size_t f = 0; f < families; ++f) {
        auto [it, fresh] = ids[f].emplace(keys[f], names[f].size());
        if (fresh) {
          const std::string en(name(s.label)), kn = name(s.condition.kind), cn = disfer::label(s.condition);
          const std::string text[families] = {
              "source " + std::to_string(s.source_id), cn, kn, en, en + " / " + kn, en + " / " + cn};
          names[f].push_back(text[f]);
          totals[f].push_back(0);
        }
        of[i][f] = it->second;
        ++totals[f][it->second];
      }
    }
  }
};

}  // namespace detail

/// Checks `sets` against every rule of the file comment for `stimuli` and reports every violation
/// (none: ok). Also reports stimuli missing or repeated, indices out of range, and playlists of
/// unequal size. Complexity O(N + P x categories).
inline playlist_check check_playlists(const std::vector<stimulus>& stimuli, const playlist_set& sets) {
  playlist_check out;
  const std::size_t n = stimuli.size(), P = sets.playlists.size();
  auto add = [&](std::string rule, std::size_t p, std::string cat, std::size_t count, std::size_t lo, std::size_t hi,
                 std::string msg) {
    out.ok = false;
    out.violations.push_back(playlist_violation{std::move(rule), p, std::move(cat), count, lo, hi, std::move(msg)});
  };
  if (P == 0) {
    add("size", 0, "", 0, 1, 1, "check_playlists: no playlists");
    return out;
  }
  std::vector<std::size_t> seen(n, 0);
  for (std::size_t p = 0; p < P; ++p)
    for (std::size_t i : sets.playlists[p]) {
      if (i >= n) {
        add("coverage", i, "", 0, 0, 0,
            detail::concat("check_playlists: playlist ", p, " holds index ", i, ", but there are ", n, " stimuli"));
        continue;
      }
      ++seen[i];
    }
  for (std::size_t i = 0; i < n; ++i)
    if (seen[i] != 1)
      add("coverage", i, stimuli[i].id, seen[i], 1, 1,
          detail::concat("check_playlists: stimulus ", stimuli[i].id, " is in ", seen[i], " playlists, expected 1"));
  const std::size_t L = n / P;
  for (std::size_t p = 0; p < P; ++p)
    if (sets.playlists[p].size() != L || n % P != 0)
      add("size", p, "", sets.playlists[p].size(), L, (n + P - 1) / P,
          detail::concat("check_playlists: playlist ", p, " holds ", sets.playlists[p].size(), " stimuli; ", n,
                         " stimuli into ", P, " playlists need ", n % P ? "equal sizes, impossible" : "",
                         n % P ? "" : std::to_string(L), " each"));
  const detail::playlist_categories cats(stimuli);
  for (std::size_t f = 0; f < cats.families; ++f) {
    const std::size_t C = cats.names[f].size();
    for (std::size_t p = 0; p < P; ++p) {
      std::vector<std::size_t> count(C, 0);
      for (std::size_t i : sets.playlists[p])
        if (i < n) ++count[cats.of[i][f]];
      for (std::size_t c = 0; c < C; ++c) {
        const std::size_t lo = cats.totals[f][c] / P, hi = (cats.totals[f][c] + P - 1) / P;
        if (count[c] < lo || count[c] > hi)
          add(cats.family_name[f], p, cats.names[f][c], count[c], lo, hi,
              detail::concat("check_playlists: playlist ", p, " holds ", count[c], " of ", cats.family_name[f], " '",
                             cats.names[f][c], "' (", cats.totals[f][c], " in all), allowed ", lo,
                             lo == hi ? "" : detail::concat("-", hi)));
      }
    }
  }
  return out;
}

/// Assigns `stimuli` to `n_playlists` playlists of `playlist_size` meeting every rule of the file
/// comment, seeded. Throws disfer::error when the shape fails a counting condition (no stimuli,
/// zero playlists or size, N != n_playlists x playlist_size, a source with more versions than
/// playlists, a repeated stimulus id), or, if the search exhausts options.max_restarts on a shape
/// that passes them, says that the search failed (which does not prove no design exists).
/// Complexity: O(N log N) per attempt plus up to options.moves_per_restart O(1) swap proposals.
inline playlist_set make_playlists(const std::vector<stimulus>& stimuli, std::size_t n_playlists,
                                   std::size_t playlist_size, std::uint64_t seed,
                                   const playlist_options& options = {}) {
  const char* fn = "make_playlists";
  const std::size_t N = stimuli.size(), P = n_playlists, L = playlist_size;
  if (N == 0) detail::fail(fn, "no stimuli");
  if (P == 0 || L == 0) detail::fail(fn, "n_playlists and playlist_size must be positive (got ", P, " and ", L, ")");
  if (N != P * L)
    detail::fail(fn, "sizes do not add up: ", N, " stimuli cannot fill ", P, " playlists of ", L, " (", P * L,
                 " places); every stimulus must be in exactly one playlist");
  {
    std::map<std::string, std::size_t> ids;
    for (std::size_t i = 0; i < N; ++i)
      if (!ids.emplace(stimuli[i].id, i).second)
        detail::fail(fn, "stimuli ", ids[stimuli[i].id], " and ", i, " have the same id '", stimuli[i].id, "'");
  }
  const detail::playlist_categories cats(stimuli);
  for (std::size_t s = 0; s < cats.names[0].size(); ++s)
    if (cats.totals[0][s] > P)
      detail::fail(fn, cats.names[0][s], " has ", cats.totals[0][s], " versions but there are only ", P,
                   " playlists: it would appear twice in a playlist");

  constexpr std::size_t F = detail::playlist_categories::families;
  std::array<std::vector<long>, F> lo, hi;
  std::array<std::size_t, F> ncat{};
  for (std::size_t f = 0; f < F; ++f) {
    ncat[f] = cats.names[f].size();
    for (std::size_t c = 0; c < ncat[f]; ++c) {
      lo[f].push_back(static_cast<long>(cats.totals[f][c] / P));
      hi[f].push_back(static_cast<long>((cats.totals[f][c] + P - 1) / P));
    }
  }
  auto penalty = [&](std::size_t f, std::size_t c, long v) {
    return v > hi[f][c] ? v - hi[f][c] : (v < lo[f][c] ? lo[f][c] - v : 0);
  };

  // Stimuli of each category (fixed), for proposals that bring a missing category in.
  std::array<std::vector<std::vector<std::size_t>>, F> members_of;
  for (std::size_t f = 0; f < F; ++f) {
    members_of[f].resize(ncat[f]);
    for (std::size_t i = 0; i < N; ++i) members_of[f][cats.of[i][f]].push_back(i);
  }
  // Kinds and conditions as small ids, for the interleaved initial shifts.
  const std::size_t n_kinds = ncat[2], n_conditions = ncat[1];
  std::vector<std::size_t> kind_of_condition(n_conditions, 0);
  for (std::size_t i = 0; i < N; ++i) kind_of_condition[cats.of[i][1]] = cats.of[i][2];

  for (std::size_t attempt = 0; attempt < options.max_restarts; ++attempt) {
    random_cursor rng(stream_key{seed, attempt, purpose::playlist});
    // Initial assignment, the cyclic construction: sources in a seeded emotion-major order get
    // ranks r = 0..S-1; stimulus (source, condition) goes to playlist (r + d_condition) mod P,
    // with the shifts d spread evenly over [0, P) and the kinds interleaved (conditions ordered by
    // their seeded rank within their kind, then by seeded kind order). Each condition and each
    // (emotion, condition) then covers consecutive playlists, a source never repeats while the
    // shifts differ, and emotions and kinds come out nearly even; the search repairs the rest.
    std::vector<std::uint64_t> emotion_key(ncat[3]), source_key(ncat[0]), condition_key(n_conditions),
        kind_key(n_kinds);
    for (auto& r : emotion_key) r = rng.next_u64();
    for (auto& r : source_key) r = rng.next_u64();
    for (auto& r : condition_key) r = rng.next_u64();
    for (auto& r : kind_key) r = rng.next_u64();
    std::vector<std::size_t> emotion_of_source(ncat[0], 0);
    for (std::size_t i = 0; i < N; ++i) emotion_of_source[cats.of[i][0]] = cats.of[i][3];
    std::vector<std::size_t> source_order(ncat[0]);
    for (std::size_t s = 0; s < ncat[0]; ++s) source_order[s] = s;
    std::sort(source_order.begin(), source_order.end(), [&](std::size_t a, std::size_t b) {
      const std::size_t ea = emotion_of_source[a], eb = emotion_of_source[b];
      return std::make_tuple(emotion_key[ea], ea, source_key[a], a) <
             std::make_tuple(emotion_key[eb], eb, source_key[b], b);
    });
    std::vector<std::size_t> source_rank(ncat[0]);
    for (std::size_t r = 0; r < ncat[0]; ++r) source_rank[source_order[r]] = r;
    // Rank of each condition within its kind.
    std::vector<std::size_t> within(n_conditions, 0);
    for (std::size_t a = 0; a < n_conditions; ++a)
      for (std::size_t b = 0; b < n_conditions; ++b)
        if (kind_of_condition[a] == kind_of_condition[b] &&
            std::make_pair(condition_key[b], b) < std::make_pair(condition_key[a], a))
          ++within[a];
    std::vector<std::size_t> condition_order(n_conditions);
    for (std::size_t c = 0; c < n_conditions; ++c) condition_order[c] = c;
    std::sort(condition_order.begin(), condition_order.end(), [&](std::size_t a, std::size_t b) {
      const std::size_t ka = kind_of_condition[a], kb = kind_of_condition[b];
      return std::make_tuple(within[a], kind_key[ka], ka) < std::make_tuple(within[b], kind_key[kb], kb);
    });
    const std::size_t offset = static_cast<std::size_t>(rng.next_below(P));
    std::vector<std::size_t> shift(n_conditions);
    for (std::size_t k = 0; k < n_conditions; ++k) shift[condition_order[k]] = (offset + k * P / n_conditions) % P;

    std::vector<std::size_t> where(N);
    std::vector<std::vector<std::size_t>> members(P);
    for (std::size_t i = 0; i < N; ++i) {
      where[i] = (source_rank[cats.of[i][0]] + shift[cats.of[i][1]]) % P;
      members[where[i]].push_back(i);
    }
    // counts[f][c * P + p]
    std::array<std::vector<long>, F> counts;
    for (std::size_t f = 0; f < F; ++f) {
      counts[f].assign(ncat[f] * P, 0);
      for (std::size_t i = 0; i < N; ++i) ++counts[f][cats.of[i][f] * P + where[i]];
    }
    // Sizes: move stimuli from playlists above L to playlists below it (only when P does not
    // divide the number of sources), each time the stimulus whose move costs least.
    auto move_cost = [&](std::size_t i, std::size_t q) {
      const std::size_t p = where[i];
      long d = 0;
      for (std::size_t f = 0; f < F; ++f) {
        const std::size_t a = cats.of[i][f];
        const long ap = counts[f][a * P + p], aq = counts[f][a * P + q];
        d += penalty(f, a, ap - 1) - penalty(f, a, ap) + penalty(f, a, aq + 1) - penalty(f, a, aq);
      }
      return d;
    };
    for (std::size_t p = 0; p < P; ++p)
      while (members[p].size() > L) {
        std::size_t best_i = 0, best_q = P, best_k = 0;
        long best = 0;
        for (std::size_t q = 0; q < P; ++q) {
          if (members[q].size() >= L) continue;
          for (std::size_t k = 0; k < members[p].size(); ++k) {
            const long d = move_cost(members[p][k], q);
            if (best_q == P || d < best) best = d, best_i = members[p][k], best_q = q, best_k = k;
          }
        }
        for (std::size_t f = 0; f < F; ++f) {
          --counts[f][cats.of[best_i][f] * P + p];
          ++counts[f][cats.of[best_i][f] * P + best_q];
        }
        members[p].erase(members[p].begin() + static_cast<std::ptrdiff_t>(best_k));
        members[best_q].push_back(best_i);
        where[best_i] = best_q;
      }
    std::vector<std::size_t> slot(N);
    for (std::size_t p = 0; p < P; ++p)
      for (std::size_t k = 0; k < members[p].size(); ++k) slot[members[p][k]] = k;

    // Violated cells, kept as a list with positions for O(1) updates.
    std::array<std::size_t, F + 1> cell_base{};
    for (std::size_t f = 0; f < F; ++f) cell_base[f + 1] = cell_base[f] + ncat[f] * P;
    std::vector<std::size_t> bad;
    std::vector<std::size_t> bad_pos(cell_base[F], N + cell_base[F]);
    const std::size_t absent = N + cell_base[F];
    long cost = 0;
    auto refresh = [&](std::size_t f, std::size_t cell) {
      const std::size_t id = cell_base[f] + cell;
      const bool violated = penalty(f, cell / P, counts[f][cell]) > 0;
      if (violated && bad_pos[id] == absent) {
        bad_pos[id] = bad.size();
        bad.push_back(id);
      } else if (!violated && bad_pos[id] != absent) {
        const std::size_t last = bad.back();
        bad[bad_pos[id]] = last;
        bad_pos[last] = bad_pos[id];
        bad.pop_back();
        bad_pos[id] = absent;
      }
    };
    for (std::size_t f = 0; f < F; ++f)
      for (std::size_t cell = 0; cell < ncat[f] * P; ++cell) {
        cost += penalty(f, cell / P, counts[f][cell]);
        refresh(f, cell);
      }
    // Swapping i (in p) and j (in q): the change of the total violation.
    auto delta = [&](std::size_t i, std::size_t j) {
      const std::size_t p = where[i], q = where[j];
      long d = 0;
      for (std::size_t f = 0; f < F; ++f) {
        const std::size_t a = cats.of[i][f], b = cats.of[j][f];
        if (a == b) continue;
        const long ap = counts[f][a * P + p], aq = counts[f][a * P + q], bp = counts[f][b * P + p],
                   bq = counts[f][b * P + q];
        d += penalty(f, a, ap - 1) - penalty(f, a, ap) + penalty(f, a, aq + 1) - penalty(f, a, aq);
        d += penalty(f, b, bq - 1) - penalty(f, b, bq) + penalty(f, b, bp + 1) - penalty(f, b, bp);
      }
      return d;
    };
    auto swap_items = [&](std::size_t i, std::size_t j) {
      const std::size_t p = where[i], q = where[j];
      for (std::size_t f = 0; f < F; ++f) {
        const std::size_t a = cats.of[i][f], b = cats.of[j][f];
        if (a == b) continue;
        --counts[f][a * P + p];
        ++counts[f][a * P + q];
        --counts[f][b * P + q];
        ++counts[f][b * P + p];
        refresh(f, a * P + p);
        refresh(f, a * P + q);
        refresh(f, b * P + q);
        refresh(f, b * P + p);
      }
      std::swap(members[p][slot[i]], members[q][slot[j]]);
      std::swap(slot[i], slot[j]);
      where[i] = q;
      where[j] = p;
    };
    // Proposals from a random violated cell (f, c, p): above its maximum, a stimulus of c in p
    // swaps with a random stimulus elsewhere; below its minimum, a stimulus of c elsewhere swaps
    // with a random stimulus of p. Accepted when the violation does not grow (rarely when it does).
    for (std::uint64_t move = 0; cost > 0 && move < options.moves_per_restart; ++move) {
      const std::size_t id = bad[static_cast<std::size_t>(rng.next_below(bad.size()))];
      std::size_t f = 0;
      while (id >= cell_base[f + 1]) ++f;
      const std::size_t cell = id - cell_base[f], c = cell / P, p = cell % P;
      std::size_t i, j;
      if (counts[f][cell] > hi[f][c]) {
        const auto& m = members[p];
        const std::size_t s0 = static_cast<std::size_t>(rng.next_below(m.size()));
        i = m[s0];
        for (std::size_t t = 0; t < m.size() && cats.of[i][f] != c; ++t) i = m[(s0 + t) % m.size()];
        j = static_cast<std::size_t>(rng.next_below(N));
      } else {
        const auto& pool = members_of[f][c];
        j = pool[static_cast<std::size_t>(rng.next_below(pool.size()))];
        i = members[p][static_cast<std::size_t>(rng.next_below(members[p].size()))];
      }
      if (where[i] == where[j] || cats.of[i][f] == cats.of[j][f]) continue;
      const long d = delta(i, j);
      bool accept = d <= 0;
      if (d == 1) accept = rng.next_below(32) == 0;
      if (d == 2) accept = rng.next_below(1024) == 0;
      if (accept) {
        swap_items(i, j);
        cost += d;
      }
    }
    if (cost == 0) {
      playlist_set out;
      out.seed = seed;
      out.restarts = attempt;
      out.playlists = std::move(members);
      for (auto& m : out.playlists) std::sort(m.begin(), m.end());
      return out;
    }
  }
  detail::fail(fn, "the search failed to balance ", N, " stimuli into ", P, " playlists of ", L, " after ",
               options.max_restarts, " restarts of ", options.moves_per_restart,
               " moves (this does not prove that no balanced design exists; try another seed or more restarts)");
}

/// Writes the playlists as CSV: playlist, position (0-based, ascending stimulus index), id,
/// source_id, fer2013_row, label (FER-2013 index), emotion, distortion, level, condition.
inline void write_playlists_csv(std::ostream& out, const std::vector<stimulus>& stimuli, const playlist_set& sets) {
  write_csv_row(out, {"playlist", "position", "id", "source_id", "fer2013_row", "label", "emotion", "distortion",
                      "level", "condition"});
  for (std::size_t p = 0; p < sets.playlists.size(); ++p)
    for (std::size_t k = 0; k < sets.playlists[p].size(); ++k) {
      const std::size_t i = sets.playlists[p][k];
      if (i >= stimuli.size())
        detail::fail("write_playlists_csv", "playlist ", p, " holds index ", i, ", but there are ", stimuli.size(),
                     " stimuli");
      const auto& s = stimuli[i];
      write_csv_row(out, {std::to_string(p), std::to_string(k), s.id, std::to_string(s.source_id),
                          std::to_string(s.fer2013_row), std::to_string(index_of(s.label)), std::string(name(s.label)),
                          name(s.condition.kind), detail::shortest(s.condition.level), disfer::label(s.condition)});
    }
}

/// The order in which participant `participant` of playlist `playlist` sees it: a Fisher-Yates
/// shuffle (core shuffle) of the playlist's stimulus indices with stream_key{seed,
/// playlist x 2^32 + participant, purpose::presentation_order}. Throws disfer::error for a
/// playlist out of range or a participant >= 2^32.
inline std::vector<std::size_t> presentation_order(const playlist_set& sets, std::size_t playlist,
                                                   std::uint64_t participant, std::uint64_t seed) {
  if (playlist >= sets.playlists.size())
    detail::fail("presentation_order", "playlist ", playlist, " out of range (", sets.playlists.size(), " playlists)");
  if (participant >> 32) detail::fail("presentation_order", "participant ", participant, " exceeds 2^32 - 1");
  std::vector<std::size_t> order = sets.playlists[playlist];
  shuffle(order,
          stream_key{seed, (static_cast<std::uint64_t>(playlist) << 32) | participant, purpose::presentation_order});
  return order;
}

/// Writes `participants_per_playlist` presentation orders per playlist as CSV for a survey
/// platform: participant (playlist x participants_per_playlist + k), playlist, position, id.
inline void write_presentation_orders(std::ostream& out, const std::vector<stimulus>& stimuli, const playlist_set& sets,
                                      std::size_t participants_per_playlist, std::uint64_t seed) {
  write_csv_row(out, {"participant", "playlist", "position", "id"});
  for (std::size_t p = 0; p < sets.playlists.size(); ++p)
    for (std::size_t k = 0; k < participants_per_playlist; ++k) {
      const auto order = presentation_order(sets, p, k, seed);
      for (std::size_t pos = 0; pos < order.size(); ++pos) {
        if (order[pos] >= stimuli.size())
          detail::fail("write_presentation_orders", "playlist ", p, " holds index ", order[pos], ", but there are ",
                       stimuli.size(), " stimuli");
        write_csv_row(out, {std::to_string(p * participants_per_playlist + k), std::to_string(p), std::to_string(pos),
                            stimuli[order[pos]].id});
      }
    }
}

}  // namespace disfer
