"""The bundled networks from Python against TensorFlow.js's own outputs, committed by the C++ suite's
oracle scripts (tests/inference/reference/*_oracle.json: TF.js 4.22 cpu, face-api 1.7.15), on the
same 30 inputs; the batch forms, thread invariance and the errors."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import disfer

REFERENCE = "tests/inference/reference"
FACEAPI_ORDER = ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"]
FER2013_OF_FACEAPI = {"neutral": 6, "happy": 3, "sad": 4, "angry": 0, "fearful": 2, "disgusted": 1, "surprised": 5}


def oracle(source_dir, name):
    with open(source_dir / REFERENCE / name) as f:
        data = json.load(f)
    raw = np.fromfile(source_dir / data["inputs"]["file"], dtype=np.uint8)
    return data, raw.reshape(data["inputs"]["shape"])


def test_xception_matches_tfjs(source_dir):
    data, inputs = oracle(source_dir, "tfjs_oracle.json")
    assert data["class_order"] == disfer.emotion_names()
    net = disfer.Fer2013Xception()
    assert net.class_names == disfer.emotion_names()
    p = net.predict(inputs)
    assert p.probabilities.shape == (30, 7)
    for case in data["cases"]:
        np.testing.assert_allclose(p.probabilities[case["input"]], case["probabilities"], rtol=0, atol=1e-5,
                                   err_msg=case["name"])
        assert p.labels[case["input"]] == case["top_class"] or case["top_two_gap"] < 1e-5


def test_faceapi_matches_faceapi_on_tfjs(source_dir):
    data, inputs = oracle(source_dir, "faceapi_oracle.json")
    assert data["class_order"] == FACEAPI_ORDER
    net = disfer.FaceapiExpression()
    p = net.predict(inputs)
    for case in data["cases"]:
        expected = np.zeros(7)
        for j, name in enumerate(FACEAPI_ORDER):
            expected[FER2013_OF_FACEAPI[name]] = float(case["probabilities"][j])
        np.testing.assert_allclose(p.probabilities[int(case["input"])], expected, rtol=0, atol=1e-5,
                                   err_msg=case["name"])


def test_batch_forms_dtypes_and_threads_agree(source_dir):
    _, inputs = oracle(source_dir, "tfjs_oracle.json")
    net = disfer.Fer2013Xception()
    one = net.predict(inputs[:8]).probabilities
    assert np.array_equal(net.predict(list(inputs[:8])).probabilities, one)
    assert np.array_equal(net.predict(inputs[:8].astype(np.float32)).probabilities, one)
    assert np.array_equal(net.predict(inputs[:8], threads=2, batch_size=3).probabilities, one)
    assert np.array_equal(net.predict(inputs[0]).probabilities[0], one[0])


def test_bad_batches_raise_disfer_error(tmp_path):
    net = disfer.Fer2013Xception()
    with pytest.raises(disfer.Error, match="N x H x W"):
        net.predict(np.zeros((2, 3, 48, 48)))
    with pytest.raises(disfer.Error) as e:
        net.predict(np.full((2, 48, 48), np.nan))
    assert "predict" in e.value.function
    with pytest.raises(disfer.Error) as e:
        disfer.Fer2013Xception(str(tmp_path / "absent"))
    assert e.value.function == "fer2013_xception::load"


def test_ctrl_c_cancels_a_long_prediction(tmp_path):
    # A child predicts a large batch; SIGINT after it started must end it with KeyboardInterrupt
    # long before the batch would have finished.
    script = textwrap.dedent("""
        import sys, time, numpy as np, disfer
        net = disfer.FaceapiExpression()
        x = np.zeros((20000, 48, 48), dtype=np.uint8)
        print("started", flush=True)
        t = time.time()
        try:
            net.predict(x, batch_size=8)
            print("finished", flush=True)
        except KeyboardInterrupt:
            print("interrupted after %.2f s" % (time.time() - t), flush=True)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    assert child.stdout.readline().strip() == "started"
    time.sleep(1.0)
    sent = time.time()
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=60)
    assert out.startswith("interrupted"), out
    assert time.time() - sent < 5
