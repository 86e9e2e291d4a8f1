"""disfer's readers and writers from Python: files written here (or committed fixtures, or the optional
shared FER-2013 / FER+ samples) read by disfer and, independently, by pandas, numpy and OpenCV; the
bad-row policy; errors carrying the file and line; writers that never replace a file unasked."""
import csv

import cv2
import numpy as np
import pandas as pd
import pytest

import disfer

EMOTIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
FERPLUS_EMOTIONS = ["anger", "disgust", "fear", "happiness", "sadness", "surprise", "neutral"]


def write_text(path, text):
    path.write_text(text, newline="")
    return path


def raises_at(path, line, f, *args, **kwargs):
    e = pytest.raises(disfer.Error, f, *args, **kwargs).value
    assert e.path == str(path)
    assert e.line == line
    return e


# ---- Votes ------------------------------------------------------------------------------------


@pytest.fixture
def votes_csv(tmp_path):
    rng = np.random.default_rng(20)
    rows = []
    for item in range(12):
        for rater in rng.choice(9, size=5, replace=False):
            rows.append(("img%02d" % item, "r%d" % rater, EMOTIONS[rng.integers(7)]))
    order = rng.permutation(len(rows))
    path = tmp_path / "votes.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["stimulus", "rater", "label"])
        w.writerows(rows[i] for i in order)
    return path


def test_read_votes_csv_matches_pandas_and_an_independent_count(votes_csv):
    t = disfer.read_votes_csv(votes_csv)
    df = pd.read_csv(votes_csv)
    assert len(t) == len(df)
    assert t.category_names == EMOTIONS
    assert t.item_names == list(pd.unique(df.stimulus))
    assert t.rater_names == list(pd.unique(df.rater))
    assert [t.item_names[i] for i in t.item] == list(df.stimulus)
    assert [t.rater_names[r] for r in t.rater] == list(df.rater)
    assert [EMOTIONS[k] for k in t.label] == list(df.label)
    item_index = {n: i for i, n in enumerate(pd.unique(df.stimulus))}
    expected = np.zeros((len(item_index), 7), dtype=np.int64)
    np.add.at(expected, ([item_index[s] for s in df.stimulus], [EMOTIONS.index(x) for x in df.label]), 1)
    assert np.array_equal(disfer.vote_counts(t), expected)


def test_read_votes_csv_options(tmp_path):
    path = write_text(tmp_path / "v.tsv", "img;who;answer\na;1;1\na;2;0\nb;1;1\n")
    t = disfer.read_votes_csv(path, stimulus_column="img", rater_column="who", label_column="answer",
                              categories=["no", "yes"], labels="index", delimiter=";")
    assert t.category_names == ["no", "yes"] and list(t.label) == [1, 0, 1] and t.item_names == ["a", "b"]
    path2 = write_text(tmp_path / "names.csv", "stimulus,rater,label\na,1,Yes\na,2,no\n")
    t2 = disfer.read_votes_csv(path2, categories=["no", "yes"], labels=disfer.LabelFormat.name)
    assert list(t2.label) == [1, 0]
    dup = write_text(tmp_path / "dup.csv", "stimulus,rater,label\na,1,happy\na,1,sad\n")
    raises_at(dup, 3, disfer.read_votes_csv, dup)
    assert len(disfer.read_votes_csv(dup, allow_duplicates=True)) == 2


def test_read_votes_csv_bad_field_names_file_and_line(tmp_path):
    path = write_text(tmp_path / "bad.csv", "stimulus,rater,label\na,1,happy\nb,1,hapy\nc,1,sad\n")
    e = raises_at(path, 3, disfer.read_votes_csv, path)
    assert "unknown label 'hapy'" in str(e) and e.column == 5
    skipped = []
    t = disfer.read_votes_csv(path, bad_rows="skip", skipped=skipped)
    assert t.item_names == ["a", "c"]
    assert len(skipped) == 1
    s = skipped[0]
    assert (s.path, s.line, s.column, s.field) == (str(path), 3, 5, "label")
    assert "unknown label" in s.reason
    assert disfer.skipped_rows_per_file(skipped) == [(str(path), 1)]
    out = tmp_path / "skipped.csv"
    disfer.write_skipped_rows_csv(out, skipped)
    back = pd.read_csv(out)
    assert list(back.columns) == ["path", "line", "column", "field", "reason"]
    assert back.line.tolist() == [3] and back.field.tolist() == ["label"]
    pytest.raises(disfer.Error, disfer.write_skipped_rows_csv, out, [])
    assert pd.read_csv(out).line.tolist() == [3]
    with pytest.raises(disfer.Error, match="skipped"):
        disfer.read_votes_csv(path, bad_rows=disfer.BadRowPolicy.skip)
    assert disfer.parse_bad_row_policy("skip") == disfer.BadRowPolicy.skip
    pytest.raises(disfer.Error, disfer.parse_bad_row_policy, "ignore")


def test_read_votes_csv_missing_file_and_column(tmp_path):
    pytest.raises(disfer.Error, disfer.read_votes_csv, tmp_path / "absent.csv")
    path = write_text(tmp_path / "cols.csv", "stimulus,label\na,happy\n")
    raises_at(path, 1, disfer.read_votes_csv, path)


# ---- Count tables -----------------------------------------------------------------------------


def test_read_count_table_csv_matches_numpy(tmp_path):
    rng = np.random.default_rng(3)
    counts = rng.integers(0, 20, size=(15, 4))
    path = tmp_path / "counts.csv"
    with open(path, "w", newline="") as f:
        f.write("id,a,b,c,d\n")
        for i, row in enumerate(counts):
            f.write("item%d,%s\n" % (i, ",".join(map(str, row))))
    t = disfer.read_count_table_csv(path, id_column="id")
    expected = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(1, 2, 3, 4), dtype=np.int64)
    assert np.array_equal(t.counts, expected)
    assert t.counts.dtype == np.int64
    assert t.item_names == ["item%d" % i for i in range(15)] and t.category_names == ["a", "b", "c", "d"]
    t2 = disfer.read_count_table_csv(path, id_column="id", columns=["d", "a"])
    assert np.array_equal(t2.counts, expected[:, [3, 0]])
    lines = path.read_text().splitlines()
    lines[6] = "item5,1,-2,3,4"
    bad = write_text(tmp_path / "bad.csv", "\n".join(lines) + "\n")
    raises_at(bad, 7, disfer.read_count_table_csv, bad, id_column="id")
    skipped = []
    t3 = disfer.read_count_table_csv(bad, id_column="id", bad_rows="skip", skipped=skipped)
    assert len(t3.item_names) == 14 and [s.line for s in skipped] == [7] and skipped[0].field == "b"


# ---- Predictions ------------------------------------------------------------------------------


def test_predictions_csv_round_trip(tmp_path):
    rng = np.random.default_rng(5)
    probs = rng.dirichlet(np.ones(7), size=9)
    path = tmp_path / "model.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["stimulus", *EMOTIONS])
        for i, p in enumerate(probs):
            w.writerow(["s%d" % i, *("%.17g" % x for x in p)])
    p = disfer.read_predictions_csv(path)
    assert p.stimuli == ["s%d" % i for i in range(9)] and p.class_names == EMOTIONS
    assert np.allclose(p.probabilities, probs, rtol=0, atol=1e-15)
    assert list(p.labels) == list(probs.argmax(axis=1))
    out = tmp_path / "out.csv"
    disfer.write_predictions_csv(out, p)
    df = pd.read_csv(out)
    assert list(df.columns) == ["stimulus", "label", *EMOTIONS]
    assert df.stimulus.tolist() == p.stimuli and df.label.tolist() == [EMOTIONS[k] for k in p.labels]
    assert np.allclose(df[EMOTIONS].to_numpy(), probs, rtol=1e-8, atol=0)
    q = disfer.read_predictions_csv(out)
    assert q.stimuli == p.stimuli and list(q.labels) == list(p.labels)
    assert np.allclose(q.probabilities, p.probabilities, rtol=1e-8, atol=0)
    before = out.read_bytes()
    e = pytest.raises(disfer.Error, disfer.write_predictions_csv, out, q).value
    assert "refusing to overwrite" in str(e)
    assert out.read_bytes() == before
    disfer.write_predictions_csv(out, q, overwrite=True)
    assert disfer.stale_staging(out) == []


def test_read_predictions_csv_labels_and_bad_row(tmp_path):
    path = write_text(tmp_path / "labels.csv", "stimulus,label\na,Happiness\nb,3\nc,angry\nd,joy\n")
    raises_at(path, 5, disfer.read_predictions_csv, path)
    skipped = []
    p = disfer.read_predictions_csv(path, bad_rows="skip", skipped=skipped)
    assert p.stimuli == ["a", "b", "c"] and list(p.labels) == [3, 3, 0]
    assert [(s.line, s.field) for s in skipped] == [(5, "label")]


# ---- FER-2013 ---------------------------------------------------------------------------------


@pytest.fixture
def fer_csv(tmp_path):
    rng = np.random.default_rng(2013)
    usages = ["Training", "PublicTest", "PrivateTest", "PublicTest", "Training"]
    labels = [3, 0, 6, 5, 2]
    images = rng.integers(0, 256, size=(5, 48, 48), dtype=np.uint8)
    path = tmp_path / "fer2013.csv"
    with open(path, "w", newline="") as f:
        f.write("emotion,pixels,Usage\n")
        for e, img, u in zip(labels, images, usages):
            f.write("%d,%s,%s\n" % (e, " ".join(map(str, img.ravel())), u))
    return path, labels, usages, images


def test_read_fer2013_small_file(fer_csv):
    path, labels, usages, images = fer_csv
    d = disfer.read_fer2013(path)
    assert len(d) == 5 and d.images.shape == (5, 48, 48) and d.images.dtype == np.uint8
    assert np.array_equal(d.images, images)
    assert d.labels.tolist() == labels and d.rows.tolist() == list(range(5)) and d.lines.tolist() == [2, 3, 4, 5, 6]
    assert [disfer.Fer2013Usage(int(u)) for u in d.usage] == [disfer.parse_fer2013_usage(u) for u in usages]
    pub = disfer.read_fer2013(path, usages=["public_test"])
    assert pub.rows.tolist() == [1, 3] and np.array_equal(pub.images, images[[1, 3]])
    both = disfer.read_fer2013(path, usages=[disfer.Fer2013Usage.training, "private_test"])
    assert both.rows.tolist() == [0, 2, 4]
    assert set(d.to_dict()) == set(disfer.Fer2013Data._fields)
    assert disfer.parse_fer2013_usage("PublicTest") == disfer.Fer2013Usage.public_test
    assert disfer.parse_fer2013_usage("publictest") is None


def test_read_fer2013_bad_row_and_default_usage(fer_csv, tmp_path):
    path, labels, usages, images = fer_csv
    lines = path.read_text().splitlines()
    lines[3] = "9" + lines[3][1:]  # line 4: emotion 9
    bad = write_text(tmp_path / "bad.csv", "\n".join(lines) + "\n")
    raises_at(bad, 4, disfer.read_fer2013, bad)
    skipped = []
    d = disfer.read_fer2013(bad, bad_rows="skip", skipped=skipped)
    assert d.rows.tolist() == [0, 1, 3, 4] and [s.line for s in skipped] == [4]
    train = write_text(tmp_path / "train.csv",
                       "emotion,pixels\n" + "".join("%d,%s\n" % (e, " ".join(map(str, img.ravel())))
                                                    for e, img in zip(labels, images)))
    pytest.raises(disfer.Error, disfer.read_fer2013, train)
    t = disfer.read_fer2013(train, default_usage="training")
    assert t.usage.tolist() == [0] * 5 and np.array_equal(t.images, images)


def test_read_fer2013_shared_sample_equals_pandas(shared_file):
    path = shared_file("data/fer2013-sample.csv")
    d = disfer.read_fer2013(path)
    df = pd.read_csv(path)
    assert len(d) == len(df)
    pixels = np.stack([np.array(p.split(), dtype=np.uint8) for p in df.pixels]).reshape(-1, 48, 48)
    assert np.array_equal(d.images, pixels)
    assert d.labels.tolist() == df.emotion.tolist()
    names = {0: "Training", 1: "PublicTest", 2: "PrivateTest"}
    assert [names[u] for u in d.usage.tolist()] == df.Usage.tolist()


# ---- FER+ -------------------------------------------------------------------------------------


def ferplus_text():
    head = "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n"
    return head + ("Training,fer0000000.png,4,0,0,1,5,0,0,0,0,0\n"
                   "Training,,0,0,0,0,0,0,0,0,0,10\n"
                   "PublicTest,fer0000002.png,0,0,0,0,0,0,0,2,3,5\n"
                   "PrivateTest,fer0000003.png,0,8,1,0,0,0,0,0,1,0\n")


def check_ferplus_against_pandas(v, path):
    df = pd.read_csv(path, keep_default_na=False)
    rows = df[df["Image name"] != ""]
    emo = rows[FERPLUS_EMOTIONS].to_numpy()
    kept = rows[emo.sum(axis=1) > 0]
    assert np.array_equal(v.counts, kept[FERPLUS_EMOTIONS].to_numpy())
    assert np.array_equal(v.other, kept[["contempt", "unknown", "NF"]].to_numpy())
    assert v.fer2013_row.tolist() == [int(n[3:10]) for n in kept["Image name"]]
    names = {0: "Training", 1: "PublicTest", 2: "PrivateTest"}
    assert [names[u] for u in v.usage.tolist()] == kept.Usage.tolist()
    assert v.image_rows == len(rows) and v.no_face_rows == len(df) - len(rows)
    assert len(v.no_emotion_items) == len(rows) - len(kept)
    assert list(v.other_totals) == rows[["contempt", "unknown", "NF"]].sum().tolist()
    assert v.category_names == EMOTIONS


def test_read_ferplus_csv_matches_pandas(tmp_path):
    path = write_text(tmp_path / "fer2013new.csv", ferplus_text())
    v = disfer.read_ferplus_csv(path)
    check_ferplus_against_pandas(v, path)
    assert v.no_face_lines == [3] and v.line.tolist() == [2, 5]
    r0 = disfer.ferplus_votes_of_row(v, 0)
    assert r0.in_table and r0.emotions == [5, 0, 0, 0, 1, 0, 4] and r0.line == 2
    r2 = disfer.ferplus_votes_of_row(v, 2)
    assert not r2.in_table and r2.other == [2, 3, 5] and r2.usage == disfer.Fer2013Usage.public_test
    assert disfer.ferplus_votes_of_row(v, 1) is None
    bad = write_text(tmp_path / "bad.csv", ferplus_text().replace("fer0000003.png,0,8", "fer0000003.png,0,x"))
    raises_at(bad, 5, disfer.read_ferplus_csv, bad)


def test_read_ferplus_shared_sample(shared_file):
    path = shared_file("data/fer2013new-sample.csv")
    v = disfer.read_ferplus_csv(path)
    check_ferplus_against_pandas(v, path)
    table = disfer.read_count_table_csv(shared_file("data/ferplus-votes-sample.csv"), id_column="row",
                                        columns=FERPLUS_EMOTIONS)
    by_row = {int(n): i for i, n in enumerate(table.item_names)}
    assert np.array_equal(v.counts, table.counts[[by_row[r] for r in v.fer2013_row.tolist()]])


# ---- jsPsych ----------------------------------------------------------------------------------


JSPSYCH = ["p01.csv", "p02.json", "p03.json", "p04_edited.csv"]


def test_read_jspsych_votes_equal_the_reference(source_dir):
    folder = source_dir / "tests" / "data" / "jspsych"
    v = disfer.read_jspsych_votes([folder / n for n in JSPSYCH])
    ref = pd.read_csv(source_dir / "tests" / "io" / "reference" / "jspsych_votes.csv", dtype={"participant": str})
    ref = ref[ref.excluded == 0]
    t = v.votes
    assert len(t) == len(ref)
    assert [t.rater_names[r] for r in t.rater] == ref.participant.tolist()
    assert [t.item_names[i] for i in t.item] == ref.stimulus.tolist()
    assert [t.category_names[k] for k in t.label] == ref.label.tolist()
    assert v.position.tolist() == ref.position.tolist() and v.line.tolist() == ref.line.tolist()
    assert [f.rsplit("/", 1)[-1] for f in v.file] == ref.file.tolist()
    assert np.allclose(v.rt, ref.rt.to_numpy(), equal_nan=True)
    participants = pd.read_csv(source_dir / "tests" / "io" / "reference" / "jspsych_participants.csv",
                               dtype=str, keep_default_na=False)
    assert [p.id for p in v.participants] == participants.iloc[:, 0].tolist()
    assert sum(p.excluded for p in v.participants) >= 1
    one = disfer.read_jspsych_votes(str(folder / "p01.csv"))
    assert len(one.votes) == (ref.file == "p01.csv").sum()


def test_read_jspsych_bad_rows(source_dir):
    path = source_dir / "tests" / "data" / "jspsych" / "bad_rows.csv"
    ref = pd.read_csv(source_dir / "tests" / "io" / "reference" / "jspsych_skipped.csv", keep_default_na=False)
    raises_at(path, int(ref.line.iloc[0]), disfer.read_jspsych_votes, path)
    skipped = []
    disfer.read_jspsych_votes(path, bad_rows="skip", skipped=skipped)
    assert [s.line for s in skipped] == ref.line.tolist()
    assert [s.field for s in skipped] == ref.field.tolist()
    assert all(s.path == str(path) for s in skipped)


# ---- PGM --------------------------------------------------------------------------------------


def test_pgm_against_opencv(tmp_path):
    rng = np.random.default_rng(7)
    img = rng.integers(0, 256, size=(13, 21), dtype=np.uint8)
    a = tmp_path / "a.pgm"
    assert cv2.imwrite(str(a), img)
    assert np.array_equal(disfer.read_pgm(a), cv2.imread(str(a), cv2.IMREAD_UNCHANGED))
    assert disfer.read_pgm(a).dtype == np.uint8
    b = tmp_path / "b.pgm"
    disfer.write_pgm(b, img)
    assert np.array_equal(cv2.imread(str(b), cv2.IMREAD_UNCHANGED), img)
    c = tmp_path / "c.pgm"
    disfer.write_pgm(c, img, plain=True)
    assert c.read_bytes().startswith(b"P2\n") and np.array_equal(disfer.read_pgm(c), img)
    deep = rng.integers(0, 65536, size=(5, 4), dtype=np.uint16)
    d = tmp_path / "d.pgm"
    disfer.write_pgm(d, deep)
    back = cv2.imread(str(d), cv2.IMREAD_UNCHANGED)
    assert back.dtype == np.uint16 and np.array_equal(back, deep) and np.array_equal(disfer.read_pgm(d), deep)
    e = pytest.raises(disfer.Error, disfer.write_pgm, b, np.zeros((2, 2), np.uint8)).value
    assert "refusing to overwrite" in str(e)
    assert np.array_equal(cv2.imread(str(b), cv2.IMREAD_UNCHANGED), img)
    disfer.write_pgm(b, np.zeros((2, 2), np.uint8), overwrite=True)
    assert disfer.read_pgm(b).shape == (2, 2)
    pytest.raises(disfer.Error, disfer.write_pgm, tmp_path / "f.pgm", np.zeros((2, 2), np.float32))
    truncated = tmp_path / "t.pgm"
    truncated.write_bytes(b"P2\n2 2\n255\n1 2\n3 x\n")
    raises_at(truncated, 5, disfer.read_pgm, truncated)


# ---- Design writers ---------------------------------------------------------------------------


@pytest.fixture
def design(fer_csv, tmp_path):
    rng = np.random.default_rng(11)
    path = tmp_path / "fer-design.csv"
    with open(path, "w", newline="") as f:
        f.write("emotion,pixels,Usage\n")
        for e in range(7):
            for _ in range(3):
                f.write("%d,%s,PublicTest\n" % (e, " ".join(map(str, rng.integers(0, 256, 2304)))))
    sources = disfer.sample_sources(str(path), per_emotion=2, seed=3)
    conditions = disfer.disfer_conditions()[:2]
    stimuli = disfer.make_stimuli(sources, conditions, 2022)
    sets = disfer.make_playlists(stimuli, 2, len(stimuli) // 2, 2022)
    return sources, conditions, stimuli, sets


def test_design_writers_are_staged(design, tmp_path):
    sources, conditions, stimuli, sets = design
    manifest = tmp_path / "manifest.csv"
    disfer.write_manifest(manifest, stimuli, sources)
    m = pd.read_csv(manifest, comment="#")
    assert m.id.tolist() == [s.id for s in stimuli] and m.file.tolist() == [s.id + ".pgm" for s in stimuli]
    playlists = tmp_path / "playlists.csv"
    disfer.write_playlists_csv(playlists, stimuli, sets)
    p = pd.read_csv(playlists)
    assert p.id.tolist() == [stimuli[i].id for pl in sets.playlists for i in pl]
    orders_path = tmp_path / "presentation-orders.csv"
    disfer.write_presentation_orders(orders_path, stimuli, sets, 2, 99)
    orders = disfer.read_presentation_orders(str(orders_path))
    assert len(orders) == 4
    assert orders[1].ids == [stimuli[i].id for i in disfer.presentation_order(sets, 0, 1, 99)]
    study = disfer.plan_experiment(orders, [s.id for s in stimuli], attention_checks=1, seed=5)
    js = tmp_path / "study.js"
    disfer.write_experiment_study_js(js, study)
    assert js.read_text().count("window.DISFER_STUDY = {") == 1
    for path, call in [(manifest, lambda o: disfer.write_manifest(manifest, stimuli, sources, overwrite=o)),
                       (playlists, lambda o: disfer.write_playlists_csv(playlists, stimuli, sets, overwrite=o)),
                       (orders_path, lambda o: disfer.write_presentation_orders(orders_path, stimuli, sets, 1, 1,
                                                                                overwrite=o)),
                       (js, lambda o: disfer.write_experiment_study_js(js, study, overwrite=o))]:
        path.write_text("the user's file\n")
        e = pytest.raises(disfer.Error, call, False).value
        assert "refusing to overwrite" in str(e)
        assert path.read_text() == "the user's file\n"
        call(True)
        assert path.read_text() != "the user's file\n"
        assert disfer.stale_staging(path) == []
    e = pytest.raises(disfer.Error, disfer.write_manifest, tmp_path / "none.csv", [], sources).value
    assert "no stimuli" in str(e)
    assert not (tmp_path / "none.csv").exists()


def test_stale_staging_lists_and_removes(tmp_path):
    target = tmp_path / "out.csv"
    (tmp_path / ".out.csv.partial-3").write_text("x")
    (tmp_path / ".out.csv.old-0").mkdir()
    (tmp_path / ".out.csv.partial-x").write_text("not a leftover")
    assert [p.rsplit("/", 1)[-1] for p in disfer.stale_staging(target)] == [".out.csv.old-0", ".out.csv.partial-3"]
    assert disfer.remove_stale_staging(target) == 2
    assert disfer.stale_staging(target) == [] and (tmp_path / ".out.csv.partial-x").exists()


# ---- Core helpers -----------------------------------------------------------------------------


def test_index_of_and_shuffle():
    assert [disfer.index_of(e) for e in EMOTIONS] == list(range(7))
    assert disfer.index_of(disfer.Emotion.neutral) == 6
    key = disfer.StreamKey(1, 2, 3)
    perm = disfer.random_permutation(10, key)
    values = ["v%d" % i for i in range(10)]
    assert disfer.shuffle(values, key) == [values[i] for i in perm]
    assert disfer.shuffle(list(range(10)), key) == list(perm)
    assert values == ["v%d" % i for i in range(10)]
    assert disfer.shuffle([], key) == []
