"""Crowd votes: counts against pandas.crosstab, majority vote against a rule written here, soft
labels, Dawid-Skene against a numpy EM written here, rater statistics and screening against
hand-computed figures, the committed tie case (tests/crowd/reference) and the bad-input errors."""
import json
import math
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import pytest

import disfer


def random_votes(seed, votes=2000, items=60, raters=30, k=7):
    rng = np.random.default_rng(seed)
    return rng.integers(0, items, votes), rng.integers(0, raters, votes), rng.integers(0, k, votes)


def crosstab(item, label, n_items, k):
    return (pd.crosstab(pd.Series(item, name="item"), pd.Series(label, name="label"))
            .reindex(index=range(n_items), columns=range(k), fill_value=0).to_numpy())


# ---------------------------------------------------------------------------------------------
# vote_counts

@pytest.mark.parametrize("seed,k", [(1, 7), (2, 3), (3, 2)])
def test_vote_counts_match_crosstab(seed, k):
    item, rater, label = random_votes(seed, k=k)
    n_items = int(item.max()) + 1 + 5  # five trailing items without votes
    counts = disfer.vote_counts(item, rater, label, k, n_items=n_items)
    assert counts.dtype == np.int64 and counts.shape == (n_items, k)
    np.testing.assert_array_equal(counts, crosstab(item, label, n_items, k))
    expected = np.zeros((n_items, k), np.int64)
    np.add.at(expected, (item, label), 1)
    np.testing.assert_array_equal(counts, expected)
    assert (counts[-5:] == 0).all()


def test_vote_counts_accept_series_lists_tables_and_tuples():
    item, rater, label = random_votes(4, votes=500, items=20, k=5)
    ref = crosstab(item, label, 20, 5)
    frame = pd.DataFrame({"item": item, "rater": rater, "label": label})
    np.testing.assert_array_equal(disfer.vote_counts(frame["item"], frame["rater"], frame["label"], 5), ref)
    np.testing.assert_array_equal(disfer.vote_counts(list(item), list(rater), list(label), k=5), ref)
    np.testing.assert_array_equal(
        disfer.vote_counts(item.astype(np.uint16), rater.astype(np.int8), label.astype(float), 5), ref)
    np.testing.assert_array_equal(disfer.vote_counts((item, rater, label), 5), ref)
    as_objects = [np.array(list(c), dtype=object) for c in (item, rater, label)]  # ints, not names
    np.testing.assert_array_equal(disfer.vote_counts(*as_objects, k=5), ref)
    assert disfer.VoteTable(*as_objects).item_names == []
    table = disfer.VoteTable(item, rater, label)
    assert len(table) == 500 and table.n_items == 20 and table.n_raters == int(rater.max()) + 1
    np.testing.assert_array_equal(table.label, label)
    assert table.label.dtype == np.uint32
    np.testing.assert_array_equal(disfer.vote_counts(table, 5), ref)


def test_string_ids_are_numbered_in_order_of_first_appearance():
    rng = np.random.default_rng(5)
    ids = np.array(["s%03d" % i for i in rng.permutation(40)])
    item = ids[rng.integers(0, 40, 800)]
    rater = np.array(["p%d" % r for r in rng.integers(0, 12, 800)], dtype=object)
    names = ["angry", "happy", "sad"]
    label = np.array(names)[rng.integers(0, 3, 800)]
    t = disfer.VoteTable(item, rater, label, categories=names)
    assert t.item_names == list(pd.unique(item)) and t.rater_names == list(pd.unique(rater))
    assert t.category_names == names
    ref = pd.crosstab(pd.Categorical(item, categories=pd.unique(item)),
                      pd.Categorical(label, categories=names), dropna=False).to_numpy()
    np.testing.assert_array_equal(disfer.vote_counts(t), ref)  # k from the category names
    np.testing.assert_array_equal(disfer.vote_counts(item, rater, label, categories=names), ref)


# ---------------------------------------------------------------------------------------------
# majority vote and soft labels

def hand_majority(counts, policy):
    labels, tied, winners = [], [], []
    for row in counts:
        best = row.max()
        if best == 0:
            labels.append(-1), tied.append(False), winners.append([])
            continue
        top = [int(j) for j in np.flatnonzero(row == best)]
        tied.append(len(top) > 1)
        winners.append(top)
        if len(top) == 1 or policy == "lowest_index":
            labels.append(top[0])
        else:
            labels.append(-1)
    return np.array(labels), np.array(tied), winners


def tie_heavy_counts(seed, items=3000, k=7):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 4, (items, k))  # small counts: many ties, some empty rows
    counts[:10] = 0
    counts[10:20] = [2, 2, 0, 1, 0, 0, 0][:k]
    return counts


@pytest.mark.parametrize("policy", ["lowest_index", "abstain", "all_tied", disfer.TiePolicy.abstain])
def test_majority_vote_matches_a_hand_rule(policy):
    counts = tie_heavy_counts(6)
    name = policy if isinstance(policy, str) else policy.name
    labels, tied, winners = hand_majority(counts, name)
    r = disfer.majority_vote(counts, policy)
    np.testing.assert_array_equal(r.labels, labels)
    np.testing.assert_array_equal(r.tied, tied)
    assert r.tied.dtype == np.bool_ and r.labels.dtype == np.int64
    assert r.n_ties == tied.sum() and r.n_no_vote == (counts.sum(1) == 0).sum()
    if name == "all_tied":
        assert r.winners == winners
    else:
        assert r.winners == []
    # int32, strided and float tables read the same
    assert (disfer.majority_vote(counts.astype(np.int32), policy).labels == labels).all()
    assert (disfer.majority_vote(np.asfortranarray(counts), policy).labels == labels).all()


def test_random_ties_draw_among_the_tied_reproducibly():
    counts = tie_heavy_counts(7)
    labels, tied, winners = hand_majority(counts, "abstain")
    r = disfer.majority_vote(counts, "random", seed=42)
    np.testing.assert_array_equal(r.tied, tied)
    for i in range(len(counts)):
        if tied[i]:
            assert r.labels[i] in winners[i]
        else:
            assert r.labels[i] == labels[i]
    np.testing.assert_array_equal(disfer.majority_vote(counts, "random", seed=42).labels, r.labels)
    assert (disfer.majority_vote(counts, "random", seed=43).labels != r.labels).any()
    # the draw of item i depends on (seed, i) only: changing the other rows leaves it
    changed = counts.copy()
    changed[~tied] += 1
    changed_r = disfer.majority_vote(changed, "random", seed=42)
    still = tied & disfer.majority_vote(changed, "abstain").tied
    np.testing.assert_array_equal(changed_r.labels[still & (counts == changed).all(1)],
                                  r.labels[still & (counts == changed).all(1)])
    # two-way ties split about evenly
    pair = np.tile([5, 5, 0], (4000, 1))
    share = (disfer.majority_vote(pair, "random", seed=1).labels == 0).mean()
    assert abs(share - 0.5) < 0.05


def test_majority_vote_needs_a_policy():
    with pytest.raises(TypeError):
        disfer.majority_vote(np.eye(3, dtype=int))
    with pytest.raises(disfer.Error) as e:
        disfer.majority_vote(np.eye(3, dtype=int), "first")
    assert "lowest_index" in str(e.value)


def test_soft_labels_are_counts_over_n():
    counts = tie_heavy_counts(8)
    soft = disfer.soft_labels(counts)
    n = counts.sum(1, keepdims=True)
    with np.errstate(invalid="ignore"):
        expected = counts / n
    np.testing.assert_allclose(soft[n[:, 0] > 0], expected[n[:, 0] > 0], rtol=0, atol=1e-16)
    assert np.isnan(soft[n[:, 0] == 0]).all()
    np.testing.assert_allclose(soft[n[:, 0] > 0].sum(1), 1.0, atol=1e-15)


def test_published_tie_case(source_dir):
    doc = json.loads((source_dir / "tests/crowd/reference/published_cases.json").read_text())
    case = doc["cases"][0]
    assert case["kind"] == "majority_vote"
    votes = np.array(case["input"]["votes_task_worker_label"])
    cats = ["a", "b", "c"]
    t = disfer.VoteTable(votes[:, 0], votes[:, 1], votes[:, 2], categories=cats)
    tasks = t.item_names
    counts = disfer.vote_counts(t)
    exp = case["expected"]
    soft = disfer.soft_labels(counts)
    for i, task in enumerate(tasks):
        assert list(soft[i]) == pytest.approx([exp["vote_fractions"][task][c] for c in cats], abs=1e-16)
    low = disfer.majority_vote(counts, "lowest_index")
    abstain = disfer.majority_vote(counts, "abstain")
    for i, task in enumerate(tasks):
        assert bool(low.tied[i]) == exp["is_tie"][task]
        assert cats[low.labels[i]] == exp["label_policy_smallest_label"][task]
        want = exp["label_policy_abstain_on_tie"][task]
        assert (abstain.labels[i] == -1) if want is None else (cats[abstain.labels[i]] == want)
        assert cats[low.labels[i]] == case["observed_in_references"]["pandas_idxmax_as_crowdkit_MajorityVote"][task]
    # crowd-kit's worker skills: accuracy against the (lowest_index) majority vote, own vote included
    stats = disfer.rater_statistics(t, reference=low.labels)
    skills = case["observed_in_references"]["crowdkit_worker_skills_accuracy_vs_MV"]
    for s in stats:
        assert s.accuracy == pytest.approx(skills[t.rater_names[s.rater]], abs=1e-15)


# ---------------------------------------------------------------------------------------------
# Dawid-Skene

def numpy_dawid_skene(item, rater, label, n_items, n_raters, k, iterations=100, tolerance=1e-8, floor=1e-10):
    """Dawid & Skene (1979) EM, written from the paper: vote-fraction start, M-step, log-domain E-step."""
    counts = np.zeros((n_items, k))
    np.add.at(counts, (item, label), 1)
    has = counts.sum(1) > 0
    post = np.zeros((n_items, k))
    post[has] = counts[has] / counts[has].sum(1, keepdims=True)
    previous, converged = -np.inf, False
    for it in range(1, iterations + 1):
        priors = post[has].mean(0)
        conf = np.zeros((n_raters, k, k))
        np.add.at(conf, (rater, slice(None), label), post[item])
        mass = conf.sum(2, keepdims=True)
        conf = np.where(mass > 0, conf / np.where(mass > 0, mass, 1), 1.0 / k)
        log_theta = np.where(conf > floor, np.log(np.maximum(conf, floor)), np.log(floor))
        logp = np.tile(np.where(priors > floor, np.log(np.maximum(priors, floor)), np.log(floor)), (n_items, 1))
        np.add.at(logp, item, log_theta[rater, :, label])
        top = logp[has].max(1, keepdims=True)
        e = np.exp(logp[has] - top)
        s = e.sum(1, keepdims=True)
        post[has] = e / s
        ll = float((top + np.log(s)).sum())
        if abs(ll - previous) <= tolerance * abs(ll):
            converged = True
            break
        previous = ll
    post[~has] = np.nan
    return post, priors, conf, ll, it, converged


def simulated_crowd(seed, items=150, raters=12, k=4, per_item=5):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, items)
    skill = rng.uniform(0.3, 0.95, raters)
    item, rater, label = [], [], []
    for i in range(items):
        for r in rng.choice(raters, per_item, replace=False):
            item.append(i), rater.append(r)
            label.append(truth[i] if rng.random() < skill[r] else rng.integers(0, k))
    return np.array(item), np.array(rater), np.array(label), truth


@pytest.mark.parametrize("seed,k", [(9, 4), (10, 7), (11, 2)])
def test_dawid_skene_matches_a_numpy_em(seed, k):
    item, rater, label, truth = simulated_crowd(seed, k=k)
    n_items, n_raters = item.max() + 1, rater.max() + 1
    r = disfer.dawid_skene((item, rater, label), k=k)
    post, priors, conf, ll, it, converged = numpy_dawid_skene(item, rater, label, n_items, n_raters, k)
    assert r.iterations == it and r.converged == converged
    np.testing.assert_allclose(r.posterior, post, rtol=0, atol=1e-9)
    np.testing.assert_allclose(r.class_priors, priors, rtol=0, atol=1e-9)
    assert r.confusions.shape == (n_raters, k, k)
    np.testing.assert_allclose(r.confusions, conf, rtol=0, atol=1e-9)
    assert r.log_likelihood == pytest.approx(ll, rel=1e-10)
    np.testing.assert_array_equal(r.labels, post.argmax(1))
    assert (r.labels == truth).mean() > 0.7
    assert r._fields == ("posterior", "labels", "class_priors", "confusions", "log_likelihood", "iterations",
                         "converged")


def test_dawid_skene_items_without_votes_and_options():
    item, rater, label, _ = simulated_crowd(12)
    t = disfer.VoteTable(item, rater, label, n_items=item.max() + 3)
    r = disfer.dawid_skene(t, k=4, max_iterations=3)
    assert r.iterations == 3 and not r.converged
    assert np.isnan(r.posterior[-2:]).all() and (r.labels[-2:] == -1).all()
    with pytest.raises(disfer.Error) as e:
        disfer.dawid_skene(t, max_iterations=0)
    assert e.value.function == "dawid_skene"


# ---------------------------------------------------------------------------------------------
# rater statistics, screening, participant summary

def hand_rater_stats(item, rater, label, n_raters, k, reference):
    n_items = int(item.max()) + 1
    counts = np.zeros((n_items, k), int)
    np.add.at(counts, (item, label), 1)
    own = defaultdict(lambda: np.zeros(k, int))
    first, dup = {}, Counter()
    for i, r, lab in zip(item, rater, label):
        own[r, i][lab] += 1
        if (r, i) in first:
            dup[r] += 1
        else:
            first[r, i] = lab
    out = []
    for r in range(n_raters):
        mine = [(i, lab) for (rr, i), lab in first.items() if rr == r]
        credit, n_major, correct, n_ref = 0.0, 0, 0, 0
        for i, lab in mine:
            others = counts[i] - own[r, i]
            if others.max() > 0:
                n_major += 1
                top = np.flatnonzero(others == others.max())
                credit += (lab in top) / len(top)
            if reference[i] >= 0:
                n_ref += 1
                correct += reference[i] == lab
        out.append(dict(n_items=len(mine), n_duplicate_votes=dup[r],
                        majority_agreement=credit / n_major if n_major else math.nan,
                        accuracy=correct / n_ref if n_ref else math.nan, n_majority=n_major, n_reference=n_ref))
    return out


def test_rater_statistics_match_hand_figures():
    item, rater, label, truth = simulated_crowd(13, items=80, raters=10, k=5)
    # a few duplicate submissions and items without a reference
    item = np.concatenate([item, item[:7]])
    rater = np.concatenate([rater, rater[:7]])
    label = np.concatenate([label, (label[:7] + 1) % 5])
    reference = truth.copy()
    reference[::9] = -1
    stats = disfer.rater_statistics((item, rater, label), k=5, reference=reference)
    want = hand_rater_stats(item, rater, label, 10, 5, reference)
    assert len(stats) == 10
    for s, w in zip(stats, want):
        for key, value in w.items():
            assert getattr(s, key) == pytest.approx(value, abs=1e-15, nan_ok=True), key
        assert s.n_votes == (rater == s.rater).sum()
        use = np.bincount(label[rater == s.rater], minlength=5)
        assert s.modal_label == use.argmax() and s.modal_share == pytest.approx(use.max() / use.sum())
        assert s.n_distinct_labels == (use > 0).sum()
    frame = pd.DataFrame([s.to_dict() for s in stats])
    assert list(frame.columns) == list(stats[0]._fields)


def test_screen_raters_report_and_kept_votes():
    item, rater, label, truth = simulated_crowd(14, items=100, raters=10, k=4)
    spam = np.arange(100)  # rater 10 answers 0 throughout
    item = np.concatenate([item, spam, [3, 3]])
    rater = np.concatenate([rater, np.full(100, 10), [11, 11]])  # rater 11 votes twice on item 3
    label = np.concatenate([label, np.zeros(100, int), [1, 2]])
    t = disfer.VoteTable(item, rater, label)
    s = disfer.screen_raters(t, k=4, min_majority_agreement=0.2)
    excluded = set(np.flatnonzero(s.excluded))
    assert {10, 11} <= excluded
    reasons = {e.rater: e.reason for e in s.exclusions}
    assert "single answer (label 0) over 100 votes" in reasons[10]
    assert "1 duplicate vote" in reasons[11]
    stats = disfer.rater_statistics(t, 4)
    for r in range(12):
        assert (r in excluded) == (r in (10, 11) or stats[r].majority_agreement < 0.2)
    keep = ~np.isin(rater, list(excluded))
    assert len(s.kept) == keep.sum() and s.n_votes_removed == (~keep).sum()
    np.testing.assert_array_equal(s.kept.item, item[keep])
    assert s.kept.n_items == t.n_items and s.kept.n_raters == t.n_raters
    with pytest.raises(disfer.Error) as e:
        disfer.screen_raters(t, k=4, min_accuracy=0.5)
    assert e.value.function == "screen_raters"
    s2 = disfer.screen_raters(t, k=4, min_accuracy=0.5, reference=truth.tolist() + [-1] * (t.n_items - 100),
                              exclude_single_answer=False, exclude_duplicates=False)
    assert all("accuracy" in e.reason for e in s2.exclusions)


def test_summarize_participants_matches_numpy():
    rng = np.random.default_rng(15)
    values = rng.uniform(0.4, 1.0, 37)
    values[[3, 8]] = np.nan
    s = disfer.summarize_participants(values)
    kept = values[~np.isnan(values)]
    assert s.n == 35
    assert s.mean == pytest.approx(kept.mean(), rel=1e-15)
    assert s.sd == pytest.approx(kept.std(ddof=1), rel=1e-13)
    assert s.se == pytest.approx(kept.std(ddof=1) / math.sqrt(35), rel=1e-13)
    assert (s.min, s.max) == (kept.min(), kept.max())
    assert s.sd == pytest.approx(pd.Series(values).std(), rel=1e-13)  # pandas skips NaN too
    one = disfer.summarize_participants([0.5])
    assert one.n == 1 and math.isnan(one.sd)
    with pytest.raises(disfer.Error) as e:
        disfer.summarize_participants([np.nan, np.nan])
    assert e.value.function == "summarize_participants"


# ---------------------------------------------------------------------------------------------
# errors

def expect_error(function, call, *args, **kwargs):
    with pytest.raises(disfer.Error) as e:
        call(*args, **kwargs)
    assert e.value.function == function, str(e.value)
    return e.value


@pytest.mark.parametrize("function", ["vote_counts", "dawid_skene", "rater_statistics", "screen_raters"])
def test_bad_votes_raise_disfer_error_naming_the_function(function):
    f = getattr(disfer, function)
    good = ([0, 1, 1], [0, 0, 1], [0, 1, 2])
    call = (lambda v: f(v, k=3)) if function != "vote_counts" else (lambda v: f(*v, k=3))
    call(good)
    expect_error(function, call, ([0, 1, 1], [0, 0], [0, 1, 2]))  # mismatched lengths
    expect_error(function, call, ([0, 1, 1], [0, 0, 1], [0, 1]))
    expect_error(function, call, ([0, 1, 1], [0, 0, 1], [0, -1, 2]))  # negative label
    expect_error(function, call, ([0, -1, 1], [0, 0, 1], [0, 1, 2]))  # negative item
    expect_error(function, call, ([0, 1, 1], [0, 0, -2], [0, 1, 2]))  # negative rater
    expect_error(function, call, ([0, 1, 1], [0, 0, 1], [0, 1, 3]))  # label >= k
    expect_error(function, call, ([0, 1, 1], [0, 0, 1], [0, np.nan, 2]))  # NaN label
    expect_error(function, call, ([0, 1, np.nan], [0, 0, 1], [0, 1, 2]))  # NaN item
    expect_error(function, call, ([0, 1, 1], [0, 0, 1], [0, 1.5, 2]))  # fractional label
    expect_error(function, call, ([0, 1, 1], [0, 0, 1], ["a", "b", "c"]))  # names without categories
    expect_error(function, call, (np.zeros((3, 1), int), [0, 0, 1], [0, 1, 2]))  # 2-D
    if function != "vote_counts":
        expect_error(function, f, "votes", k=3)


def test_other_bad_inputs():
    expect_error("VoteTable", disfer.VoteTable, [0, 1], [0, 0, 0], [0, 1])
    expect_error("VoteTable", disfer.VoteTable, [0, 5], [0, 0], [0, 1], n_items=3)
    expect_error("VoteTable", disfer.VoteTable, [0, 1], [0, 0], ["a", "z"], categories=["a", "b"])
    expect_error("VoteTable", disfer.VoteTable, np.array(["x", None], dtype=object), [0, 0], [0, 1])
    expect_error("vote_counts", disfer.vote_counts, [0, 1], [0, 0], [0, 1])  # no k, no categories
    expect_error("vote_counts", disfer.vote_counts, [0, 1], [0, 0], [0, 1], k=1)
    expect_error("rater_statistics", disfer.rater_statistics, ([0, 1], [0, 0], [0, 1]), k=2, reference=[0])
    expect_error("rater_statistics", disfer.rater_statistics, ([0, 1], [0, 0], [0, 1]), k=2, reference=[0, 2])
    for name in ("majority_vote", "soft_labels"):
        f = getattr(disfer, name)
        args = ("abstain",) if name == "majority_vote" else ()
        expect_error(name, f, np.array([[1, -1], [2, 0]]), *args)  # negative count
        expect_error(name, f, np.array([[1.0, np.nan], [2, 0]]), *args)  # NaN count
        expect_error(name, f, np.array([[1.5, 0], [2, 0]]), *args)  # fractional
        expect_error(name, f, np.zeros((0, 3), int), *args)  # empty
        expect_error(name, f, np.ones((3, 1), int), *args)  # k < 2
        expect_error(name, f, np.ones(3, int), *args)  # 1-D
    expect_error("dawid_skene", disfer.dawid_skene, ([], [], []), k=3)  # no votes
    expect_error("summarize_participants", disfer.summarize_participants, [])
    expect_error("summarize_participants", disfer.summarize_participants, ["a"])
