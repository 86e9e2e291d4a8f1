"""Fine-tuning the bundled networks' heads from Python (head_training.hpp, graph_head.hpp,
faceapi_head.hpp, disfer_protocol.hpp): the head on frozen features reproduces the network's own
(TF.js-verified) output, training reaches chosen labels, numpy recomputations of one_hot and the
loss, the protocol split checked independently, and the errors."""
import numpy as np
import pytest

import disfer

NETWORKS = [disfer.Fer2013Xception, disfer.FaceapiExpression]


@pytest.fixture(scope="module")
def inputs():
    from conftest import SOURCE
    raw = np.fromfile(SOURCE / "tests/inference/reference/oracle_inputs.u8", dtype=np.uint8)
    return raw.reshape(30, 48, 48)


@pytest.fixture(scope="module", params=NETWORKS, ids=lambda c: c.__name__)
def net(request):
    return request.param()


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def test_head_reproduces_network(net, inputs):
    x = inputs[:8]
    w = disfer.read_head_weights(net)
    f = disfer.head_features(net, x)
    assert f.shape == (8, w.kernel.shape[0]) and w.kernel.shape[1] == 7
    p = disfer.head_probabilities(w, f)
    np.testing.assert_allclose(p, net.predict(x).probabilities, rtol=0, atol=1e-5)
    np.testing.assert_allclose(p, softmax(f @ w.kernel + w.bias), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(disfer.head_predict(w, f), p.argmax(axis=1))
    np.testing.assert_allclose(disfer.predict(net, x).probabilities, net.predict(x).probabilities, atol=0)
    np.testing.assert_array_equal(disfer.head_features(net, x, threads=2), f)


def test_training_reaches_chosen_labels(net, inputs):
    x = inputs[:7]
    f = disfer.head_features(net, x)
    w0 = disfer.read_head_weights(net)
    chosen = np.array([6, 5, 4, 3, 2, 1, 0])
    r = disfer.fine_tune_head(w0, f, chosen, learning_rate=0.05, weight_decay=0.0, max_epochs=60, batch_size=7)
    assert r.epochs_run == 60 and len(r.train_loss) == 60
    np.testing.assert_array_equal(disfer.head_predict(r.weights, f), chosen)
    tuned = disfer.with_head_weights(net, r.weights)
    assert type(tuned) is type(net)
    np.testing.assert_array_equal(tuned.predict(x).labels, chosen)
    # the original is unchanged
    np.testing.assert_allclose(disfer.read_head_weights(net).kernel, w0.kernel, atol=0)
    # the same seed, the same weights
    again = disfer.fine_tune_head(w0, f, chosen, learning_rate=0.05, weight_decay=0.0, max_epochs=60, batch_size=7)
    np.testing.assert_array_equal(again.weights.kernel, r.weights.kernel)
    # early stopping with a validation set
    v = disfer.fine_tune_head(w0, f, chosen, f, chosen, learning_rate=0.05, max_epochs=10, optimizer="sgd_momentum")
    assert len(v.validation_loss) == v.epochs_run + 1


def test_one_hot():
    labels = np.array([0, 3, 6, 6, 1])
    np.testing.assert_array_equal(disfer.one_hot(labels, 7), np.eye(7)[labels])
    with pytest.raises(disfer.Error) as e:
        disfer.one_hot([0, 7], 7)
    assert e.value.function == "one_hot"


def test_head_loss_against_numpy():
    rng = np.random.default_rng(3)
    kernel, bias = rng.normal(size=(5, 7)), rng.normal(size=7)
    w = disfer.HeadWeights(kernel, bias)
    f = rng.normal(size=(9, 5))
    t = rng.dirichlet(np.ones(7), size=9)
    p = softmax(f @ kernel + bias)
    ce = -(t * np.log(p)).sum(axis=1).mean()
    o = disfer.head_loss(w, f, t, weight_decay=0.1)
    assert o.cross_entropy == pytest.approx(ce, abs=1e-12)
    assert o.loss == pytest.approx(ce + 0.05 * (kernel ** 2).sum(), abs=1e-12)
    np.testing.assert_allclose(o.gradient.kernel, f.T @ (p - t) / 9 + 0.1 * kernel, atol=1e-12)
    np.testing.assert_allclose(o.gradient.bias, (p - t).mean(axis=0), atol=1e-12)
    anchor = disfer.HeadWeights(kernel + 1, bias)
    assert disfer.head_loss(w, f, t, weight_decay=0.1, anchor=anchor).loss == pytest.approx(ce + 0.05 * 35, abs=1e-12)
    labels = np.arange(9) % 7
    assert disfer.head_loss(w, f, labels).cross_entropy == pytest.approx(
        -np.log(p[np.arange(9), labels]).mean(), abs=1e-12)


def test_bad_input_raises():
    w = disfer.HeadWeights(np.zeros((5, 7)), np.zeros(7))
    with pytest.raises(disfer.Error) as e:
        disfer.head_probabilities(w, np.zeros((2, 4)))
    assert e.value.function == "head_probabilities"
    f = np.zeros((2, 5))
    f[1, 2] = np.nan
    with pytest.raises(disfer.Error) as e:
        disfer.fine_tune_head(w, f, [0, 1])
    assert e.value.function == "fine_tune_head"
    with pytest.raises(disfer.Error) as e:
        disfer.fine_tune_head(w, np.zeros((2, 5)), [0, 7])
    assert e.value.function == "fine_tune_head"
    with pytest.raises(disfer.Error) as e:
        disfer.head_loss(w, np.zeros((2, 5)), [0, 9])
    assert e.value.function == "head_loss"
    with pytest.raises(disfer.Error) as e:
        disfer.fine_tune_head(w, np.zeros((2, 5)), [0, 1], learning_rate=-1)
    assert e.value.function == "fine_tune_head"
    with pytest.raises(disfer.Error):
        disfer.fine_tune_head(w, np.zeros((2, 5)), [0, 1], no_such_option=1)


def synthetic_records(per_class=5, seed=0):
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(7), per_class)
    images = rng.integers(0, 256, size=(labels.size, 48, 48), dtype=np.uint8)
    return images, labels


def test_protocol_split():
    images, labels = synthetic_records(per_class=6)
    usages = ["training"] * labels.size
    usages[0] = "PublicTest"  # class 0 loses one eligible image
    rows = np.arange(labels.size) + 100
    s = disfer.disfer_protocol_split(images, labels, usages=usages, rows=rows, train_per_class=3,
                                     validation_per_class=1, excluded_rows=[101], seed=5)
    assert len(s.train) == 21 and len(s.validation) == 7
    assert len(disfer.disfer_protocol_split(images, labels, train_per_class=5, validation_per_class=1).train) == 35
    assert not set(s.train) & set(s.validation)
    assert len(set(s.train)) == 21 and len(set(s.validation)) == 7
    np.testing.assert_array_equal(labels[s.train], np.repeat(np.arange(7), 3))
    np.testing.assert_array_equal(labels[s.validation], np.arange(7))
    assert not {0, 1} & (set(s.train) | set(s.validation))
    with pytest.raises(disfer.Error) as e:
        disfer.disfer_protocol_split(images, labels, usages=usages, excluded_rows=[1], train_per_class=4,
                                     validation_per_class=1)
    assert e.value.function == "disfer_protocol_split"
    # schedule: balanced batches, half clean
    sched = disfer.disfer_protocol_schedule(labels[s.train], 7, 2, batches_per_epoch=2, per_class_per_batch=2)
    batches = sched(0)
    assert len(batches) == 2 and all(len(b) == 14 for b in batches)
    n = 21
    for b in batches:
        b = np.array(b)
        assert ((b // n) == 0).sum() == 7 and ((b // n) > 0).sum() == 7
        np.testing.assert_array_equal(np.sort(labels[s.train][b % n]), np.repeat(np.arange(7), 2))


def test_protocol_codes_and_keys():
    assert [disfer.protocol_code(k) for k in ("gaussian_blur", "gaussian_noise", "salt_and_pepper")] == ["GB", "GN", "SP"]
    with pytest.raises(disfer.Error):
        disfer.protocol_code("none")
    k = disfer.protocol_distortion_key(2022, 5, 1, "gaussian_noise")
    j = disfer.protocol_distortion_key(2022, 5, 1, "gaussian_noise")
    assert k.item == 5 and (k.seed, k.purpose) == (j.seed, j.purpose)
    assert disfer.protocol_distortion_key(2022, 5, 0, "gaussian_noise").seed != k.seed


def test_fine_tune_protocol(inputs):
    net = disfer.FaceapiExpression()
    images, labels = synthetic_records(per_class=3, seed=1)
    ft = disfer.fine_tune_disfer_protocol(net, images, labels, "gaussian_noise", seed=3, train_per_class=2,
                                          validation_per_class=1, batches_per_epoch=1, per_class_per_batch=2,
                                          levels=[10.0], max_epochs=2)
    assert ft.name == "face-api FaceExpressionNet FT-GN"
    assert len(ft.split.train) == 14 and len(ft.split.validation) == 7
    assert ft.training.epochs_run <= 2
    p = ft.model.predict(inputs[:4])
    q = disfer.head_probabilities(ft.weights, disfer.head_features(net, inputs[:4]))
    np.testing.assert_allclose(p.probabilities, q, atol=1e-5)
    np.testing.assert_allclose(disfer.predict(ft.model, inputs[:4]).probabilities, p.probabilities, atol=0)
    v = disfer.versioned_head_features(net, images[:2], [7, 8], "gaussian_noise", [10.0, 20.0], 3)
    assert v.shape == (6, 256)
    np.testing.assert_allclose(v[:2], disfer.head_features(net, images[:2]), atol=0)
    three = disfer.fine_tune_disfer_protocol(net, images, labels, seed=3, train_per_class=2, validation_per_class=1,
                                             batches_per_epoch=1, per_class_per_batch=2, max_epochs=1)
    assert [t.name[-5:] for t in three] == ["FT-GB", "FT-GN", "FT-SP"]
    with pytest.raises(disfer.Error) as e:
        disfer.fine_tune_disfer_protocol(net, images, labels, "none", train_per_class=2, validation_per_class=1)
    assert e.value.function == "fine_tune_disfer_protocol"


def test_xception_head():
    net = disfer.Fer2013Xception()
    h = disfer.find_classifier_head(net)
    assert h.classes == 7 and h.feature_size == h.kh * h.kw * h.channels
    assert disfer.read_head_weights(net).kernel.shape == (h.feature_size, 7)
