"""Metrics against scikit-learn and statsmodels on the same inputs, against the committed C++
reference cases (tests/metrics/reference), and the bad-input errors."""
import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm
from statsmodels.stats.proportion import proportion_confint

import disfer


@pytest.fixture
def reference(source_dir):
    return json.loads((source_dir / "tests/metrics/reference/metrics_reference.json").read_text())


@pytest.fixture
def published(source_dir):
    return json.loads((source_dir / "tests/metrics/reference/published_cases.json").read_text())


def random_labels(seed, n, k, absent_truth=(), absent_pred=()):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n)
    pred = np.where(rng.random(n) < 0.6, truth, rng.integers(0, k, n))
    for c in absent_truth:
        truth[truth == c] = (c + 1) % k
    for c in absent_pred:
        pred[pred == c] = (c + 1) % k
    return truth, pred


CASES = [(1, 300, 7, (), ()), (2, 50, 3, (), ()), (3, 1000, 5, (2,), (4,)), (4, 40, 2, (), ()),
         (5, 500, 7, (6,), (6,)), (6, 5000, 20, (3, 7), (11,))]


@pytest.mark.parametrize("seed,n,k,absent_truth,absent_pred", CASES)
def test_confusion_matrix_accuracy_balanced_match_sklearn(seed, n, k, absent_truth, absent_pred):
    truth, pred = random_labels(seed, n, k, absent_truth, absent_pred)
    cm = disfer.confusion_matrix(truth, pred, k)
    ref = skm.confusion_matrix(truth, pred, labels=list(range(k)))
    np.testing.assert_array_equal(cm, ref)
    assert cm.dtype == np.int64 and cm.shape == (k, k)
    assert disfer.accuracy(cm) == pytest.approx(skm.accuracy_score(truth, pred), abs=1e-15)
    with warnings.catch_warnings():  # scikit-learn warns about the absent classes
        warnings.simplefilter("ignore")
        ba = skm.balanced_accuracy_score(truth, pred)
        ba_adj = skm.balanced_accuracy_score(truth, pred, adjusted=True)
    assert disfer.balanced_accuracy(cm) == pytest.approx(ba, abs=1e-15)
    assert disfer.balanced_accuracy(cm, adjusted=True) == pytest.approx(ba_adj, abs=1e-14)


def test_label_inputs_of_every_kind_give_the_same_matrix():
    truth, pred = random_labels(7, 200, 4)
    cm = disfer.confusion_matrix(truth, pred, 4)
    np.testing.assert_array_equal(disfer.confusion_matrix(list(truth), list(pred), 4), cm)
    np.testing.assert_array_equal(disfer.confusion_matrix(pd.Series(truth), pd.Series(pred), 4), cm)
    np.testing.assert_array_equal(disfer.confusion_matrix(truth.astype(np.uint8), pred.astype(np.int32), 4), cm)
    np.testing.assert_array_equal(disfer.confusion_matrix(truth.astype(float), pred.astype(float), 4), cm)
    # count tables of other dtypes and layouts
    assert disfer.accuracy(cm.astype(np.int32)) == disfer.accuracy(cm)
    assert disfer.accuracy(np.asfortranarray(cm)) == disfer.accuracy(cm)
    assert disfer.accuracy(cm.astype(float)) == disfer.accuracy(cm)


@pytest.mark.parametrize("seed,n,k,absent_truth,absent_pred", CASES)
@pytest.mark.parametrize("zd", [0, 1])
@pytest.mark.parametrize("beta", [1.0, 0.5, 2.0])
def test_precision_recall_matches_sklearn(seed, n, k, absent_truth, absent_pred, zd, beta):
    truth, pred = random_labels(seed, n, k, absent_truth, absent_pred)
    cm = disfer.confusion_matrix(truth, pred, k)
    r = disfer.precision_recall(cm, zero_division=zd, beta=beta)
    labels = list(range(k))
    p, rc, f, s = skm.precision_recall_fscore_support(truth, pred, labels=labels, beta=beta, zero_division=zd)
    np.testing.assert_allclose([c.precision for c in r.per_class], p, rtol=0, atol=1e-15)
    np.testing.assert_allclose([c.recall for c in r.per_class], rc, rtol=0, atol=1e-15)
    np.testing.assert_allclose([c.f_score for c in r.per_class], f, rtol=0, atol=1e-14)
    np.testing.assert_array_equal([c.support for c in r.per_class], s)
    for avg in ("macro", "weighted", "micro"):
        ap, ar, af, _ = skm.precision_recall_fscore_support(truth, pred, labels=labels, beta=beta,
                                                            zero_division=zd, average=avg)
        got = getattr(r, avg)
        assert (got.precision, got.recall, got.f_score) == pytest.approx((ap, ar, af), abs=1e-14)
    assert r.total == n and r.beta == beta
    assert r.zero_division_rule == (disfer.ZeroDivision.zero if zd == 0 else disfer.ZeroDivision.one)


def test_zero_division_spellings():
    cm = disfer.confusion_matrix([0, 1, 0, 3], [0, 1, 2, 2], 5)
    for spelling, rule in ((0, "zero"), ("warn", "zero"), ("zero", "zero"), (1, "one"), (1.0, "one"),
                           ("one", "one"), (float("nan"), "nan"), ("nan", "nan"), (disfer.ZeroDivision.nan, "nan")):
        assert disfer.precision_recall(cm, zero_division=spelling).zero_division_rule.name == rule
    with pytest.raises(disfer.Error) as e:
        disfer.precision_recall(cm, zero_division=0.5)
    assert e.value.function == "precision_recall"
    with pytest.raises(disfer.Error):
        disfer.precision_recall(cm, zero_division="sometimes")


def test_published_empty_classes_case(published):
    case = published["cases"][0]
    inp, exp = case["input"], case["expected"]
    k = len(inp["labels"])
    cm = disfer.confusion_matrix(inp["y_true"], inp["y_pred"], k)
    np.testing.assert_array_equal(cm, exp["confusion_matrix_rows_true_cols_pred"])

    def same(a, b):
        return (a is None and math.isnan(b)) or a == pytest.approx(b, abs=1e-15)

    for key, zd in (("zero_division_0", 0), ("zero_division_1", 1), ("zero_division_nan", float("nan"))):
        r = disfer.precision_recall(cm, zero_division=zd)
        for want, got in zip(exp[key]["per_class"], r.per_class):
            assert (got.tp, got.fp, got.fn, got.support) == (want["tp"], want["fp"], want["fn"], want["support"])
            assert same(want["P"], got.precision) and same(want["R"], got.recall) and same(want["F"], got.f_score)
        for avg in ("macro", "weighted"):
            w, g = exp[key][avg], getattr(r, avg)
            assert (g.precision, g.recall, g.f_score) == pytest.approx((w["precision"], w["recall"], w["f1"]),
                                                                        abs=1e-15)
    r = disfer.precision_recall(cm)
    assert (r.micro.precision, r.micro.recall, r.micro.f_score) == pytest.approx(
        (exp["micro"]["precision"], exp["micro"]["recall"], exp["micro"]["f1"]), abs=1e-15)
    # and the scikit-learn run recorded beside it, and the live one
    for key, zd in (("zero_division_0", 0), ("zero_division_1", 1)):
        sk = case["observed_in_references"]["sklearn"][key]
        r = disfer.precision_recall(cm, zero_division=zd)
        np.testing.assert_allclose([c.f_score for c in r.per_class], sk["f1"], atol=1e-15)
        p, rc, f, s = skm.precision_recall_fscore_support(inp["y_true"], inp["y_pred"], labels=inp["labels"],
                                                          zero_division=zd)
        np.testing.assert_allclose([c.precision for c in r.per_class], p, atol=1e-15)
        np.testing.assert_allclose([c.recall for c in r.per_class], rc, atol=1e-15)
        np.testing.assert_allclose([c.f_score for c in r.per_class], f, atol=1e-15)


def test_reference_cases(reference):
    for case in reference["cases"]:
        k = case["k"]
        cm = disfer.confusion_matrix(case["truth"], case["pred"], k)
        np.testing.assert_array_equal(cm, case["confusion_matrix"])
        np.testing.assert_allclose(disfer.normalize(cm, "row"), case["normalize_true"], atol=1e-15)
        np.testing.assert_allclose(disfer.normalize(cm, "pred"), case["normalize_pred"], atol=1e-15)
        np.testing.assert_allclose(disfer.normalize(cm, disfer.Normalization.total), case["normalize_all"],
                                   atol=1e-15)
        assert disfer.balanced_accuracy(cm) == pytest.approx(case["balanced_accuracy"], abs=1e-15)
        assert disfer.balanced_accuracy(cm, True) == pytest.approx(case["balanced_accuracy_adjusted"], abs=1e-14)
        for prf in case["prf"]:
            r = disfer.precision_recall(cm, zero_division=prf["zero_division"], beta=prf["beta"])
            np.testing.assert_allclose([c.f_score for c in r.per_class], prf["per_class"]["f"], atol=1e-14)
            np.testing.assert_allclose([c.precision for c in r.per_class], prf["per_class"]["precision"], atol=1e-15)
            for avg in ("macro", "weighted", "micro"):
                g = getattr(r, avg)
                assert (g.precision, g.recall, g.f_score) == pytest.approx(tuple(prf[avg]), abs=1e-14)
        names = ["class %d" % c for c in range(k)]
        r = disfer.precision_recall(cm)
        assert_same_report(disfer.classification_report(r, names, 2), case["report_digits2"], r, 2)
        assert_same_report(disfer.classification_report(cm, names=names, digits=4), case["report_digits4"], r, 4)
    b = reference["balanced_accuracy_absent_class"]
    cm = disfer.confusion_matrix(b["truth"], b["pred"], b["k"])
    assert disfer.balanced_accuracy(cm) == b["balanced_accuracy"]
    assert disfer.balanced_accuracy(cm, adjusted=True) == pytest.approx(b["balanced_accuracy_adjusted"], abs=1e-15)
    for w in reference["wilson"]:
        r = disfer.wilson_interval(w["successes"], w["trials"], w["level"])
        assert (r.ci_low, r.ci_high) == pytest.approx((w["ci_low"], w["ci_high"]), abs=1e-15)


def assert_same_report(mine, theirs, result, digits):
    """Equal text, except an F exactly halfway between two printed decimals: scikit-learn 1.2 forms F
    from the rounded P and R (2PR / (P + R)), disfer from the counts, and the two round the half
    differently (as tests/metrics/test_precision_recall.cpp allows)."""
    if mine == theirs:
        return
    a, b = mine.splitlines(), theirs.splitlines()
    assert len(a) == len(b)
    for i, (x, y) in enumerate(zip(a, b)):
        if x == y:
            continue
        m = result.per_class[i - 2]
        scaled = 2 * m.tp / (2 * m.tp + m.fp + m.fn) * 10 ** digits
        assert abs(scaled - math.floor(scaled) - 0.5) < 1e-9, (x, y)


@pytest.mark.parametrize("seed,n,k", [(11, 120, 7), (12, 300, 3), (13, 60, 2)])
@pytest.mark.parametrize("digits", [2, 3, 4])
def test_classification_report_matches_sklearn(seed, n, k, digits):
    truth, pred = random_labels(seed, n, k)
    names = ["c%d" % c for c in range(k)]
    result = disfer.precision_recall(disfer.confusion_matrix(truth, pred, k))
    ours = disfer.classification_report(result, names, digits)
    ref = skm.classification_report(truth, pred, labels=list(range(k)), target_names=names, digits=digits,
                                    zero_division=0)
    assert_same_report(ours, ref, result, digits)
    # the numbers, parsed, against precision_recall_fscore_support
    p, rc, f, s = skm.precision_recall_fscore_support(truth, pred, labels=list(range(k)), zero_division=0)
    rows = [line.split() for line in ours.splitlines()[2:2 + k]]
    for c, row in enumerate(rows):
        assert row[0] == names[c]
        assert [float(x) for x in row[1:4]] == pytest.approx([p[c], rc[c], f[c]], abs=0.5 * 10 ** -digits + 1e-12)
        assert int(row[4]) == s[c]


def test_normalize_matches_sklearn_and_gives_nan_for_empty_rows():
    truth, pred = random_labels(21, 400, 6)
    cm = disfer.confusion_matrix(truth, pred, 6)
    for ours, theirs in (("row", "true"), ("column", "pred"), ("total", "all"), ("true", "true")):
        np.testing.assert_allclose(disfer.normalize(cm, ours),
                                   skm.confusion_matrix(truth, pred, labels=list(range(6)), normalize=theirs),
                                   rtol=0, atol=1e-15)
    np.testing.assert_array_equal(disfer.normalize(cm, None), cm.astype(float))
    np.testing.assert_array_equal(disfer.normalize(cm, "none"), cm.astype(float))
    holes = np.array([[2, 0, 1], [0, 0, 0], [1, 0, 3]])
    row = disfer.normalize(holes, "row")
    assert np.isnan(row[1]).all() and row[0] == pytest.approx([2 / 3, 0, 1 / 3])
    assert np.isnan(disfer.normalize(holes, "column")[:, 1]).all()
    assert np.isnan(disfer.normalize(np.zeros((2, 2), int), "total")).all()


@pytest.mark.parametrize("x,n", [(0, 10), (10, 10), (3, 10), (1, 1), (530, 840), (7, 1000), (999, 1000),
                                 (12345, 20000)])
@pytest.mark.parametrize("level", [0.95, 0.9, 0.99])
def test_wilson_matches_statsmodels(x, n, level):
    low, high = proportion_confint(x, n, alpha=1 - level, method="wilson")
    r = disfer.wilson_interval(x, n, level)
    assert (r.ci_low, r.ci_high) == pytest.approx((low, high), abs=1e-14)
    assert (r.successes, r.trials, r.level) == (x, n, level)
    assert r.estimate == x / n


def test_accuracy_interval_is_wilson_of_the_trace():
    truth, pred = random_labels(31, 837, 7)
    cm = disfer.confusion_matrix(truth, pred, 7)
    r = disfer.accuracy_interval(cm, 0.9)
    low, high = proportion_confint(np.trace(cm), cm.sum(), alpha=0.1, method="wilson")
    assert (r.ci_low, r.ci_high) == pytest.approx((low, high), abs=1e-14)
    assert r.estimate == pytest.approx(skm.accuracy_score(truth, pred), abs=1e-15)
    assert list(r.to_dict()) == list(r._fields) == ["estimate", "ci_low", "ci_high", "successes", "trials", "level"]
    assert math.isnan(disfer.wilson_interval(0, 0).estimate)
    assert math.isnan(disfer.accuracy(np.zeros((3, 3), int)))


def test_result_classes_are_read_only_with_dicts():
    r = disfer.precision_recall(np.array([[5, 1], [2, 7]]))
    assert r._fields == ("per_class", "macro", "weighted", "micro", "total", "beta", "zero_division_rule")
    assert r.per_class[0]._fields == ("tp", "fp", "fn", "support", "precision", "recall", "f_score")
    assert r.per_class[0].to_dict()["tp"] == 5
    frame = pd.DataFrame([c.to_dict() for c in r.per_class])
    assert list(frame["support"]) == [6, 9]
    with pytest.raises(AttributeError):
        r.total = 3
    assert "PrecisionRecall(per_class=" in repr(r)


def expect_error(function, call, *args, **kwargs):
    with pytest.raises(disfer.Error) as e:
        call(*args, **kwargs)
    assert e.value.function == function, str(e.value)
    assert isinstance(e.value, ValueError)
    return e.value


def test_bad_inputs_raise_disfer_error_naming_the_function():
    expect_error("confusion_matrix", disfer.confusion_matrix, [0, 1, 1], [0, 1], 2)  # lengths
    expect_error("confusion_matrix", disfer.confusion_matrix, [0, -1], [0, 1], 2)  # negative label
    expect_error("confusion_matrix", disfer.confusion_matrix, [0, 1], [0, 2], 2)  # label >= k
    expect_error("confusion_matrix", disfer.confusion_matrix, [0.0, np.nan], [0, 1], 2)  # NaN
    expect_error("confusion_matrix", disfer.confusion_matrix, [0.5, 1], [0, 1], 2)  # fractional
    expect_error("confusion_matrix", disfer.confusion_matrix, ["a", "b"], [0, 1], 2)  # strings
    expect_error("confusion_matrix", disfer.confusion_matrix, [[0, 1]], [0, 1], 2)  # 2-D
    expect_error("confusion_matrix", disfer.confusion_matrix, [0, 1], [0, 1], 1)  # k < 2
    bad = np.array([[1, -1], [0, 2]])
    for name, f in (("accuracy", disfer.accuracy), ("balanced_accuracy", disfer.balanced_accuracy),
                    ("accuracy_interval", disfer.accuracy_interval), ("precision_recall", disfer.precision_recall),
                    ("normalize", lambda c: disfer.normalize(c, "row"))):
        expect_error(name, f, bad)  # negative count
        expect_error(name, f, np.array([[1.0, np.nan], [0, 2]]))  # NaN count
    expect_error("accuracy", disfer.accuracy, np.ones((2, 3), int))  # not square
    expect_error("precision_recall", disfer.precision_recall, np.eye(3, dtype=int), beta=0.0)
    expect_error("wilson_interval", disfer.wilson_interval, 11, 10)
    expect_error("wilson_interval", disfer.wilson_interval, -1, 10)
    expect_error("wilson_interval", disfer.wilson_interval, 3, 10, float("nan"))
    expect_error("accuracy_interval", disfer.accuracy_interval, np.eye(2, dtype=int), 1.5)
    r = disfer.precision_recall(np.eye(3, dtype=int))
    expect_error("classification_report", disfer.classification_report, r, ["a", "b"])
    expect_error("classification_report", disfer.classification_report, r, digits=16)
    with pytest.raises(disfer.Error):
        disfer.normalize(np.eye(2, dtype=int), "sideways")
