"""The DisFER design from Python on a synthetic FER-2013 file: the seeded source sample (checked
against its rule recomputed here from raw Philox words), 840 stimuli with their documented ids, keys
and pixels, 21 playlists of 40 whose balance is checked here independently of check_playlists,
presentation orders, the stimulus folder, the experiment plan, and the bad-input errors."""
import collections
import csv
import hashlib
import math

import cv2
import numpy as np
import pytest

import disfer

EMOTIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]


@pytest.fixture(scope="module")
def fer_csv(tmp_path_factory):
    """7 emotions x (20 PublicTest + 6 PrivateTest + 5 Training) rows in a shuffled order."""
    rng = np.random.default_rng(2013)
    rows = [(e, u) for e in range(7) for u in ["PublicTest"] * 20 + ["PrivateTest"] * 6 + ["Training"] * 5]
    order = rng.permutation(len(rows))
    path = tmp_path_factory.mktemp("fer") / "fer2013.csv"
    pixels = []
    with open(path, "w", newline="") as f:
        f.write("emotion,pixels,Usage\n")
        for i in order:
            e, u = rows[i]
            img = rng.integers(0, 256, size=(48, 48), dtype=np.uint8)
            pixels.append(img)
            f.write("%d,%s,%s\n" % (e, " ".join(map(str, img.ravel())), u))
    labels = [rows[i][0] for i in order]
    usages = [rows[i][1] for i in order]
    return path, labels, usages, pixels


@pytest.fixture(scope="module")
def design(fer_csv):
    path = fer_csv[0]
    sources = disfer.sample_sources(str(path), per_emotion=12, seed=7)
    stimuli = disfer.make_stimuli(sources, disfer.disfer_conditions(), 2022)
    sets = disfer.make_playlists(stimuli, 21, 40, 2022)
    return sources, stimuli, sets


def first_u64(seed, item, purpose):
    w = disfer.philox4x32_10([0, purpose, item & 0xFFFFFFFF, item >> 32], [seed & 0xFFFFFFFF, seed >> 32])
    return w[0] | (w[1] << 32)


def test_sources_follow_the_documented_rule(fer_csv, design):
    path, labels, usages, pixels = fer_csv
    sources = design[0]
    assert len(sources.sources) == 84
    assert sources.input_name == "fer2013.csv" and sources.input_rows == len(labels)
    assert sources.input_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert list(sources.eligible) == [26] * 7 and sources.warnings == [] and sources.seed == 7
    expected = []
    for e in range(7):
        eligible = [r for r in range(len(labels)) if labels[r] == e and usages[r] != "Training"]
        ranked = sorted(eligible, key=lambda r: (first_u64(7, r, disfer.purpose.source_sampling), r))
        expected += sorted(ranked[:12])
    assert [s.fer2013_row for s in sources.sources] == expected
    for i, s in enumerate(sources.sources):
        assert s.source_id == i
        assert s.label == disfer.Emotion(labels[s.fer2013_row]) and s.label.name == EMOTIONS[labels[s.fer2013_row]]
        assert s.usage.name == {"PublicTest": "public_test", "PrivateTest": "private_test"}[usages[s.fer2013_row]]
        assert np.array_equal(s.image, pixels[s.fer2013_row])
        assert not s.image.flags.writeable
    other = disfer.sample_sources(str(path), per_emotion=12, seed=8, hash_input=False)
    assert other.input_sha256 == "" and [s.fer2013_row for s in other.sources] != expected
    training = disfer.sample_sources(str(path), per_emotion=3, usages=["training"], emotions=["happy", "sad"])
    assert [s.label.name for s in training.sources] == ["happy"] * 3 + ["sad"] * 3 and training.warnings
    only = disfer.sample_sources(str(path), per_emotion=1, emotions=["fear"], only_rows=expected)
    assert only.sources[0].fer2013_row in expected


def test_stimuli_ids_keys_and_pixels(design):
    sources, stimuli, _ = design
    conditions = disfer.disfer_conditions()
    assert len(stimuli) == 840
    codes = ["orig", "gb0.8", "gb1.1", "gb1.4", "gn10", "gn20", "gn30", "sp0.02", "sp0.04", "sp0.06"]
    assert [disfer.condition_code(c) for c in conditions] == codes
    for s in stimuli:
        src = sources.sources[s.source_id]
        c = conditions[s.condition_index]
        assert s.index == s.source_id * 10 + s.condition_index
        assert s.id == "fer%d_%s" % (src.fer2013_row, codes[s.condition_index])
        assert s.id == disfer.stimulus_id(src.fer2013_row, c)
        assert s.condition == c and s.label == src.label and s.fer2013_row == src.fer2013_row
        item = int.from_bytes(hashlib.sha256(s.id.encode()).digest()[:8], "big")
        assert disfer.stimulus_key_item(s.id) == item
        assert (s.key.seed, s.key.item, s.key.purpose) == (2022, item, disfer.default_purpose(c.kind))
    k = stimuli[0].key
    k.seed = 1
    assert stimuli[0].key.seed == 2022  # a copy: the stimulus is read-only
    for s in stimuli[:40]:  # the pixels: the documented kernel call, blur against OpenCV
        src = sources.sources[s.source_id].image
        assert np.array_equal(s.image, disfer.apply(s.condition, src, s.key))
        if s.condition.kind == disfer.DistortionKind.gaussian_blur:
            assert np.array_equal(s.image, cv2.GaussianBlur(np.array(src), (0, 0), s.condition.level))
        if s.condition.kind == disfer.DistortionKind.none:
            assert np.array_equal(s.image, src)
    again = disfer.make_stimuli(sources, seed=2022, threads=1)  # default conditions, one thread
    assert all(np.array_equal(a.image, b.image) and a.id == b.id for a, b in zip(stimuli, again))
    other = disfer.make_stimuli(sources, ["GN 20"], seed=2023)
    assert not np.array_equal(other[0].image, stimuli[5].image)
    d = stimuli[3].to_dict()
    assert d["id"] == stimuli[3].id and "image" in d and stimuli[3]._fields[0] == "id"


def test_playlists_balanced_checked_independently(design):
    _, stimuli, sets = design
    P, L = 21, 40
    assert len(sets.playlists) == P and all(len(p) == L for p in sets.playlists)
    assert sorted(i for p in sets.playlists for i in p) == list(range(840))
    assert all(list(p) == sorted(p) for p in sets.playlists)
    families = {
        "source": lambda s: s.source_id,
        "condition": lambda s: s.condition.label,
        "kind": lambda s: s.condition.kind,
        "emotion": lambda s: s.label,
        "emotion x kind": lambda s: (s.label, s.condition.kind),
        "emotion x condition": lambda s: (s.label, s.condition.label),
    }
    for family, key in families.items():
        totals = collections.Counter(key(s) for s in stimuli)
        for p in sets.playlists:
            counts = collections.Counter(key(stimuli[i]) for i in p)
            for category, n in totals.items():
                assert n // P <= counts[category] <= math.ceil(n / P), (family, category, counts[category])
    # the paper's numbers (Leveque et al. 2022, section 3.2)
    for p in sets.playlists:
        members = [stimuli[i] for i in p]
        assert set(collections.Counter(s.condition.label for s in members).values()) == {4}
        kinds = collections.Counter(s.condition.kind.name for s in members)
        assert kinds == {"none": 4, "gaussian_blur": 12, "gaussian_noise": 12, "salt_and_pepper": 12}
        assert set(collections.Counter(s.label for s in members).values()) <= {5, 6}
        assert max(collections.Counter(s.source_id for s in members).values()) == 1
    check = disfer.check_playlists(stimuli, sets)
    assert check.ok and check.violations == []
    again = disfer.make_playlists(stimuli, 21, 40, 2022)
    assert again.playlists == sets.playlists and again.seed == 2022


def test_check_playlists_reports_violations(design):
    _, stimuli, sets = design
    lists = [list(p) for p in sets.playlists]
    lists[0][0], lists[1][0] = lists[1][0], lists[0][0]  # keeps coverage and sizes
    lists[0].sort()
    lists[1].sort()
    moved = disfer.PlaylistSet(lists, seed=1)
    broken = disfer.PlaylistSet([p for p in lists[:-1]] + [lists[-1][:-1]])
    for s in (moved, broken):
        check = disfer.check_playlists(stimuli, s)
        if s is broken:
            assert not check.ok
            rules = {v.rule for v in check.violations}
            assert "coverage" in rules and all(v.message for v in check.violations)


def test_presentation_orders_and_experiment(design, tmp_path):
    _, stimuli, sets = design
    orders = {}
    rows = []
    for p in range(3):
        for k in range(2):
            order = disfer.presentation_order(sets, p, k, 99)
            assert sorted(order) == list(sets.playlists[p])
            assert order == disfer.presentation_order(sets, p, k, 99)
            orders[(p, k)] = order
            rows += [(p * 2 + k, p, pos, stimuli[i].id) for pos, i in enumerate(order)]
    assert orders[(0, 0)] != orders[(0, 1)]
    path = tmp_path / "presentation-orders.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["participant", "playlist", "position", "id"])
        w.writerows(rows)
    read = disfer.read_presentation_orders(str(path))
    assert [(o.participant, o.playlist) for o in read] == [(0, 0), (1, 0), (2, 1), (3, 1), (4, 2), (5, 2)]
    assert read[3].ids == [stimuli[i].id for i in orders[(1, 1)]]
    study = disfer.plan_experiment(read, [s.id for s in stimuli], attention_checks=2, seed=5)
    assert [p.playlist for p in study.playlists] == [0, 1, 2]
    assert [b.label for b in study.buttons] == [b.label for b in disfer.disfer_buttons()]
    assert [b.label for b in disfer.disfer_buttons()] == ["Anger", "Disgust", "Fear", "Happiness", "Neutral",
                                                          "Sadness", "Surprise"]
    for pl in study.playlists:
        for o in pl.orders:
            assert len(o.checks) == 2
            for c in o.checks:
                assert c.image not in o.ids and 0 <= c.expected < 7
    manual = disfer.plan_experiment([disfer.ParticipantOrder(0, 0, [stimuli[0].id, stimuli[1].id])],
                                    [s.id for s in stimuli[:5]], attention_checks=1,
                                    buttons=[disfer.ExperimentButton("Yes", "happy"),
                                             disfer.ExperimentButton("No", "sad")])
    assert manual.playlists[0].orders[0].checks[0].expected in (0, 1)


def test_write_stimuli_folder(design, tmp_path):
    sources, stimuli, _ = design
    folder = tmp_path / "stimuli"
    disfer.write_stimuli(str(folder), stimuli, sources, extra_files={"notes.txt": "hello\n"})
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 842 and "manifest.csv" in files and "notes.txt" in files
    data = (folder / (stimuli[5].id + ".pgm")).read_bytes()
    assert data.startswith(b"P5") and data[-48 * 48:] == stimuli[5].image.tobytes()
    lines = [l for l in (folder / "manifest.csv").read_text().splitlines() if not l.startswith("#")]
    table = list(csv.DictReader(lines))
    header = [l for l in (folder / "manifest.csv").read_text().splitlines() if l.startswith("#")]
    assert "# seed: 2022" in header and "# conditions: " + "; ".join(c.label for c in disfer.disfer_conditions()) in header
    assert len(table) == 840 and table[5]["id"] == stimuli[5].id and table[5]["key_item"] == str(stimuli[5].key.item)
    e = pytest.raises(disfer.Error, disfer.write_stimuli, str(folder), stimuli, sources, seed=2022).value
    assert e.function == "write_stimuli"
    disfer.write_stimuli(str(folder), stimuli[:10], sources, seed=2022, overwrite=True)
    assert len(list(folder.iterdir())) == 11


def test_design_errors(fer_csv, design, tmp_path):
    path = str(fer_csv[0])
    sources, stimuli, sets = design
    bad = tmp_path / "bad.csv"
    bad.write_text("emotion,pixels,Usage\n9,1 2 3,PublicTest\n")
    cases = [
        ("sample_sources", lambda: disfer.sample_sources(str(tmp_path / "missing.csv"))),
        ("sample_sources", lambda: disfer.sample_sources(path, per_emotion=0)),
        ("sample_sources", lambda: disfer.sample_sources(path, per_emotion=27)),
        ("sample_sources", lambda: disfer.sample_sources(path, usages=[])),
        ("sample_sources", lambda: disfer.sample_sources(path, emotions=["happy", "happy"])),
        ("sample_sources", lambda: disfer.sample_sources(str(bad))),
        ("sample_sources", lambda: disfer.sample_sources(path, only_rows=[-1])),
        ("Fer2013Usage", lambda: disfer.sample_sources(path, usages=["test"])),
        ("make_stimuli", lambda: disfer.make_stimuli(sources, [], 1)),
        ("make_stimuli", lambda: disfer.make_stimuli(sources, ["GB 1", "GB 1"], 1)),
        ("make_stimuli", lambda: disfer.make_stimuli(sources, ["GN -5"], 1)),
        ("parse_distortion_kind", lambda: disfer.make_stimuli(sources, ["bogus 1"], 1)),
        ("Distortion.parse", lambda: disfer.make_stimuli(sources, ["GB"], 1)),
        ("make_playlists", lambda: disfer.make_playlists(stimuli, 20, 40, 1)),
        ("make_playlists", lambda: disfer.make_playlists([], 1, 1, 1)),
        ("presentation_order", lambda: disfer.presentation_order(sets, 21, 0, 1)),
        ("presentation_order", lambda: disfer.presentation_order(sets, 0, 2**32, 1)),
        ("read_presentation_orders", lambda: disfer.read_presentation_orders(str(bad))),
        ("plan_experiment", lambda: disfer.plan_experiment([disfer.ParticipantOrder(0, 0, ["nope"])], ["a", "b"])),
        ("write_stimuli", lambda: disfer.write_stimuli(str(tmp_path / "w"), [], sources)),
        ("write_stimuli", lambda: disfer.write_stimuli(str(tmp_path / "w"), stimuli[1:2], sources)),
    ]
    for function, call in cases:
        with pytest.raises(disfer.Error) as info:
            call()
        assert info.value.function == function, (function, str(info.value))
    with pytest.raises(disfer.Error) as info:
        disfer.sample_sources(str(bad))
    assert info.value.path.endswith("bad.csv") and info.value.line == 2
