"""Image distortions from Python: gaussian_blur byte-identical to OpenCV on uint8 and close to OpenCV
and SciPy on floats, the seeded noises reproducible, every committed reference digest
(tests/image/reference/digests.txt) reproduced through the bindings, and the bad-input errors."""
import pathlib

import cv2
import numpy as np
import pytest
from scipy import ndimage

import disfer

REFERENCE = pathlib.Path(__file__).resolve().parents[2] / "tests" / "image" / "reference" / "digests.txt"
SIGMAS = (0.8, 1.1, 1.4)  # the paper's blur levels


def committed_digests():
    out = {}
    for line in REFERENCE.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        digest, name = line.split("  ", 1)
        out[name] = digest
    return out


def texture_u8(h, w, c, item):
    """tests/image/digest_cases.hpp's texture: element i = byte i % 4 of word i / 4 of the Philox
    stream {seed 20221130, item, purpose user + 1}, rebuilt from raw philox4x32_10 blocks."""
    n = h * w * c
    seed, purpose = 20221130, disfer.purpose.user + 1
    words = []
    for b in range((n + 15) // 16):
        words += disfer.philox4x32_10([b, purpose, item & 0xFFFFFFFF, item >> 32],
                                      [seed & 0xFFFFFFFF, seed >> 32])
    data = np.array(words, dtype="<u4").view(np.uint8)[:n]
    return data.reshape(h, w, c).copy()


@pytest.fixture(scope="module")
def cases():
    u8 = texture_u8(48, 48, 1, 0)[:, :, 0].copy()
    rgb = texture_u8(17, 23, 3, 1)
    return {
        "u8": u8,
        "rgb": rgb,
        "u16": (u8 * 257.0).astype(np.uint16),
        "f32": (u8 * (1.0 / 255)).astype(np.float32),
        "f64": u8 * (1.0 / 255),
    }


def test_reference_digests_blur(cases):
    ref = committed_digests()
    checked = 0
    for s in SIGMAS:
        tag = " sigma %r" % s
        for name, key in (("uint8 48x48", "u8"), ("uint8 17x23x3", "rgb"), ("uint16 48x48", "u16"),
                          ("float 48x48", "f32"), ("double 48x48", "f64")):
            assert disfer.image_sha256(disfer.gaussian_blur(cases[key], s)) == ref["blur " + name + tag]
            checked += 1
        exact = disfer.gaussian_blur(cases["u8"], s, arithmetic="exact")
        assert disfer.image_sha256(exact) == ref["blur uint8 exact 48x48" + tag]
        checked += 1
    for number, border in ((1, disfer.BlurBorder.reflect), (2, "replicate"), (3, "constant")):
        out = disfer.gaussian_blur(cases["u8"], 1.1, border=border, constant_value=7)
        assert disfer.image_sha256(out) == ref["blur uint8 border %d" % number]
        out = disfer.gaussian_blur(cases["f64"], 1.1, border=border, constant_value=0.25)
        assert disfer.image_sha256(out) == ref["blur double border %d" % number]
        checked += 2
    assert checked == 24


def test_reference_digests_noise(cases):
    ref = committed_digests()
    key = disfer.StreamKey(2022, 7, disfer.purpose.gaussian_noise)
    for s in (10.0, 20.0, 30.0):
        assert disfer.image_sha256(disfer.gaussian_noise(cases["u8"], s, key)) == ref["noise uint8 48x48 stddev %g" % s]
        assert disfer.image_sha256(disfer.gaussian_noise(cases["rgb"], s, key)) == \
            ref["noise uint8 17x23x3 stddev %g" % s]
        assert disfer.image_sha256(disfer.gaussian_noise(cases["u16"], s * 257, key)) == \
            ref["noise uint16 48x48 stddev %g" % (s * 257)]
        assert disfer.image_sha256(disfer.gaussian_noise(cases["f32"], s / 255, key)) == \
            ref["noise float 48x48 stddev %r" % (s / 255)]
        assert disfer.image_sha256(disfer.gaussian_noise(cases["f64"], s / 255, key)) == \
            ref["noise double 48x48 stddev %r" % (s / 255)]
    clipped = disfer.gaussian_noise(cases["f32"], 0.2, key, clip=True)
    assert disfer.image_sha256(clipped) == ref["noise float clipped stddev 0.2"]
    assert clipped.min() >= 0 and clipped.max() <= 1


def test_reference_digests_salt_and_pepper(cases):
    ref = committed_digests()
    key = disfer.StreamKey(2022, 7, disfer.purpose.salt_and_pepper)
    for p in (0.02, 0.04, 0.06):
        for name, k in (("uint8 48x48", "u8"), ("uint8 17x23x3", "rgb"), ("float 48x48", "f32")):
            out = disfer.salt_and_pepper(cases[k], p, key)
            assert disfer.image_sha256(out) == ref["salt_and_pepper %s amount %r" % (name, p)]
    out = disfer.salt_and_pepper(cases["rgb"], 0.06, key, salt_ratio=0.3, per_channel=True)
    assert disfer.image_sha256(out) == ref["salt_and_pepper uint8 17x23x3 per channel"]
    out = disfer.salt_and_pepper(cases["u8"], 0.06, key, exact_count=True)
    assert disfer.image_sha256(out) == ref["salt_and_pepper uint8 exact count"]
    out = disfer.salt_and_pepper(cases["u16"], 0.04, key, salt_ratio=0.25, exact_count=True)
    assert disfer.image_sha256(out) == ref["salt_and_pepper uint16 exact count"]


def test_reference_digests_apply_and_batch():
    ref = committed_digests()
    conditions = disfer.disfer_conditions()
    sources = [texture_u8(48, 48, 1, 100 + i)[:, :, 0].copy() for i in range(3)]
    for i, src in enumerate(sources):
        for c in conditions:
            out = disfer.apply(c, src, disfer.StreamKey(2022, i))
            assert disfer.image_sha256(out) == ref["apply seed 2022 id %d %s" % (i, c.label)], c.label
            assert np.array_equal(disfer.apply(c, src, seed=2022, item=i), out)
    # apply_batch: the same bytes for every thread count, one distortion or one per image
    images = [s for s in sources for _ in conditions]
    ds = conditions * 3
    ids = [i for i in range(3) for _ in conditions]
    for threads in (1, 2, 3):
        outs = disfer.apply_batch(ds, images, ids, 2022, threads=threads)
        assert len(outs) == 30
        for out, d, i in zip(outs, ds, ids):
            assert disfer.image_sha256(out) == ref["apply seed 2022 id %d %s" % (i, d.label)]
    outs = disfer.apply_batch("GB 1.1", sources, np.arange(3), 2022)
    for i, out in enumerate(outs):
        assert disfer.image_sha256(out) == ref["apply seed 2022 id %d GB 1.1" % i]
    assert disfer.apply_batch([], [], [], 1) == []


@pytest.mark.parametrize("shape", [(48, 48), (48, 48, 3), (17, 23), (17, 23, 3), (1, 1), (3, 200),
                                   (1024, 1024), (1024, 1024, 3)])
@pytest.mark.parametrize("sigma", SIGMAS + (0.3, 2.0, 3.7))
def test_blur_uint8_identical_to_opencv(shape, sigma):
    rng = np.random.default_rng(hash((shape, sigma)) % 2**32)
    img = rng.integers(0, 256, size=shape, dtype=np.uint8)
    ours = disfer.gaussian_blur(img, sigma)
    theirs = cv2.GaussianBlur(img, (0, 0), sigma)
    assert ours.dtype == np.uint8 and ours.shape == img.shape
    assert np.array_equal(ours, theirs.reshape(shape))


@pytest.mark.parametrize("border, cv_border", [("reflect101", cv2.BORDER_REFLECT_101), ("reflect", cv2.BORDER_REFLECT),
                                               ("replicate", cv2.BORDER_REPLICATE)])
def test_blur_uint8_borders_identical_to_opencv(border, cv_border):
    img = np.random.default_rng(3).integers(0, 256, size=(37, 41, 3), dtype=np.uint8)
    for sigma in SIGMAS:
        ours = disfer.gaussian_blur(img, sigma, border=border)
        assert np.array_equal(ours, cv2.GaussianBlur(img, (0, 0), sigma, borderType=cv_border))


def test_blur_views_and_non_contiguous_input():
    img = np.random.default_rng(4).integers(0, 256, size=(96, 96, 3), dtype=np.uint8)
    view = img[::2, 1::2, 1]  # strided, not contiguous
    assert np.array_equal(disfer.gaussian_blur(view, 1.1), cv2.GaussianBlur(np.ascontiguousarray(view), (0, 0), 1.1))
    fortran = np.asfortranarray(img[:, :, 0])
    assert np.array_equal(disfer.gaussian_blur(fortran, 0.8), cv2.GaussianBlur(img[:, :, 0].copy(), (0, 0), 0.8))
    before = img.copy()
    disfer.gaussian_blur(img, 1.4)
    assert np.array_equal(img, before)  # the input is not modified


@pytest.mark.parametrize("shape", [(48, 48), (48, 48, 3), (64, 80)])
@pytest.mark.parametrize("sigma", SIGMAS)
def test_blur_float32_close_to_opencv(shape, sigma):
    img = np.random.default_rng(5).random(shape, dtype=np.float32)
    ours = disfer.gaussian_blur(img, sigma)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, cv2.GaussianBlur(img, (0, 0), sigma).reshape(shape), rtol=0, atol=2e-6)


@pytest.mark.parametrize("border, mode", [("reflect101", "mirror"), ("reflect", "reflect"), ("replicate", "nearest"),
                                          ("constant", "constant")])
@pytest.mark.parametrize("dtype, atol", [(np.float32, 2e-6), (np.float64, 1e-13)])
def test_blur_float_matches_scipy(border, mode, dtype, atol):
    img = np.random.default_rng(6).random((40, 52, 3)).astype(dtype)
    for sigma in SIGMAS + (2.5,):
        ours = disfer.gaussian_blur(img, sigma, border=border, constant_value=0.3, extent="truncate", truncate=4.0)
        theirs = ndimage.gaussian_filter(img.astype(np.float64), (sigma, sigma, 0), mode=mode, cval=0.3, truncate=4.0)
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=atol)


def test_kernels_and_taps():
    assert list(disfer.gaussian_kernel_fixed_point(0.8, 7)) == [0, 6, 58, 128, 58, 6, 0]
    assert disfer.gaussian_kernel_fixed_point(1.1, 7).dtype == np.uint32
    for sigma in SIGMAS + (2.0,):
        taps = disfer.gaussian_blur_taps(sigma, np.float64)
        assert taps == int(np.rint(8 * sigma + 1)) | 1
        k = disfer.gaussian_kernel(sigma, taps)
        np.testing.assert_allclose(k, cv2.getGaussianKernel(taps, sigma)[:, 0], rtol=0, atol=1e-15)
        assert k.sum() == pytest.approx(1.0, abs=1e-15)
        assert disfer.gaussian_blur_taps(sigma) == int(np.rint(6 * sigma + 1)) | 1  # uint8 default
    assert disfer.gaussian_blur_taps(1.1, "float32", extent="truncate", truncate=4.0) == 2 * int(4.4 + 0.5) + 1
    assert disfer.gaussian_blur_taps(1.1, extent="fixed_size", size=9) == 9
    assert disfer.max_blur_taps == 4096


def test_noise_same_seed_same_bytes_other_seed_other_bytes():
    img = np.full((48, 48), 128, np.uint8)
    a = disfer.gaussian_noise(img, 20, seed=1, item=5)
    assert np.array_equal(a, disfer.gaussian_noise(img, 20, seed=1, item=5))
    assert np.array_equal(a, disfer.gaussian_noise(img, 20, disfer.StreamKey(1, 5, disfer.purpose.gaussian_noise)))
    assert not np.array_equal(a, disfer.gaussian_noise(img, 20, seed=2, item=5))
    assert not np.array_equal(a, disfer.gaussian_noise(img, 20, seed=1, item=6))
    big = disfer.gaussian_noise(np.full((512, 512), 128, np.uint8), 20, seed=3)
    assert big.astype(float).std() == pytest.approx(20, rel=0.02)
    assert big.astype(float).mean() == pytest.approx(128, abs=0.2)
    assert np.array_equal(disfer.gaussian_noise(img, 0, seed=1), img)
    f = disfer.gaussian_noise(np.zeros((256, 256), np.float64), 0.1, seed=4)
    assert f.std() == pytest.approx(0.1, rel=0.02) and f.min() < 0  # unclipped by default

    s = disfer.salt_and_pepper(img, 0.06, seed=1, item=5)
    assert np.array_equal(s, disfer.salt_and_pepper(img, 0.06, seed=1, item=5))
    assert not np.array_equal(s, disfer.salt_and_pepper(img, 0.06, seed=2, item=5))
    assert set(np.unique(s)) <= {0, 128, 255}
    big = disfer.salt_and_pepper(np.full((512, 512, 3), 128, np.uint8), 0.06, seed=9)
    hit = (big[:, :, 0] != 128)
    assert hit.mean() == pytest.approx(0.06, rel=0.05)
    assert (big[hit] == 255).all(axis=1).mean() == pytest.approx(0.5, abs=0.03)  # channels share the draw
    exact = disfer.salt_and_pepper(np.full((50, 50), 128, np.uint8), 0.06, seed=9, exact_count=True)
    assert (exact != 128).sum() == 150


def test_conditions_are_the_papers_ten():
    cs = disfer.disfer_conditions()
    assert [c.label for c in cs] == ["original", "GB 0.8", "GB 1.1", "GB 1.4", "GN 10", "GN 20", "GN 30",
                                     "SP 0.02", "SP 0.04", "SP 0.06"]
    K = disfer.DistortionKind
    assert [(c.kind, c.level) for c in cs[1:]] == [(K.gaussian_blur, 0.8), (K.gaussian_blur, 1.1),
                                                   (K.gaussian_blur, 1.4), (K.gaussian_noise, 10.0),
                                                   (K.gaussian_noise, 20.0), (K.gaussian_noise, 30.0),
                                                   (K.salt_and_pepper, 0.02), (K.salt_and_pepper, 0.04),
                                                   (K.salt_and_pepper, 0.06)]
    assert cs[0].kind == K.none
    for c in cs:
        assert disfer.Distortion.parse(c.label) == c
        assert disfer.Distortion(c.label) == c and hash(disfer.Distortion(c.label)) == hash(c)
        assert disfer.label(c) == str(c) == c.label
    assert disfer.Distortion("gaussian_noise", 20) == disfer.Distortion("GN 20")
    assert disfer.Distortion(K.none, 3.0) == disfer.Distortion("original")  # the level of none is ignored
    assert len(set(cs)) == 10
    assert cs[1].to_dict() == {"kind": K.gaussian_blur, "level": 0.8} and cs[1]._fields == ("kind", "level")
    assert repr(cs[4]) == "Distortion('GN 10')"
    import pickle
    assert pickle.loads(pickle.dumps(cs[8])) == cs[8]
    assert disfer.parse_distortion_kind("SP") == K.salt_and_pepper
    assert disfer.parse_distortion_kind("original") == K.none
    assert disfer.default_purpose("gaussian_noise") == disfer.purpose.gaussian_noise
    assert disfer.default_purpose(K.salt_and_pepper) == disfer.purpose.salt_and_pepper
    assert disfer.default_purpose(K.gaussian_blur) == 0


def test_apply_matches_the_kernels():
    img = np.random.default_rng(7).integers(0, 256, size=(48, 48), dtype=np.uint8)
    assert np.array_equal(disfer.apply("GB 1.1", img), cv2.GaussianBlur(img, (0, 0), 1.1))
    assert np.array_equal(disfer.apply("original", img), img)
    assert np.array_equal(disfer.apply("GN 20", img, seed=5, item=3), disfer.gaussian_noise(img, 20, seed=5, item=3))
    assert np.array_equal(disfer.apply("SP 0.04", img, seed=5, item=3),
                          disfer.salt_and_pepper(img, 0.04, seed=5, item=3))


def test_image_sha256_layout():
    import hashlib
    import struct
    img = np.arange(12, dtype=np.uint16).reshape(3, 4)
    expected = hashlib.sha256(struct.pack("<QQQ", 2, 3, 4) + img.astype("<u2").tobytes()).hexdigest()
    assert disfer.image_sha256(img) == expected


def errors_of(call):
    with pytest.raises(disfer.Error) as info:
        call()
    assert isinstance(info.value, ValueError)
    return info.value


@pytest.mark.parametrize("sigma", [0, -1, float("nan"), float("inf")])
def test_bad_sigma(sigma):
    e = errors_of(lambda: disfer.gaussian_blur(np.zeros((8, 8), np.uint8), sigma))
    assert e.function == "gaussian_blur" and "sigma" in str(e)


def test_bad_inputs_raise_named_errors():
    u8 = np.zeros((8, 8), np.uint8)
    cases = [
        ("gaussian_blur", lambda: disfer.gaussian_blur(np.zeros((2, 2, 2, 2), np.uint8), 1.0), "4-D"),
        ("gaussian_blur", lambda: disfer.gaussian_blur(np.zeros((8, 8), np.int64), 1.0), "int64"),
        ("gaussian_blur", lambda: disfer.gaussian_blur(np.zeros((0, 8), np.uint8), 1.0), "empty"),
        ("gaussian_blur", lambda: disfer.gaussian_blur(np.array([[np.nan, 0]]), 1.0), "finite"),
        ("gaussian_blur", lambda: disfer.gaussian_blur(u8, 1000.0), "taps"),
        ("gaussian_blur", lambda: disfer.gaussian_blur(u8, 1.0, extent="fixed_size", size=4), "odd"),
        ("gaussian_blur", lambda: disfer.gaussian_blur(np.zeros((8, 8), np.float32), 1.0,
                                                       arithmetic="opencv_fixed_point"), "uint8"),
        ("gaussian_blur", lambda: disfer.gaussian_blur("not an image", 1.0), "0-D"),
        ("BlurBorder", lambda: disfer.gaussian_blur(u8, 1.0, border="wrap"), "reflect101"),
        ("gaussian_blur_taps", lambda: disfer.gaussian_blur_taps(1.0, np.int32), "int32"),
        ("gaussian_blur_taps", lambda: disfer.gaussian_blur_taps(-1.0), "sigma"),
        ("gaussian_kernel", lambda: disfer.gaussian_kernel(1.0, 4), "odd"),
        ("gaussian_kernel_fixed_point", lambda: disfer.gaussian_kernel_fixed_point(0.0, 5), "sigma"),
        ("gaussian_noise", lambda: disfer.gaussian_noise(u8, -1.0, seed=1), "stddev"),
        ("gaussian_noise", lambda: disfer.gaussian_noise(u8, 10.0), "seed"),
        ("gaussian_noise", lambda: disfer.gaussian_noise(u8, 10.0, disfer.StreamKey(1), seed=1), "not both"),
        ("gaussian_noise", lambda: disfer.gaussian_noise(np.zeros((4, 4, 4, 1), np.uint8), 10.0, seed=1), "4-D"),
        ("gaussian_noise", lambda: disfer.gaussian_noise(np.zeros((4, 4), np.int64), 10.0, seed=1), "int64"),
        ("gaussian_noise", lambda: disfer.gaussian_noise(np.zeros((4, 4)), 0.1, seed=1, clip=True, clip_low=1,
                                                         clip_high=0), "clip"),
        ("salt_and_pepper", lambda: disfer.salt_and_pepper(u8, 1.5, seed=1), "amount"),
        ("salt_and_pepper", lambda: disfer.salt_and_pepper(u8, 0.1, seed=1, salt_ratio=-0.1), "salt_ratio"),
        ("salt_and_pepper", lambda: disfer.salt_and_pepper(u8, 0.1), "seed"),
        ("salt_and_pepper", lambda: disfer.salt_and_pepper(np.zeros((4, 4), np.int8), 0.1, seed=1), "int8"),
        ("apply", lambda: disfer.apply("GB 0", u8), "sigma"),
        ("apply", lambda: disfer.apply("GN 10", u8), "seed"),
        ("apply", lambda: disfer.apply("GB 1", np.zeros((2, 2, 2, 2), np.uint8)), "4-D"),
        ("apply", lambda: disfer.apply("SP 2", u8, seed=1), "amount"),
        ("apply_batch", lambda: disfer.apply_batch("GB 1", [u8, u8], [0], 1), "ids"),
        ("apply_batch", lambda: disfer.apply_batch("GB 1", [u8, u8.astype(np.float32)], [0, 1], 1), "pixel type"),
        ("apply_batch", lambda: disfer.apply_batch(["GB 1", "GB 2"], [u8] * 3, [0, 1, 2], 1), "distortions"),
        ("apply_batch", lambda: disfer.apply_batch("GB -1", [u8, u8], [0, 1], 1), "item 0"),
        ("apply_batch", lambda: disfer.apply_batch("GB 1", [u8], [-1], 1), "negative"),
        ("apply_batch", lambda: disfer.apply_batch("GB 1", [np.zeros((8, 8), np.int64)], [0], 1), "int64"),
        ("Distortion.parse", lambda: disfer.Distortion.parse("GB"), "level"),
        ("Distortion.parse", lambda: disfer.Distortion.parse("GB x"), "number"),
        ("Distortion.parse", lambda: disfer.Distortion.parse("original 3"), "no level"),
        ("parse_distortion_kind", lambda: disfer.Distortion.parse("blur 1"), "blur"),
        ("parse_distortion_kind", lambda: disfer.parse_distortion_kind("gb"), "gb"),
        ("image_sha256", lambda: disfer.image_sha256(np.zeros(3, np.uint8)), "1-D"),
        ("image_sha256", lambda: disfer.image_sha256(np.zeros((3, 3), np.int16)), "int16"),
    ]
    for function, call, text in cases:
        e = errors_of(call)
        assert e.function == function, (function, str(e))
        assert text in str(e), (text, str(e))
