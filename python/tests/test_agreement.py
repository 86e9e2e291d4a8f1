"""Agreement against statsmodels (Fleiss, Cohen, Randolph) on the same inputs, and the bad-input errors."""
import numpy as np
import pytest
from statsmodels.stats import inter_rater

import disfer


def random_table(rng, items, k, raters=(50, 51)):
    counts = np.zeros((items, k), dtype=np.int64)
    for i in range(items):
        n = rng.choice(raters)
        counts[i] = rng.multinomial(n, rng.dirichlet(np.ones(k) * 0.5))
    return counts


def test_fleiss_matches_statsmodels_equal_raters():
    rng = np.random.default_rng(1)
    counts = random_table(rng, 200, 7, raters=(50,))
    r = disfer.fleiss_kappa(counts)
    assert r.kappa == pytest.approx(inter_rater.fleiss_kappa(counts, method="fleiss"), abs=1e-14)
    assert r.equal_raters and r.n_items == 200


def test_fleiss_unequal_raters_pooled_margins_match_statsmodels():
    # statsmodels forms p_j from the pooled table (its own n_i per row): disfer's 'pooled'.
    rng = np.random.default_rng(2)
    counts = random_table(rng, 300, 7)
    r = disfer.fleiss_kappa(counts, margins="pooled")
    p_j = counts.sum(0) / counts.sum()
    n_i = counts.sum(1)
    p_i = ((counts * (counts - 1)).sum(1) / (n_i * (n_i - 1)))
    expected = (p_i.mean() - (p_j ** 2).sum()) / (1 - (p_j ** 2).sum())
    assert r.kappa == pytest.approx(expected, abs=1e-14)
    np.testing.assert_allclose(disfer.item_agreement(counts), p_i, rtol=0, atol=1e-15)
    assert not r.equal_raters


def test_int32_and_strided_tables_give_the_same_result():
    rng = np.random.default_rng(3)
    counts = random_table(rng, 100, 7)
    r64 = disfer.fleiss_kappa(counts)
    assert disfer.fleiss_kappa(counts.astype(np.int32)).kappa == r64.kappa
    wide = np.zeros((100, 14), dtype=np.int64)
    wide[:, ::2] = counts
    assert disfer.fleiss_kappa(wide[:, ::2]).kappa == r64.kappa
    assert disfer.fleiss_kappa(np.asfortranarray(counts)).kappa == r64.kappa
    assert disfer.fleiss_kappa(counts.astype(np.float64)).kappa == r64.kappa


def test_result_is_read_only_with_fields_and_dict():
    r = disfer.fleiss_kappa(np.array([[3, 0], [0, 3], [2, 1]]))
    assert r._fields[0] == "kappa"
    d = r.to_dict()
    assert list(d) == list(r._fields) and d["kappa"] == r.kappa
    with pytest.raises(AttributeError):
        r.kappa = 0.0
    assert "FleissKappa(kappa=" in repr(r)


def test_cohen_matches_statsmodels():
    table = np.array([[20, 5, 1], [3, 30, 4], [2, 6, 29]])
    for wt, ours in ((None, None), ("linear", "linear"), ("quadratic", "quadratic")):
        ref = inter_rater.cohens_kappa(table, wt=wt)
        r = disfer.cohen_kappa(table, weights=ours)
        assert r.kappa == pytest.approx(ref.kappa, abs=1e-14)
        assert r.se == pytest.approx(ref.std_kappa, abs=1e-14)
        assert r.se0 == pytest.approx(ref.std_kappa0, abs=1e-14)


def test_randolph_matches_statsmodels():
    rng = np.random.default_rng(4)
    counts = random_table(rng, 50, 5, raters=(10,))
    assert disfer.randolph_kappa(counts) == pytest.approx(inter_rater.fleiss_kappa(counts, method="randolph"), abs=1e-14)


def test_bad_counts_raise_disfer_error_naming_the_function():
    with pytest.raises(disfer.Error) as e:
        disfer.fleiss_kappa(np.array([[1, -1], [2, 0]]))
    assert e.value.function == "fleiss_kappa"
    assert isinstance(e.value, ValueError)
    with pytest.raises(disfer.Error, match="not a whole number"):
        disfer.fleiss_kappa(np.array([[1.5, 1.0], [2.0, 0.0]]))
    with pytest.raises(disfer.Error, match="2-D"):
        disfer.fleiss_kappa(np.array([1, 2, 3]))
    with pytest.raises(disfer.Error, match="unknown name"):
        disfer.fleiss_kappa(np.array([[1, 1], [2, 0]]), margins="pooledd")
