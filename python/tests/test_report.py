"""disfer.reproduce against the C++ program reproduce_disfer on the same inputs (its own outputs,
not the module's: every CSV it writes must be byte-identical), the refusal to overwrite, and the
tables' content."""
import filecmp
import os
import subprocess

import numpy as np
import pytest

import disfer


def program(binary_dir):
    exe = binary_dir / "examples" / "reproduce_disfer"
    if not exe.exists():
        pytest.skip("needs the example program %s (build the examples)" % exe)
    return exe


def test_simulated_study_equals_reproduce_disfer(tmp_path, binary_dir):
    exe = program(binary_dir)
    subprocess.run([str(exe), "--seed", "7", "--bootstrap", "40", "--threads", "1", "--quiet", "--out",
                    str(tmp_path / "cpp")], check=True, capture_output=True)
    r = disfer.reproduce(seed=7, bootstrap_replicates=40, out=str(tmp_path / "py"))
    assert r.votes_origin == "simulated"
    assert len(r.stimulus_ids) == 840 and r.counts.shape == (840, 7)
    assert r.n_votes == r.counts.sum()
    csv = sorted(f for f in os.listdir(tmp_path / "cpp") if f.endswith(".csv"))
    assert len(csv) >= 5 and set(csv) <= set(r.files)
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "cpp", tmp_path / "py", csv, shallow=False)
    assert not mismatch and not errors, (mismatch, errors)
    # Fleiss' kappa of the tables equals the module's own function on the same counts.
    assert r.kappa.kappa == disfer.fleiss_kappa(r.counts).kappa
    # The figures' SVG as the program drew them.
    figures = r.figures()
    assert len(figures) == 4
    for name, svg in figures.items():
        assert (tmp_path / "cpp" / name).read_text() == svg, name
    titles = [t["title"] for t in r.tables]
    assert any("Table" in t for t in titles)
    assert "kappa" in r.text().lower()


def test_refuses_a_non_empty_folder_unless_replace(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(disfer.Error) as e:
        disfer.reproduce(bootstrap_replicates=0, out=str(out))
    assert e.value.function == "write_reproduction"
    assert (out / "mine.txt").read_text() == "keep me"
    r = disfer.reproduce(bootstrap_replicates=0, out=str(out), replace=True)
    assert "reproduction.json" in r.files


def test_bad_inputs_are_named(tmp_path):
    with pytest.raises(disfer.Error, match="stimulus manifest"):
        disfer.reproduce(votes="votes.csv")
    with pytest.raises(disfer.Error) as e:
        disfer.reproduce(stimuli=str(tmp_path / "absent.csv"))
    assert str(tmp_path / "absent.csv") in str(e.value)
    with pytest.raises(disfer.Error, match="unknown name"):
        disfer.reproduce(ties="coin")
    assert np.isnan(disfer.published("accuracy/nobody"))  # as in C++: NaN where the paper gives none
