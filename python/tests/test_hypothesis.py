"""McNemar (every method and every way of calling it), the discordant odds ratio, p-value adjustment
and Cochran's Q against statsmodels, scipy and mpmath on the same inputs, against the committed
references under tests/hypothesis/reference, and the bad-input errors."""
import csv
import json
import math

import mpmath as mp
import numpy as np
import pytest
from scipy import stats
from statsmodels.stats import contingency_tables as ct
from statsmodels.stats.multitest import multipletests

import disfer

METHODS = ["exact", "mid_p", "chi_square", "chi_square_corrected"]
CASES = [(150, 86), (1, 7), (121, 59), (7, 7), (0, 1), (3, 0), (12, 30), (250, 260), (0, 50), (1000, 1100)]


def reference_dir(source_dir):
    return source_dir / "tests" / "hypothesis" / "reference"


def table(b, c, a=10, d=5):
    return np.array([[a, b], [c, d]])


def midp_scipy(b, c):
    n, m = b + c, min(b, c)
    if n == 0:
        return 1.0
    if b == c:
        return 1 - stats.binom.pmf(m, n, 0.5) / 2
    return 2 * stats.binom.cdf(m, n, 0.5) - stats.binom.pmf(m, n, 0.5)


def mp_exact_log10(b, c):
    """log10 of min(1, 2 P(X <= min(b, c))), X ~ Bin(b + c, 1/2), with mpmath at 50 digits."""
    with mp.workdps(50):
        n, m = b + c, min(b, c)
        tail = mp.fsum(mp.binomial(n, j) for j in range(m + 1)) / mp.mpf(2) ** n
        return float(mp.log10(min(mp.mpf(1), 2 * tail)))


def mp_midp_log10(b, c):
    with mp.workdps(50):
        n, m = b + c, min(b, c)
        pmf = mp.binomial(n, m) / mp.mpf(2) ** n
        tail = mp.fsum(mp.binomial(n, j) for j in range(m + 1)) / mp.mpf(2) ** n
        return float(mp.log10(2 * tail - pmf))


def mp_chi2_log10(stat):
    with mp.workdps(50):
        return float(mp.log10(mp.erfc(mp.sqrt(mp.mpf(stat) / 2))))


# --- McNemar against statsmodels / scipy -------------------------------------------------------

@pytest.mark.parametrize("b,c", CASES)
def test_exact_matches_statsmodels_and_scipy_binomtest(b, c):
    r = disfer.mcnemar(b, c, method="exact")
    ref = ct.mcnemar(table(b, c), exact=True)
    assert r.statistic == ref.statistic == min(b, c)
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    if b + c:
        assert r.p_value == pytest.approx(stats.binomtest(b, b + c, 0.5).pvalue, rel=1e-12)
    assert r.log10_p_value == pytest.approx(math.log10(r.p_value), rel=1e-13, abs=1e-15)
    assert (r.b, r.c, r.method) == (b, c, disfer.McnemarMethod.exact)


@pytest.mark.parametrize("b,c", CASES)
def test_mid_p_matches_scipy_binom(b, c):
    r = disfer.mcnemar(b, c, method="mid_p")
    assert r.p_value == pytest.approx(midp_scipy(b, c), rel=1e-12)
    assert r.statistic == min(b, c)


@pytest.mark.parametrize("b,c", CASES)
@pytest.mark.parametrize("corrected", [False, True])
def test_chi_square_matches_statsmodels(b, c, corrected):
    method = "chi_square_corrected" if corrected else "chi_square"
    r = disfer.mcnemar(b, c, method=method)
    ref = ct.mcnemar(table(b, c), exact=False, correction=corrected)
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-14, abs=1e-300)
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-11)
    assert r.log10_p_value == pytest.approx(math.log10(ref.pvalue), rel=1e-11, abs=1e-14)


def test_r_rule_skips_the_correction_when_b_equals_c():
    assert disfer.mcnemar(7, 7, method="chi_square_corrected").statistic == pytest.approx(1 / 14, rel=1e-15)
    r = disfer.mcnemar(7, 7, method="chi_square_corrected", skip_correction_when_equal=True)
    assert r.statistic == 0 and r.p_value == 1


def test_chi_square_without_discordant_pairs_is_nan():
    r = disfer.mcnemar(0, 0, method="chi_square")
    assert math.isnan(r.statistic) and math.isnan(r.p_value) and math.isnan(r.log10_p_value)
    assert disfer.mcnemar(0, 0).p_value == 1 and disfer.mcnemar(0, 0, "mid_p").p_value == 1


def test_method_enum_and_positional_method():
    by_enum = disfer.mcnemar(12, 30, disfer.McnemarMethod.mid_p)
    assert by_enum.p_value == disfer.mcnemar(12, 30, "mid_p").p_value
    assert by_enum.method == disfer.McnemarMethod.mid_p


# --- deep tail against mpmath --------------------------------------------------------------------

def test_deep_tail_b0_c400_exact():
    r = disfer.mcnemar(0, 400)
    # 2 * 2^-400 = 2^-399 ~ 7.7e-121: still a double; scipy and statsmodels agree.
    assert r.p_value == pytest.approx(2.0 ** -399, rel=1e-13)
    assert r.p_value == pytest.approx(stats.binomtest(0, 400, 0.5).pvalue, rel=1e-12)
    assert r.p_value == pytest.approx(ct.mcnemar(table(0, 400), exact=True).pvalue, rel=1e-12)
    assert r.log10_p_value == pytest.approx(-399 * math.log10(2), rel=1e-14)
    assert disfer.mcnemar(0, 400, "mid_p").log10_p_value == pytest.approx(-400 * math.log10(2), rel=1e-14)


@pytest.mark.parametrize("b,c", [(5, 2000), (0, 1100), (40, 3000), (300, 5000)])
def test_underflowing_p_has_exact_log10_against_mpmath(b, c):
    r = disfer.mcnemar(b, c)
    assert r.p_value == 0.0 or r.p_value < 1e-300  # below the double range (or subnormal)
    assert r.log10_p_value == pytest.approx(mp_exact_log10(b, c), rel=1e-13)
    assert disfer.mcnemar(b, c, "mid_p").log10_p_value == pytest.approx(mp_midp_log10(b, c), rel=1e-13)
    for method, d in (("chi_square", abs(b - c)), ("chi_square_corrected", abs(b - c) - 1)):
        s = disfer.mcnemar(b, c, method)
        assert s.statistic == pytest.approx(d * d / (b + c), rel=1e-15)
        assert s.log10_p_value == pytest.approx(mp_chi2_log10(mp.mpf(d * d) / (b + c)), rel=1e-12)


# --- committed references ------------------------------------------------------------------------

def test_committed_tail_csv(source_dir):
    rows = list(csv.DictReader(open(reference_dir(source_dir) / "mcnemar_tail.csv")))
    assert len(rows) > 100
    for row in rows:
        b, c = int(row["b"]), int(row["c"])
        for method, col in (("exact", "exact"), ("mid_p", "midp"), ("chi_square", "chi2"),
                            ("chi_square_corrected", "chi2_corrected")):
            expected = row["log10_p_" + col]
            r = disfer.mcnemar(b, c, method)
            if expected == "nan":
                assert math.isnan(r.log10_p_value)
                continue
            assert r.log10_p_value == pytest.approx(float(expected), rel=1e-12, abs=1e-14), (b, c, method)


def test_committed_published_cases(source_dir):
    cases = json.load(open(reference_dir(source_dir) / "published_mcnemar.json"))["cases"]
    for case in cases:
        b, c = case["input"]["b"], case["input"]["c"]
        tab = np.array(case["input"]["table"])
        e = case["expected"]
        for method, key in (("exact", "exact"), ("mid_p", "midp")):
            r = disfer.mcnemar(tab, method=method)
            assert (r.b, r.c) == (b, c)
            assert r.log10_p_value == pytest.approx(float(e["log10_p_" + key]), rel=1e-13, abs=1e-15)
            if float(e["p_" + key]) > 1e-300:
                assert r.p_value == pytest.approx(float(e["p_" + key]), rel=1e-13)
        for method, key, skip in (("chi_square", "chi2_uncorrected", False),
                                  ("chi_square_corrected", "chi2_corrected_edwards", False),
                                  ("chi_square_corrected", "chi2_corrected_R", True)):
            if key not in e:
                continue
            r = disfer.mcnemar(b, c, method, skip_correction_when_equal=skip)
            if e[key]["statistic"] is None:
                assert math.isnan(r.statistic)
                continue
            st = e[key]["statistic"]
            assert r.statistic == pytest.approx(int(st["num"]) / int(st["den"]), rel=1e-15)
            assert r.log10_p_value == pytest.approx(float(e[key]["log10_p"]), rel=1e-12, abs=1e-15)


def test_committed_odds_ratio_cochran_and_p_adjust(source_dir):
    ref = json.load(open(reference_dir(source_dir) / "hypothesis_reference.json"))
    for case in ref["odds_ratio"]:
        r = disfer.discordant_odds_ratio(case["b"], case["c"], case["level"])
        for got, want in ((r.ci_low, case["ci_low"]), (r.ci_high, case["ci_high"])):
            assert got == float(want) or got == pytest.approx(float(want), rel=1e-12), case
    for case in ref["cochran_q"]:
        r = disfer.cochran_q(np.array(case["success"]))
        assert r.statistic == pytest.approx(case["statistic"], rel=1e-13)
        assert r.p_value == pytest.approx(case["p_value"], rel=1e-12)
        assert r.df == case["df"]
    for case in ref["p_adjust"]:
        for how in ("bonferroni", "holm", "benjamini_hochberg"):
            np.testing.assert_allclose(disfer.adjust_p_values(case["p"], how), case[how], rtol=1e-14, atol=0)


# --- the other ways of calling mcnemar -----------------------------------------------------------

def test_table_labels_dicts_and_correctness_agree():
    rng = np.random.default_rng(20)
    truth = rng.integers(0, 7, 500)
    pred_a = np.where(rng.random(500) < 0.7, truth, rng.integers(0, 7, 500))
    pred_b = np.where(rng.random(500) < 0.6, truth, rng.integers(0, 7, 500))
    ra, rb = pred_a == truth, pred_b == truth
    b, c = int(np.sum(ra & ~rb)), int(np.sum(~ra & rb))
    t = disfer.paired_outcomes(truth, pred_a, pred_b)
    assert (t.both_right, t.b, t.c, t.both_wrong) == (np.sum(ra & rb), b, c, np.sum(~ra & ~rb))
    np.testing.assert_array_equal(t.to_array(), [[t.both_right, b], [c, t.both_wrong]])
    assert disfer.paired_outcomes(correct_a=ra, correct_b=rb).to_dict() == t.to_dict()
    ids = ["face%03d" % i for i in range(500)]
    order = rng.permutation(500)
    as_dict = [dict((ids[i], int(v[i])) for i in order) for v in (truth, pred_a, pred_b)]
    assert disfer.paired_outcomes(*as_dict).to_dict() == t.to_dict()
    int_dict = [dict((int(i), int(v[i])) for i in order) for v in (truth, pred_a, pred_b)]
    assert disfer.paired_outcomes(*int_dict).to_dict() == t.to_dict()
    for method in METHODS:
        expected = disfer.mcnemar(b, c, method)
        calls = [disfer.mcnemar(truth, pred_a, pred_b, method), disfer.mcnemar(t, method=method),
                 disfer.mcnemar(t.to_array(), method), disfer.mcnemar(*as_dict, method=method),
                 disfer.mcnemar(*int_dict, method=method),
                 disfer.mcnemar(correct_a=ra, correct_b=rb, method=method),
                 disfer.mcnemar(t.to_array().tolist(), method=method)]
        for r in calls:
            assert r.to_dict() == expected.to_dict()
    sm = ct.mcnemar(t.to_array(), exact=True)
    assert disfer.mcnemar(t.to_array()).p_value == pytest.approx(sm.pvalue, rel=1e-12)
    assert disfer.McnemarTable(1, 2, 3, 4).c == 3


# --- odds ratio, adjustment, Cochran -------------------------------------------------------------

@pytest.mark.parametrize("b,c", [(150, 86), (1, 7), (20, 3), (5, 5)])
def test_odds_ratio_matches_clopper_pearson(b, c):
    from statsmodels.stats.proportion import proportion_confint
    r = disfer.discordant_odds_ratio(b, c, level=0.9)
    lo, hi = proportion_confint(b, b + c, alpha=0.1, method="beta")
    assert r.odds_ratio == pytest.approx(b / c, rel=1e-15)
    assert r.ci_low == pytest.approx(lo / (1 - lo), rel=1e-10)
    assert r.ci_high == pytest.approx(hi / (1 - hi), rel=1e-10)
    edge = disfer.discordant_odds_ratio(0, 4)
    assert edge.ci_low == 0 and edge.odds_ratio == 0
    assert math.isinf(disfer.discordant_odds_ratio(4, 0).ci_high)


SHARED_METHODS = [("bonferroni", "bonferroni"), ("holm", "holm"), ("benjamini_hochberg", "fdr_bh")]


@pytest.mark.parametrize("ours,theirs", SHARED_METHODS)
def test_p_adjust_matches_multipletests(ours, theirs):
    rng = np.random.default_rng(5)
    for p in (rng.random(40) ** 3, np.array([0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9, 1.0, 0.0]), np.array([0.3])):
        expected = multipletests(p, method=theirs)[1]
        np.testing.assert_allclose(disfer.adjust_p_values(p, how=ours), expected, rtol=1e-14, atol=1e-300)
        np.testing.assert_allclose(disfer.adjust_p_values(p, disfer.PAdjustment.__members__[ours]), expected,
                                   rtol=1e-14, atol=1e-300)
        log_p = np.log10(np.maximum(p, 1e-300))
        got = disfer.adjust_log10_p_values(log_p, ours)
        np.testing.assert_allclose(got, np.log10(multipletests(10.0 ** log_p, method=theirs)[1]), rtol=1e-12,
                                   atol=1e-13)
    np.testing.assert_array_equal(disfer.adjust_p_values([0.2, 0.01], "none"), [0.2, 0.01])
    assert disfer.adjust_p_values([], ours).shape == (0,)


def test_log10_adjustment_below_the_double_range():
    log_p = [-600.0, -2.0, -450.0]
    got = disfer.adjust_log10_p_values(log_p, "holm")
    # Holm: sorted -600, -450, -2 times 3, 2, 1
    np.testing.assert_allclose(got, [-600 + math.log10(3), -2.0, -450 + math.log10(2)], rtol=1e-15)
    np.testing.assert_allclose(disfer.adjust_log10_p_values(log_p, "bonferroni"),
                               [x + math.log10(3) for x in (-600, -2, -450)], rtol=1e-15)


def test_cochran_q_matches_statsmodels_and_mcnemar():
    rng = np.random.default_rng(8)
    for m in (2, 3, 5):
        x = (rng.random((200, m)) < np.linspace(0.5, 0.8, m)).astype(np.int64)
        r = disfer.cochran_q(x)
        ref = ct.cochrans_q(x)
        assert r.statistic == pytest.approx(ref.statistic, rel=1e-13)
        assert r.p_value == pytest.approx(ref.pvalue, rel=1e-12)
        assert r.df == ref.df == m - 1 and r.n_items == 200
        assert disfer.cochran_q(x.astype(bool)).statistic == r.statistic
        if m == 2:
            mc = disfer.mcnemar(correct_a=x[:, 0], correct_b=x[:, 1], method="chi_square")
            assert r.statistic == pytest.approx(mc.statistic, rel=1e-14)
    truth = rng.integers(0, 7, 100)
    preds = [np.where(rng.random(100) < q, truth, (truth + 1) % 7) for q in (0.5, 0.7, 0.9)]
    success = np.stack([p == truth for p in preds], axis=1)
    expected = disfer.cochran_q(success)
    assert disfer.cochran_q(truth, preds).to_dict() == expected.to_dict()
    assert disfer.cochran_q(truth, np.stack(preds)).to_dict() == expected.to_dict()
    assert disfer.cochran_q(truth, preds).statistic == pytest.approx(ct.cochrans_q(success).statistic, rel=1e-13)


def test_result_classes_have_fields_and_dicts():
    r = disfer.mcnemar(3, 9)
    assert r._fields == ("statistic", "p_value", "log10_p_value", "b", "c", "method")
    assert list(r.to_dict()) == list(r._fields)
    assert "McnemarResult(statistic=3" in repr(r)
    with pytest.raises(AttributeError):
        r.p_value = 0.5


# --- bad input -----------------------------------------------------------------------------------

def raises(function, call, *args, **kwargs):
    with pytest.raises(disfer.Error) as e:
        call(*args, **kwargs)
    assert e.value.function == function, str(e.value)
    assert isinstance(e.value, ValueError)
    return e.value


def test_bad_input_raises_disfer_error_naming_the_function():
    raises("mcnemar", disfer.mcnemar, -1, 3)
    raises("mcnemar", disfer.mcnemar, 3, -1, "mid_p")
    raises("mcnemar", disfer.mcnemar, np.array([[1, 2, 3], [4, 5, 6]]))
    raises("mcnemar", disfer.mcnemar, np.array([[1, 2], [-3, 4]]))
    raises("mcnemar", disfer.mcnemar, np.array([[1, -2], [3, 4]]))
    raises("mcnemar", disfer.mcnemar, np.array([1, 2, 3, 4]))
    raises("mcnemar", disfer.mcnemar, np.array([[1.5, 2], [3, 4]]))
    raises("mcnemar", disfer.mcnemar, [0, 1, 2], [0, 1], [0, 1, 2])
    raises("mcnemar", disfer.mcnemar, [0, 1, 2], [0, -1, 2], [0, 1, 2])
    raises("mcnemar", disfer.mcnemar, {"x": 1}, {"x": 1}, {"y": 1})
    raises("mcnemar", disfer.mcnemar, correct_a=[1, 0, 2], correct_b=[1, 0, 1])
    raises("mcnemar", disfer.mcnemar, correct_a=[1, 0], correct_b=[1, 0, 1])
    raises("McnemarMethod", disfer.mcnemar, 3, 4, "mid-p")
    raises("paired_outcomes", disfer.paired_outcomes, [0, 1], [0, 1, 1], [0, 1])
    raises("paired_outcomes", disfer.paired_outcomes, {"a": 0, "b": 1}, {"a": 0}, {"a": 0, "b": 1})
    raises("paired_outcomes", disfer.paired_outcomes, {"a": 0}, {"a": 0, "z": 1}, {"a": 0})
    raises("paired_outcomes", disfer.paired_outcomes, {1: 0, "a": 0}, {1: 0, "a": 0}, {1: 0, "a": 0})
    raises("discordant_odds_ratio", disfer.discordant_odds_ratio, -1, 2)
    raises("discordant_odds_ratio", disfer.discordant_odds_ratio, 1, 2, 1.0)
    raises("discordant_odds_ratio", disfer.discordant_odds_ratio, 1, 2, 0.0)
    raises("adjust_p_values", disfer.adjust_p_values, [0.1, 1.5])
    raises("adjust_p_values", disfer.adjust_p_values, [0.1, -0.01])
    raises("adjust_p_values", disfer.adjust_p_values, [0.1, float("nan")], "bonferroni")
    raises("adjust_p_values", disfer.adjust_p_values, [[0.1, 0.2]])
    raises("adjust_p_values", disfer.adjust_p_values, ["a", "b"])
    raises("adjust_log10_p_values", disfer.adjust_log10_p_values, [-3.0, 0.5])
    raises("adjust_log10_p_values", disfer.adjust_log10_p_values, [float("nan")])
    raises("PAdjustment", disfer.adjust_p_values, [0.1], "fdr_bh")
    raises("cochran_q", disfer.cochran_q, np.array([[0, 1], [2, 1]]))
    raises("cochran_q", disfer.cochran_q, np.array([[0], [1]]))
    raises("cochran_q", disfer.cochran_q, np.zeros((0, 3), dtype=np.int64))
    raises("cochran_q", disfer.cochran_q, np.array([0, 1, 1]))
    raises("cochran_q", disfer.cochran_q, [0, 1, 2], [[0, 1, 2]])
    raises("cochran_q", disfer.cochran_q, [0, 1, 2], [[0, 1, 2], [0, 1]])
    raises("cochran_q", disfer.cochran_q, [0, 1, 2], [[0, 1, 2], [0, -1, 2]])
    raises("McnemarTable", disfer.McnemarTable, 1, -2, 3, 4)
