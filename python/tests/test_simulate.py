"""The simulation (disfer/simulate) from Python: determinism, summarize_study against statsmodels
and numpy recomputations from the votes, the CSV writers read back with pandas."""
import numpy as np
import pandas as pd
import pytest

import disfer


@pytest.fixture(scope="module")
def study():
    return disfer.simulate_study(disfer.SimulationParameters(), 7)


def counts_of(study):
    votes = study.votes
    counts = np.zeros((votes.n_items, study.k), dtype=np.int64)
    np.add.at(counts, (votes.item.astype(np.int64), votes.label.astype(np.int64)), 1)
    return counts


def test_defaults_and_parameters():
    p = disfer.SimulationParameters()
    assert p.design.k == 7 and len(p.design.conditions) == 10
    assert [m.name for m in p.models] == ["RMN", "DeepFace", "FT RMN", "FT DeepFace"]
    p.design.sources_per_class = 2
    assert p.design.sources_per_class == 2
    p.humans.lapse_mean = 0.1
    assert p.humans.lapse_mean == 0.1
    assert disfer.disfer_study_conditions()[1].name == "GB 0.8"


def test_same_seed_same_votes(study):
    again = disfer.simulate_study(disfer.SimulationParameters(), 7)
    for col in ("item", "rater", "label"):
        np.testing.assert_array_equal(getattr(again.votes, col), getattr(study.votes, col))
    np.testing.assert_array_equal(again.predictions, study.predictions)
    other = disfer.simulate_study(disfer.SimulationParameters(), 8)
    assert not np.array_equal(other.votes.label, study.votes.label)
    assert len(study.votes) == 42040 and len(study.stimuli) == 840
    assert study.predictions.shape == (4, 840)


def test_summary_against_statsmodels_and_numpy(study):
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    # statsmodels needs the same number of ratings per item: 50 raters in every playlist
    p = disfer.SimulationParameters()
    p.design.raters_per_playlist = [50] * 21
    study = disfer.simulate_study(p, 11)
    s = disfer.summarize_study(study)
    counts = counts_of(study)
    assert (counts.sum(axis=1) == 50).all()
    np.testing.assert_array_equal(s.counts, counts)
    assert s.kappa.kappa == pytest.approx(inter_rater.fleiss_kappa(counts, method="fleiss"), abs=1e-12)
    n = counts.sum(axis=1)
    p_i = (counts * (counts - 1)).sum(axis=1) / (n * (n - 1))
    np.testing.assert_allclose(s.p_i, p_i, rtol=0, atol=1e-12)
    assert s.agreement.above_0_9 == int((p_i > 0.9).sum())
    assert s.agreement.above_0_5 == int((p_i > 0.5).sum())
    assert s.agreement.below_0_3 == int((p_i < 0.3).sum())
    assert s.agreement.mean == pytest.approx(p_i.mean(), abs=1e-12)
    # per-participant accuracy
    truth = study.labels.astype(np.int64)
    right = np.zeros(study.votes.n_raters)
    seen = np.zeros(study.votes.n_raters)
    np.add.at(seen, study.votes.rater.astype(np.int64), 1)
    np.add.at(right, study.votes.rater.astype(np.int64),
              study.votes.label.astype(np.int64) == truth[study.votes.item.astype(np.int64)])
    acc = right / seen
    assert s.participants.raters == study.votes.n_raters
    assert s.participants.mean == pytest.approx(acc.mean(), abs=1e-12)
    assert s.participants.sd == pytest.approx(acc.std(ddof=1), abs=1e-12)
    # models' accuracy
    assert [p.name for p in s.predictors] == ["humans"] + study.model_names
    for m in range(4):
        assert s.predictors[m + 1].accuracy == pytest.approx((study.predictions[m] == truth).mean(), abs=1e-12)
    assert len(s.offdiag_r_mean) == 4 and len(s.offdiag_r_by_condition[0]) == 10
    assert np.asarray(s.mcnemar_log10_p).shape == (5, 5)
    assert "kappa" in s.to_dict()


def test_csv_writers(study, tmp_path):
    votes = tmp_path / "votes.csv"
    disfer.write_simulated_votes_csv(study, str(votes))
    df = pd.read_csv(votes)
    assert list(df.columns) == ["stimulus", "rater", "label"]
    names = np.array(study.stimulus_names)
    cats = np.array(study.category_names)
    np.testing.assert_array_equal(df["stimulus"], names[study.votes.item])
    np.testing.assert_array_equal(df["rater"].astype(str), np.array(study.votes.rater_names)[study.votes.rater])
    np.testing.assert_array_equal(df["label"], cats[study.votes.label])
    with pytest.raises(disfer.Error) as e:
        disfer.write_simulated_votes_csv(study, str(votes))
    assert e.value.function == "write_simulated_votes_csv"
    disfer.write_simulated_votes_csv(study, str(votes), overwrite=True)

    pred = tmp_path / "pred.csv"
    disfer.write_simulated_predictions_csv(study, 2, str(pred))
    dp = pd.read_csv(pred)
    np.testing.assert_array_equal(dp["stimulus"], names)
    np.testing.assert_array_equal(dp["label"], cats[study.predictions[2]])
    with pytest.raises(disfer.Error):
        disfer.write_simulated_predictions_csv(study, 9, str(tmp_path / "x.csv"))

    stim = tmp_path / "stimuli.csv"
    disfer.write_simulated_stimuli_csv(study, str(stim))
    ds = pd.read_csv(stim)
    np.testing.assert_array_equal(ds["source"], [st.source for st in study.stimuli])
    np.testing.assert_array_equal(ds["playlist"], [st.playlist for st in study.stimuli])
    np.testing.assert_array_equal(ds["label"], cats[study.labels])
    np.testing.assert_array_equal(ds["condition"], [study.conditions[st.condition].name for st in study.stimuli])
    np.testing.assert_array_equal(ds["perceived"], [cats[study.sources[st.source].perceived] for st in study.stimuli])


def test_bad_parameters_raise():
    p = disfer.SimulationParameters()
    p.design.n_playlists = 0
    with pytest.raises(disfer.Error) as e:
        disfer.simulate_study(p, 1)
    assert e.value.function == "simulate_study"
