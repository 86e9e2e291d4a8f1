// image: bindings of disfer/image.hpp: Gaussian blur (OpenCV-exact on uint8), Gaussian noise and
// salt-and-pepper from Philox streams, the DisFER conditions, apply and the threaded batch.

#include <cstdlib>
#include <type_traits>

#include <pybind11/operators.h>

#include "common.hpp"
#include "disfer/image.hpp"

DISFER_PY_STRING_ENUM(disfer::blur_border)
DISFER_PY_STRING_ENUM(disfer::blur_extent)
DISFER_PY_STRING_ENUM(disfer::blur_arithmetic)

namespace disfer_py {

namespace {

// Calls f(T{}, rank) for the pixel type and rank (2 or 3) of the numpy image `a`; the same checks
// and messages as with_image (common.hpp), for calls that return something other than an image.
template <class F>
decltype(auto) dispatch_image(const char* function, const py::array& a, F&& f) {
  if (a.ndim() != 2 && a.ndim() != 3)
    fail(function, "the image must be H x W or H x W x C, got " + std::to_string(a.ndim()) + "-D");
  auto by_rank = [&](auto tag) -> decltype(auto) {
    if (a.ndim() == 2) return f(tag, std::integral_constant<std::size_t, 2>{});
    return f(tag, std::integral_constant<std::size_t, 3>{});
  };
  if (py::isinstance<py::array_t<std::uint8_t>>(a)) return by_rank(std::uint8_t{});
  if (py::isinstance<py::array_t<std::uint16_t>>(a)) return by_rank(std::uint16_t{});
  if (py::isinstance<py::array_t<float>>(a)) return by_rank(float{});
  if (py::isinstance<py::array_t<double>>(a)) return by_rank(double{});
  fail(function, "pixel type must be uint8, uint16, float32 or float64, got " + std::string(py::str(a.dtype())));
}

py::array image_array(const char* function, const py::object& obj) {
  py::array a = py::array::ensure(obj);
  if (!a) fail(function, "the image must be a numpy array");
  return a;
}

// The stream key of a random kernel: `key` (a StreamKey), or {seed, item, purpose} from the
// keywords (item 0 and purpose `fallback_purpose` when omitted). Neither given: an error when
// `required`, else {0, 0, 0}.
disfer::stream_key resolve_key(const char* function, const py::object& key, const py::object& seed,
                               const py::object& item, const py::object& purpose, std::uint32_t fallback_purpose,
                               bool required) {
  if (!key.is_none()) {
    if (!seed.is_none() || !item.is_none() || !purpose.is_none())
      fail(function, "give either key= or seed=/item=/purpose=, not both");
    if (!py::isinstance<disfer::stream_key>(key)) fail(function, "key must be a disfer.StreamKey");
    return key.cast<disfer::stream_key>();
  }
  if (seed.is_none()) {
    if (!item.is_none() || !purpose.is_none()) fail(function, "item= and purpose= need seed=");
    if (required) fail(function, "needs a random stream: pass key=disfer.StreamKey(...) or seed=");
    return disfer::stream_key{};
  }
  disfer::stream_key k;
  k.seed = seed.cast<std::uint64_t>();
  k.item = item.is_none() ? 0 : item.cast<std::uint64_t>();
  k.purpose = purpose.is_none() ? fallback_purpose : purpose.cast<std::uint32_t>();
  return k;
}

// A condition label as label() writes it ("original", "GB 0.8", "GN 20", "SP 0.02"), or a kind
// name and a level ("gaussian_blur 0.8"); the inverse of label(). No C++ counterpart.
disfer::distortion parse_distortion(const std::string& text) {
  const char* fn = "Distortion.parse";
  const auto space = text.find(' ');
  const std::string head = text.substr(0, space);
  disfer::distortion d;
  d.kind = disfer::parse_distortion_kind(head);
  if (d.kind == disfer::distortion_kind::none) {
    if (space != std::string::npos) fail(fn, "'" + text + "': the original takes no level");
    return d;
  }
  if (space == std::string::npos || space + 1 >= text.size())
    fail(fn, "'" + text + "' has no level (expected e.g. 'GB 0.8', 'GN 20', 'SP 0.02')");
  const std::string level = text.substr(space + 1);
  char* end = nullptr;
  d.level = std::strtod(level.c_str(), &end);
  if (end == level.c_str() || *end != '\0' || !std::isfinite(d.level))
    fail(fn, "'" + text + "': level '" + level + "' is not a finite number");
  return d;
}

disfer::blur_options blur_options_of(disfer::blur_border border, double constant_value, disfer::blur_extent extent,
                                     double truncate, std::size_t size, disfer::blur_arithmetic arithmetic) {
  disfer::blur_options o;
  o.border = border;
  o.constant_value = constant_value;
  o.extent = extent;
  o.truncate = truncate;
  o.size = size;
  o.arithmetic = arithmetic;
  return o;
}

template <class T>
py::array_t<T> vector_array(const std::vector<T>& v) {
  return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
}

// A distortion from a Distortion or a label string.
disfer::distortion as_distortion(const py::handle& h) {
  if (py::isinstance<py::str>(h)) return parse_distortion(h.cast<std::string>());
  return h.cast<disfer::distortion>();
}

}  // namespace

void init_image(py::module_& m) {
  using namespace disfer;

  bind_enum<blur_border>(m, "BlurBorder",
                         {{"reflect101", blur_border::reflect101},
                          {"reflect", blur_border::reflect},
                          {"replicate", blur_border::replicate},
                          {"constant", blur_border::constant}},
                         "Samples outside the image (OpenCV's names): reflect101 = BORDER_REFLECT_101 (SciPy "
                         "'mirror'), reflect = BORDER_REFLECT (SciPy 'reflect'), replicate = BORDER_REPLICATE "
                         "(SciPy 'nearest'), constant = BORDER_CONSTANT (SciPy 'constant', cval).");
  bind_enum<blur_extent>(
      m, "BlurExtent",
      {{"opencv", blur_extent::opencv}, {"truncate", blur_extent::truncate}, {"fixed_size", blur_extent::fixed_size}},
      "Kernel taps from sigma: opencv = round(6 sigma + 1) | 1 on uint8, round(8 sigma + 1) | 1 "
      "otherwise (ksize Size(0, 0)); truncate = SciPy's 2 floor(truncate sigma + 0.5) + 1; "
      "fixed_size = `size` taps.");
  bind_enum<blur_arithmetic>(m, "BlurArithmetic",
                             {{"automatic", blur_arithmetic::automatic},
                              {"opencv_fixed_point", blur_arithmetic::opencv_fixed_point},
                              {"exact", blur_arithmetic::exact}},
                             "Convolution arithmetic: automatic = opencv_fixed_point on uint8 (OpenCV's bit-exact "
                             "8-bit kernel), exact (double kernel and sums, rounded once) for the other types.");
  bind_enum<distortion_kind>(m, "DistortionKind",
                             {{"none", distortion_kind::none},
                              {"gaussian_blur", distortion_kind::gaussian_blur},
                              {"gaussian_noise", distortion_kind::gaussian_noise},
                              {"salt_and_pepper", distortion_kind::salt_and_pepper}},
                             "The kinds of distortion of the DisFER study (Leveque et al., Electronics 2022).");
  m.attr("max_blur_taps") = max_blur_taps;

  // ---- Gaussian blur -------------------------------------------------------------------------
  m.def(
      "gaussian_blur",
      [](const py::object& image, double sigma, blur_border border, double constant_value, blur_extent extent,
         double truncate, std::size_t size, blur_arithmetic arithmetic) {
        const blur_options o = blur_options_of(border, constant_value, extent, truncate, size, arithmetic);
        return with_image("gaussian_blur", image, [&](const auto& img) { return gaussian_blur(img, sigma, o); });
      },
      py::arg("image"), py::arg("sigma"), py::kw_only(), py::arg("border") = blur_border::reflect101,
      py::arg("constant_value") = 0.0, py::arg("extent") = blur_extent::opencv, py::arg("truncate") = 4.0,
      py::arg("size") = 0, py::arg("arithmetic") = blur_arithmetic::automatic,
      "Separable Gaussian blur of an H x W or H x W x C image (uint8, uint16, float32, float64), channels\n"
      "independent. Defaults = OpenCV 4.x cv2.GaussianBlur(img, (0, 0), sigma) (BORDER_REFLECT_101): on\n"
      "uint8 byte-identical (OpenCV >= 4.2 fixed-point kernel, (sum + 2^15) >> 16); other types use\n"
      "round(8 sigma + 1) | 1 taps of w_i = exp(-(i - r)^2 / (2 sigma^2)) / S in double. With\n"
      "extent='truncate' and the matching border it is scipy.ndimage.gaussian_filter (docs/image.md).");
  m.def(
      "gaussian_blur_taps",
      [](double sigma, const py::object& dtype, blur_border border, double constant_value, blur_extent extent,
         double truncate, std::size_t size, blur_arithmetic arithmetic) {
        const blur_options o = blur_options_of(border, constant_value, extent, truncate, size, arithmetic);
        const py::dtype dt = py::dtype::from_args(dtype);
        const char kind = dt.kind();
        const auto bytes = dt.itemsize();
        if (kind == 'u' && bytes == 1) return gaussian_blur_taps<std::uint8_t>(sigma, o);
        if (kind == 'u' && bytes == 2) return gaussian_blur_taps<std::uint16_t>(sigma, o);
        if (kind == 'f' && bytes == 4) return gaussian_blur_taps<float>(sigma, o);
        if (kind == 'f' && bytes == 8) return gaussian_blur_taps<double>(sigma, o);
        fail("gaussian_blur_taps",
             "pixel type must be uint8, uint16, float32 or float64, got " + dt.attr("name").cast<std::string>());
      },
      py::arg("sigma"), py::arg("dtype") = py::dtype::of<std::uint8_t>(), py::kw_only(),
      py::arg("border") = blur_border::reflect101, py::arg("constant_value") = 0.0,
      py::arg("extent") = blur_extent::opencv, py::arg("truncate") = 4.0, py::arg("size") = 0,
      py::arg("arithmetic") = blur_arithmetic::automatic,
      "Number of kernel taps gaussian_blur uses for sigma and these options on pixel type `dtype`:\n"
      "OpenCV's cvRound(sigma * (uint8 ? 3 : 4) * 2 + 1) | 1, SciPy's 2 floor(truncate sigma + 0.5) + 1,\n"
      "or `size`.");
  m.def(
      "gaussian_kernel", [](double sigma, std::size_t taps) { return vector_array(gaussian_kernel(sigma, taps)); },
      py::arg("sigma"), py::arg("taps"),
      "The exact kernel of gaussian_blur: w_i = exp(-(i - r)^2 / (2 sigma^2)) / S, i = 0..taps-1,\n"
      "r = (taps - 1) / 2, S the sum of the weights (in index order), with disfer's portable exp; float64.");
  m.def(
      "gaussian_kernel_fixed_point",
      [](double sigma, std::size_t taps) { return vector_array(gaussian_kernel_fixed_point(sigma, taps)); },
      py::arg("sigma"), py::arg("taps"),
      "OpenCV's 8-bit fixed-point Gaussian kernel (uint32 weights in 1/256 summing to 256):\n"
      "getGaussianKernelBitExact quantised by outside-in error diffusion as getGaussianKernelFixedPoint_ED\n"
      "(OpenCV >= 4.2). For sigma 0.8 and 7 taps: 0 6 58 128 58 6 0.");

  // ---- Noise ---------------------------------------------------------------------------------
  result_class<rounded_normal_table>(m, "RoundedNormalTable",
                                     "The integer CDF table behind gaussian_noise on integer images.")
      .field("lowest", &rounded_normal_table::lowest, "the noise value of cdf[0]")
      .field("cdf", &rounded_normal_table::cdf, "round(2^32 Phi((k + 1/2) / stddev)), then 2^32")
      .done()
      .def("sample", &rounded_normal_table::sample, py::arg("word"),
           "The noise value of a 32-bit word: the smallest k with word < cdf[k - lowest].");
  m.def("make_rounded_normal_table", &make_rounded_normal_table, py::arg("stddev"), py::arg("limit"),
        "T_k = round_half_even(2^32 Phi((k + 1/2) / stddev)) for k = -limit..limit-1 (clamped to where the\n"
        "thresholds leave 0 and 2^32), then 2^32: the distribution of round(N(0, stddev^2)), exact to 2^-32,\n"
        "with Phi from IEEE basic operations (tests/image/reference/rounded_normal.py checks it with mpmath).");

  m.def(
      "gaussian_noise",
      [](const py::object& image, double stddev, const py::object& key, const py::object& seed, const py::object& item,
         const py::object& purpose, bool clip, double clip_low, double clip_high) {
        const stream_key k = resolve_key("gaussian_noise", key, seed, item, purpose, purpose::gaussian_noise, true);
        noise_options o;
        o.clip = clip;
        o.clip_low = clip_low;
        o.clip_high = clip_high;
        return with_image("gaussian_noise", image, [&](const auto& img) { return gaussian_noise(img, stddev, k, o); });
      },
      py::arg("image"), py::arg("stddev"), py::arg("key") = py::none(), py::kw_only(), py::arg("seed") = py::none(),
      py::arg("item") = py::none(), py::arg("purpose") = py::none(), py::arg("clip") = false, py::arg("clip_low") = 0.0,
      py::arg("clip_high") = 1.0,
      "Additive Gaussian noise of standard deviation `stddev` on the image's scale (0-255 for uint8), from\n"
      "the Philox4x32-10 stream `key` or {seed, item, purpose (default purpose.gaussian_noise)}. Integer\n"
      "images: saturate(x + k), k ~ round(N(0, stddev^2)) from the integer CDF table (one 32-bit word per\n"
      "element); float images: x + stddev z, z by Box-Muller, clipped to [clip_low, clip_high] only with\n"
      "clip=True. Bit-identical on every platform (random_stream_version 1).");
  m.def(
      "salt_and_pepper",
      [](const py::object& image, double amount, const py::object& key, const py::object& seed, const py::object& item,
         const py::object& purpose, double salt_ratio, bool per_channel, bool exact_count) {
        const stream_key k = resolve_key("salt_and_pepper", key, seed, item, purpose, purpose::salt_and_pepper, true);
        salt_and_pepper_options o;
        o.per_channel = per_channel;
        o.exact_count = exact_count;
        return with_image("salt_and_pepper", image,
                          [&](const auto& img) { return salt_and_pepper(img, amount, k, salt_ratio, o); });
      },
      py::arg("image"), py::arg("amount"), py::arg("key") = py::none(), py::kw_only(), py::arg("seed") = py::none(),
      py::arg("item") = py::none(), py::arg("purpose") = py::none(), py::arg("salt_ratio") = 0.5,
      py::arg("per_channel") = false, py::arg("exact_count") = false,
      "Impulse noise: pixel p (all its channels) becomes salt (the type's maximum, 1.0 for floats) when\n"
      "word p of the stream < round(amount salt_ratio 2^32), pepper (0) when below round(amount 2^32),\n"
      "as scikit-image >= 0.13 and ImageNet-C. per_channel: one draw per element; exact_count: exactly\n"
      "round(amount H W) pixels by a partial Fisher-Yates shuffle (albumentations-style).");

  // ---- Conditions ----------------------------------------------------------------------------
  py::class_<distortion> dist(m, "Distortion",
                              "One distortion condition: kind and level (sigma in pixels for gaussian_blur, the "
                              "noise stddev on the image's scale for gaussian_noise, the per-pixel probability for "
                              "salt_and_pepper; ignored for none). Also made from a label: Distortion('GB 0.8').");
  // the label first: the kind's string caster raises for a name it does not know ('GB 0.8')
  dist.def(py::init(&parse_distortion), py::arg("label"))
      .def(py::init([](distortion_kind kind, double level) {
             return distortion{kind, level};
           }),
           py::arg("kind"), py::arg("level") = 0.0)
      .def_readonly("kind", &distortion::kind)
      .def_readonly("level", &distortion::level)
      .def_property_readonly(
          "label", [](const distortion& d) { return label(d); },
          "The paper's label: 'original', 'GB 0.8', 'GN 10', 'SP 0.02'.")
      .def_static("parse", &parse_distortion, py::arg("label"),
                  "The condition of a label ('original', 'GB 0.8', 'GN 20', 'SP 0.02', or a kind name and a "
                  "level); the inverse of label (binding-level: the C++ library has no parser of labels).")
      .def("to_dict",
           [](const distortion& d) {
             py::dict out;
             out["kind"] = d.kind;
             out["level"] = d.level;
             return out;
           })
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def("__hash__",
           [](const distortion& d) {
             return py::hash(py::make_tuple(static_cast<int>(d.kind), d.kind == distortion_kind::none ? 0.0 : d.level));
           })
      .def("__repr__", [](const distortion& d) { return "Distortion('" + label(d) + "')"; })
      .def("__str__", [](const distortion& d) { return label(d); })
      .def(py::pickle([](const distortion& d) { return py::make_tuple(d.kind, d.level); },
                      [](const py::tuple& t) {
                        return distortion{t[0].cast<distortion_kind>(), t[1].cast<double>()};
                      }));
  dist.attr("_fields") = py::make_tuple("kind", "level");
  py::implicitly_convertible<py::str, distortion>();

  m.def("disfer_conditions", &disfer_conditions,
        "The ten DisFER conditions in the paper's order (Leveque et al. 2022): original; Gaussian blur sigma\n"
        "0.8, 1.1, 1.4 px; Gaussian noise stddev 10, 20, 30 (0-255 scale); salt-and-pepper 0.02, 0.04, 0.06.");
  m.def(
      "label", [](const distortion& d) { return label(d); }, py::arg("distortion"),
      "The paper's label of a condition: 'original', 'GB 0.8', 'GN 10', 'SP 0.02'.");
  m.def("parse_distortion_kind", &parse_distortion_kind, py::arg("text"),
        "The kind named `text` (none, gaussian_blur, gaussian_noise, salt_and_pepper) or abbreviated as in the\n"
        "paper (original, GB, GN, SP; case-sensitive); disfer.Error otherwise.");
  m.def("default_purpose", &default_purpose, py::arg("kind"),
        "The stream purpose a kind draws from: purpose.gaussian_noise, purpose.salt_and_pepper, or 0.");

  m.def(
      "apply",
      [](const py::object& d_obj, const py::object& image, const py::object& key, const py::object& seed,
         const py::object& item, const py::object& purpose) {
        const distortion d = as_distortion(d_obj);
        const bool random = d.kind == distortion_kind::gaussian_noise || d.kind == distortion_kind::salt_and_pepper;
        const stream_key k = resolve_key("apply", key, seed, item, purpose, 0, random);
        return with_image("apply", image, [&](const auto& img) { return apply(d, img, k); });
      },
      py::arg("distortion"), py::arg("image"), py::arg("key") = py::none(), py::kw_only(), py::arg("seed") = py::none(),
      py::arg("item") = py::none(), py::arg("purpose") = py::none(),
      "One distortion with the library's defaults: gaussian_blur(img, level), gaussian_noise(img, level, key),\n"
      "salt_and_pepper(img, level, key) with salt_ratio 0.5, or a copy for the original. A key purpose of 0\n"
      "(the default with seed=) becomes default_purpose(kind), so seed=s, item=id gives the documented\n"
      "stream {s, id, purpose of the kind}. `distortion`: a Distortion or a label ('GN 20').");

  m.def(
      "apply_batch",
      [](const py::object& distortions, const py::sequence& images, const py::object& ids, std::uint64_t seed,
         unsigned threads) {
        const char* fn = "apply_batch";
        std::vector<distortion> ds;
        if (py::isinstance<distortion>(distortions) || py::isinstance<py::str>(distortions)) {
          ds.push_back(as_distortion(distortions));
        } else {
          for (const auto& h : py::reinterpret_borrow<py::sequence>(distortions)) ds.push_back(as_distortion(h));
        }
        const auto raw_ids = int_vector(fn, py::array::ensure(ids), "ids");
        std::vector<std::uint64_t> items(raw_ids.size());
        for (std::size_t i = 0; i < raw_ids.size(); ++i) {
          if (raw_ids[i] < 0) fail(fn, "ids[" + std::to_string(i) + "] is negative");
          items[i] = static_cast<std::uint64_t>(raw_ids[i]);
        }
        batch_options o;
        o.threads = threads;
        const std::size_t n = images.size();
        if (n == 0) {
          if (!items.empty()) fail(fn, "got 0 images but " + std::to_string(items.size()) + " ids");
          return py::list();
        }
        std::vector<py::array> arrays;
        arrays.reserve(n);
        for (std::size_t i = 0; i < n; ++i) arrays.push_back(image_array(fn, images[i]));
        return dispatch_image(fn, arrays[0], [&](auto tag, auto rank) {
          using T = decltype(tag);
          constexpr std::size_t N = decltype(rank)::value;
          std::vector<xt::xtensor<T, N>> in;
          in.reserve(n);
          for (std::size_t i = 0; i < n; ++i) {
            if (arrays[i].ndim() != static_cast<py::ssize_t>(N) || !py::isinstance<py::array_t<T>>(arrays[i]))
              fail(fn, "image " + std::to_string(i) + " is " + std::to_string(arrays[i].ndim()) + "-D " +
                           std::string(py::str(arrays[i].dtype())) + " but image 0 is " + std::to_string(N) + "-D " +
                           std::string(py::str(arrays[0].dtype())) + "; all must share the pixel type and rank");
            in.push_back(to_xtensor<T, N>(arrays[i]));
          }
          auto out = without_gil([&] { return apply_batch(ds, in, items, seed, o); });
          py::list result(n);
          for (std::size_t i = 0; i < n; ++i) result[i] = to_numpy(std::move(out[i]));
          return result;
        });
      },
      py::arg("distortions"), py::arg("images"), py::arg("ids"), py::arg("seed"), py::kw_only(),
      py::arg("threads") = 0u,
      "Applies distortions[k] (or the one distortion to every image) to images[k] with key\n"
      "{seed, ids[k], default_purpose(kind)} on `threads` workers (0 = one per hardware thread), the GIL\n"
      "released; the bytes do not depend on the thread count. The images must share pixel type and rank.\n"
      "A failing item raises disfer.Error 'apply_batch: item k (id X): ...' for the lowest such k.");

  m.def(
      "image_sha256",
      [](const py::object& image) {
        const py::array a = image_array("image_sha256", image);
        return dispatch_image("image_sha256", a, [&](auto tag, auto rank) {
          using T = decltype(tag);
          const auto img = to_xtensor<T, decltype(rank)::value>(a);
          return without_gil([&] { return image_sha256(img); });
        });
      },
      py::arg("image"),
      "SHA-256 (hex) of an image: the rank and extents as little-endian 64-bit integers, then the pixels in\n"
      "row-major order as little-endian bytes; platform-independent (tests/image/reference/digests.txt).");
}

}  // namespace disfer_py
