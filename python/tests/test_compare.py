"""Borji & Itti's off-diagonal correlation against scipy.stats.pearsonr (off-diagonal cells taken
independently here) and the committed references under tests/compare/reference; the per-condition
analysis against statsmodels/scipy recomputations of its pieces; the bad-input errors."""
import json
import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats import contingency_tables as ct
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

import disfer


def off_diagonal(m):
    m = np.asarray(m, dtype=float)
    return m[~np.eye(m.shape[0], dtype=bool)]


def normalise(m, how):
    m = np.asarray(m, dtype=float)
    if how == "row":
        return m / m.sum(axis=1, keepdims=True)
    if how == "column":
        return m / m.sum(axis=0, keepdims=True)
    if how == "total":
        return m / m.sum()
    return m


def random_pair(rng, k, scale=30):
    a = rng.integers(0, scale, (k, k)) + np.diag(rng.integers(50, 200, k))
    b = np.maximum(0, a + rng.integers(-scale // 2, scale // 2 + 1, (k, k)))
    return a, b


@pytest.mark.parametrize("k", [3, 4, 7, 10])
@pytest.mark.parametrize("how", ["none", "row", "column", "total"])
def test_off_diagonal_correlation_matches_scipy_pearsonr(k, how):
    rng = np.random.default_rng(100 + k)
    a, b = random_pair(rng, k)
    r = disfer.off_diagonal_correlation(a, b, how=how, level=0.9)
    ref = stats.pearsonr(off_diagonal(normalise(a, how)), off_diagonal(normalise(b, how)))
    assert r.n_cells == k * (k - 1)
    assert r.r == pytest.approx(ref.statistic, rel=1e-12, abs=1e-15)
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)
    ci = ref.confidence_interval(confidence_level=0.9)
    assert (r.ci_low, r.ci_high) == (pytest.approx(ci.low, rel=1e-12), pytest.approx(ci.high, rel=1e-12))
    assert r.level == 0.9
    # order of cells does not matter: a common permutation of the categories leaves r unchanged
    perm = rng.permutation(k)
    assert disfer.off_diagonal_correlation(a[perm][:, perm], b[perm][:, perm], how).r == pytest.approx(r.r, rel=1e-12)


def test_off_diagonal_correlation_accepts_enum_int32_and_strided():
    rng = np.random.default_rng(3)
    a, b = random_pair(rng, 7)
    r = disfer.off_diagonal_correlation(a, b, "row")
    assert disfer.off_diagonal_correlation(a.astype(np.int32), b.T.copy().T, disfer.Normalization.row).r == r.r
    assert disfer.off_diagonal_correlation(a.tolist(), b.tolist(), how="row").to_dict() == r.to_dict()


def test_committed_correlation_references(source_dir):
    folder = source_dir / "tests" / "compare" / "reference"
    ref = json.load(open(folder / "correlation_reference.json"))
    assert ref["cases"]
    for case in ref["cases"]:
        for how, e in case["results"].items():
            for level in (0.95, 0.9):
                r = disfer.off_diagonal_correlation(np.array(case["cm_a"]), np.array(case["cm_b"]), how, level)
                assert r.r == pytest.approx(e["r"], rel=1e-12)
                assert r.p_value == pytest.approx(e["p_value"], rel=1e-9)
                assert r.n_cells == e["n_cells"]
                lo, hi = e["ci_%g" % level]
                assert r.ci_low == pytest.approx(lo, rel=1e-11) and r.ci_high == pytest.approx(hi, rel=1e-11)
    published = json.load(open(folder / "published_cases.json"))["cases"]
    for case in published:
        for how, key in (("none", "raw_counts"), ("row", "row_normalized")):
            r = disfer.off_diagonal_correlation(np.array(case["input"]["cm_a"]), np.array(case["input"]["cm_b"]), how)
            assert r.r == pytest.approx(float(case["expected"][key]["r"]), rel=1e-14)
            assert r.p_value == pytest.approx(float(case["expected"][key]["p_value"]), rel=1e-13)
            assert r.n_cells == case["expected"][key]["n_cells"]


def test_degenerate_correlations():
    perfect = np.diag([10, 20, 30])
    r = disfer.off_diagonal_correlation(perfect, np.array([[5, 1, 2], [0, 9, 3], [4, 1, 7]]))
    assert math.isnan(r.r) and math.isnan(r.p_value) and math.isnan(r.ci_low)
    two = disfer.off_diagonal_correlation(np.array([[5, 1], [3, 9]]), np.array([[5, 2], [4, 9]]))
    assert (two.r, two.p_value, two.n_cells) == (1.0, 1.0, 2) and math.isnan(two.ci_low)
    # rows with total 0 under row normalisation: NaN cells, NaN result
    empty_row = np.array([[5, 1, 2], [0, 0, 0], [4, 1, 7]])
    assert math.isnan(disfer.off_diagonal_correlation(empty_row, empty_row + 1, "row").r)


def raises(function, call, *args, **kwargs):
    with pytest.raises(disfer.Error) as e:
        call(*args, **kwargs)
    assert e.value.function == function, str(e.value)
    return e.value


def test_off_diagonal_correlation_bad_input():
    fn = "off_diagonal_correlation"
    good = np.array([[5, 1, 2], [0, 9, 3], [4, 1, 7]])
    raises(fn, disfer.off_diagonal_correlation, good[:2], good[:2])
    raises(fn, disfer.off_diagonal_correlation, good, good[:2, :2])
    raises(fn, disfer.off_diagonal_correlation, np.array([[4]]), np.array([[4]]))
    raises(fn, disfer.off_diagonal_correlation, good, -good)
    raises(fn, disfer.off_diagonal_correlation, good, good, "none", 1.0)
    raises(fn, disfer.off_diagonal_correlation, good, good, "none", 0.0)
    raises(fn, disfer.off_diagonal_correlation, good.ravel(), good.ravel())
    raises(fn, disfer.off_diagonal_correlation, good + 0.5, good)
    raises("Normalization", disfer.off_diagonal_correlation, good, good, "rows")


# --- analyze_per_condition -----------------------------------------------------------------------

def synthetic(rng, sources=30, k=4):
    """Each source appears in every condition (original, GB 1, GB 2, JPEG 10)."""
    conditions = [("original", "original"), ("GB 1", "GB"), ("GB 2", "GB"), ("JPEG 10", "JPEG")]
    truth, cond, dtype, src = [], [], [], []
    for s in range(sources):
        y = int(rng.integers(0, k))
        for c, t in conditions:
            truth.append(y)
            cond.append(c)
            dtype.append(t)
            src.append("face%02d" % s)
    truth = np.array(truth)
    n = len(truth)
    preds = {}
    for name, q in (("humans", 0.8), ("net_a", 0.6), ("net_b", 0.5)):
        preds[name] = np.where(rng.random(n) < q, truth, rng.integers(0, k, n))
    return k, truth, cond, dtype, src, preds


def test_analyze_per_condition_matches_independent_computations():
    rng = np.random.default_rng(42)
    k, truth, cond, dtype, src, preds = synthetic(rng)
    inp = disfer.PerConditionInput(k=k, truth=truth, condition=cond, source=src, predictions=preds,
                                   distortion_type=dtype)
    assert [p.name for p in inp.predictions] == ["humans", "net_a", "net_b"]
    opt = disfer.PerConditionOptions(reference="humans", bootstrap_replicates=200, seed=7, adjustment="holm")
    res = disfer.analyze_per_condition(inp, opt)
    names = [(s.level, s.name) for s in res.subsets]
    assert names[0] == (disfer.SubsetLevel.overall, "overall")
    assert [n for lv, n in names if lv == disfer.SubsetLevel.distortion_type] == ["original", "GB", "JPEG"]
    assert [n for lv, n in names if lv == disfer.SubsetLevel.condition] == ["original", "GB 1", "GB 2", "JPEG 10"]
    cond = np.array(cond)
    src = np.array(src)
    for s in res.subsets:
        if s.level == disfer.SubsetLevel.overall:
            mask = np.ones(len(truth), dtype=bool)
        elif s.level == disfer.SubsetLevel.distortion_type:
            mask = np.array(dtype) == s.name
        else:
            mask = cond == s.name
        assert s.n_stimuli == mask.sum() and s.n_sources == len(set(src[mask]))
        for p in s.predictors:
            correct = (preds[p.name][mask] == truth[mask])
            assert p.accuracy.successes == correct.sum() and p.accuracy.trials == mask.sum()
            lo, hi = proportion_confint(correct.sum(), mask.sum(), alpha=0.05, method="wilson")
            assert p.accuracy.ci_low == pytest.approx(lo, rel=1e-12) and p.accuracy.ci_high == pytest.approx(hi, rel=1e-12)
            cm = np.zeros((k, k), dtype=np.int64)
            np.add.at(cm, (truth[mask], preds[p.name][mask]), 1)
            np.testing.assert_array_equal(p.confusion, cm)
        # pairs: McNemar, Holm over the subset's pairs, clustered McNemar
        p_values = []
        for t in s.pairs:
            ra, rb = preds[t.a][mask] == truth[mask], preds[t.b][mask] == truth[mask]
            tab = np.array([[np.sum(ra & rb), np.sum(ra & ~rb)], [np.sum(~ra & rb), np.sum(~ra & ~rb)]])
            assert (t.test.b, t.test.c) == (tab[0, 1], tab[1, 0])
            assert t.test.p_value == pytest.approx(ct.mcnemar(tab, exact=True).pvalue, rel=1e-12)
            p_values.append(t.test.p_value)
            d = [np.sum(ra[src[mask] == f]) - np.sum(rb[src[mask] == f]) for f in sorted(set(src[mask]))]
            d = np.array(d, dtype=float)
            if np.sum(d ** 2) > 0:
                stat = d.sum() ** 2 / np.sum(d ** 2)
                assert t.clustered.statistic == pytest.approx(stat, rel=1e-13)
                assert t.clustered.p_value == pytest.approx(stats.chi2.sf(stat, 1), rel=1e-11)
        np.testing.assert_allclose([t.p_adjusted for t in s.pairs], multipletests(p_values, method="holm")[1],
                                   rtol=1e-13)
        # error correlation with the reference
        assert [c.predictor for c in s.correlations] == ["net_a", "net_b"]
        ref_cm = s.predictors[0].confusion
        for c, p in zip(s.correlations, s.predictors[1:]):
            assert c.reference == "humans"
            x, y = off_diagonal(ref_cm), off_diagonal(p.confusion)
            if np.ptp(x) > 0 and np.ptp(y) > 0:
                assert c.correlation.r == pytest.approx(stats.pearsonr(x, y).statistic, rel=1e-12)
        assert [(b.a, b.b) for b in s.bootstrap] == [("humans", "net_a"), ("humans", "net_b"), ("net_a", "net_b")]
        for b in s.bootstrap:
            assert b.replicates == 200 and b.ci_low <= b.difference + 0.2 and b.ci_high >= b.difference - 0.2
    overall = res.find(disfer.SubsetLevel.overall, "overall")
    assert overall.to_dict().keys() == set(overall._fields)
    assert res.find("condition", "GB 1").n_stimuli == 30
    # reproducible from the seed, independent of the threads
    again = disfer.analyze_per_condition(inp, disfer.PerConditionOptions(reference="humans", bootstrap_replicates=200,
                                                                         seed=7, threads=2))
    assert [b.ci_low for b in again.subsets[3].bootstrap] == [b.ci_low for b in res.subsets[3].bootstrap]
    assert res.seed == 7 and res.bootstrap_replicates == 200


def test_analyze_per_condition_input_forms_and_options():
    rng = np.random.default_rng(1)
    k, truth, cond, dtype, src, preds = synthetic(rng, sources=10)
    as_list = [disfer.PredictionSet(n, v) for n, v in preds.items()]
    as_pairs = list(preds.items())
    o = disfer.PerConditionOptions(bootstrap_replicates=0, test="chi_square_corrected", adjustment="bonferroni",
                                   bootstrap_pairs=[("net_b", "humans")], skip_correction_when_equal=True)
    assert o.test == disfer.McnemarMethod.chi_square_corrected and o.skip_correction_when_equal
    o.level = 0.9
    results = [disfer.analyze_per_condition(
        disfer.PerConditionInput(k, truth, cond, np.array(src), p), o) for p in (preds, as_list, as_pairs)]
    for r in results[1:]:
        assert [t.test.p_value for t in r.subsets[0].pairs] == [t.test.p_value for t in results[0].subsets[0].pairs]
    r = results[0]
    assert [s.level for s in r.subsets].count(disfer.SubsetLevel.distortion_type) == 0
    assert r.subsets[0].predictors[0].accuracy.level == 0.9
    b = r.subsets[0].bootstrap
    assert [(x.a, x.b) for x in b] == [("net_b", "humans")] and math.isnan(b[0].ci_low)
    assert r.subsets[0].correlations == []
    t = r.subsets[0].pairs[0]
    assert t.test.method == disfer.McnemarMethod.chi_square_corrected
    assert t.test.p_value == pytest.approx(disfer.mcnemar(t.test.b, t.test.c, "chi_square_corrected",
                                                          skip_correction_when_equal=True).p_value, rel=1e-15)
    assert t.odds_ratio.to_dict() == disfer.discordant_odds_ratio(t.test.b, t.test.c, 0.9).to_dict()
    assert r.subsets[0].predictors[0].metrics.micro.precision == pytest.approx(
        np.mean(preds["humans"] == truth), rel=1e-14)


def test_analyze_per_condition_bad_input():
    fn = "analyze_per_condition"
    truth, cond, src = [0, 1, 2], ["a", "a", "b"], ["s1", "s2", "s1"]
    good = {"m": [0, 1, 1], "n": [1, 1, 2]}
    run = disfer.analyze_per_condition
    mk = disfer.PerConditionInput
    opt = disfer.PerConditionOptions
    raises(fn, run, mk(3, truth, cond, src, {"m": [0, 1, 3]}))
    raises(fn, run, mk(3, truth, cond, src, {"m": [0, -1, 2]}))
    raises(fn, run, mk(3, truth, cond[:2], src, good))
    raises(fn, run, mk(3, truth, cond, src[:1], good))
    raises(fn, run, mk(3, truth, cond, src, good, distortion_type=["x"]))
    raises(fn, run, mk(3, truth, cond, src, {}))
    raises(fn, run, mk(1, [0, 0, 0], cond, src, {"m": [0, 0, 0]}))
    raises(fn, run, mk(3, [], [], [], {"m": []}))
    raises(fn, run, mk(3, truth, cond, src, [("m", [0, 1, 1]), ("m", [0, 1, 1])]))
    raises(fn, run, mk(3, truth, cond, src, good), opt(reference="humans"))
    raises(fn, run, mk(3, truth, cond, src, good), opt(bootstrap_pairs=[("m", "zz")]))
    raises(fn, run, mk(3, truth, cond, src, good), opt(level=1.5))
    raises("PerConditionInput", mk, 3, truth, cond, src, "m")
    raises("PerConditionInput", mk, 3, [0.5, 1, 2], cond, src, good)
    raises("PerConditionInput", mk, 3, truth, "abc", src, good)
    raises("per_condition_result::find", run(mk(3, truth, cond, src, good), opt(bootstrap_replicates=0)).find,
           "condition", "nope")
    raises("ZeroDivision", opt, zero_division_rule="warn")
