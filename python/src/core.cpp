// core: emotions, stream keys and the helpers the other binding files share.

#include "common.hpp"
#include "disfer/core/emotion.hpp"
#include "disfer/core/random.hpp"

namespace disfer_py {

void check_whole_numbers(const char* function, const py::array& a, const char* what) {
  const auto where = [&](py::ssize_t flat) {
    if (a.ndim() != 2) return "[" + std::to_string(flat) + "]";
    return "[" + std::to_string(flat / a.shape(1)) + ", " + std::to_string(flat % a.shape(1)) + "]";
  };
  const char kind = a.dtype().kind();
  if (kind == 'f') {
    auto d = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
    for (py::ssize_t i = 0; i < d.size(); ++i) {
      const double v = d.data()[i];
      // The range test first: casting NaN or a value beyond int64 to an integer is undefined.
      if (!(v >= -9.2e18 && v <= 9.2e18) || v != static_cast<double>(static_cast<std::int64_t>(v)))
        fail(function, std::string(what) + where(i) + " = " + disfer::detail::shortest(v) + " is not a whole number");
    }
  } else if (kind == 'u' && a.itemsize() == 8) {
    auto u = py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>::ensure(a);
    for (py::ssize_t i = 0; i < u.size(); ++i)
      if (u.data()[i] > static_cast<std::uint64_t>(INT64_MAX))
        fail(function, std::string(what) + where(i) + " = " + std::to_string(u.data()[i]) + " is beyond int64");
  }
}

std::vector<std::int64_t> int_vector(const char* function, const py::object& obj, const char* what) {
  py::array a = py::array::ensure(obj);
  if (!a) fail(function, std::string(what) + " must be a 1-D array of integers");
  if (a.ndim() != 1) fail(function, std::string(what) + " must be 1-D, got " + std::to_string(a.ndim()) + "-D");
  const char kind = a.dtype().kind();
  if (kind != 'i' && kind != 'u' && kind != 'b' && kind != 'f')
    fail(function, std::string(what) + " must hold integers, got dtype " + std::string(py::str(a.dtype())));
  check_whole_numbers(function, a, what);
  auto c = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
  return std::vector<std::int64_t>(c.data(), c.data() + c.size());
}

py::array_t<double, py::array::c_style> double_array(const char* function, const py::object& obj, const char* what) {
  py::array a = py::array::ensure(obj);
  if (!a) fail(function, std::string(what) + " must be a numeric array");
  const char kind = a.dtype().kind();
  if (kind != 'i' && kind != 'u' && kind != 'b' && kind != 'f')
    fail(function, std::string(what) + " must be numeric, got dtype " + std::string(py::str(a.dtype())));
  return py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
}

void init_core(py::module_& m) {
  bind_enum<disfer::emotion>(m, "Emotion",
                             {{"angry", disfer::emotion::angry},
                              {"disgust", disfer::emotion::disgust},
                              {"fear", disfer::emotion::fear},
                              {"happy", disfer::emotion::happy},
                              {"sad", disfer::emotion::sad},
                              {"surprise", disfer::emotion::surprise},
                              {"neutral", disfer::emotion::neutral}},
                             "FER-2013's seven emotions; the value is the label in fer2013.csv.");
  bind_enum<disfer::vocabulary>(
      m, "Vocabulary", {{"fer2013", disfer::vocabulary::fer2013}, {"paper", disfer::vocabulary::paper}},
      "Which names emotions get: FER-2013's (angry, happy) or the paper's (anger, happiness).");
  m.attr("emotion_count") = disfer::emotion_count;
  m.def(
      "emotion_names",
      [](disfer::vocabulary v) {
        std::vector<std::string> names;
        for (auto e : disfer::fer2013_order) names.emplace_back(disfer::name(e, v));
        return names;
      },
      py::arg("vocabulary") = disfer::vocabulary::fer2013, "The seven names in FER-2013 order (angry ... neutral).");
  m.def("parse_emotion", &disfer::parse_emotion, py::arg("text"),
        "The emotion named `text` in either vocabulary, ignoring case and surrounding spaces; disfer.Error otherwise.");
  m.def("emotion_from_index", &disfer::emotion_from_index, py::arg("index"),
        "The emotion with FER-2013 label `index` (0..6); disfer.Error otherwise.");

  py::class_<disfer::stream_key>(m, "StreamKey",
                                 "Coordinates of one Philox4x32-10 random stream: (seed, item, purpose).")
      .def(py::init([](std::uint64_t seed, std::uint64_t item, std::uint32_t purpose) {
             return disfer::stream_key{seed, item, purpose};
           }),
           py::arg("seed") = 0, py::arg("item") = 0, py::arg("purpose") = 0)
      .def_readwrite("seed", &disfer::stream_key::seed)
      .def_readwrite("item", &disfer::stream_key::item)
      .def_readwrite("purpose", &disfer::stream_key::purpose)
      .def("__repr__", [](const disfer::stream_key& k) {
        return "StreamKey(seed=" + std::to_string(k.seed) + ", item=" + std::to_string(k.item) +
               ", purpose=" + std::to_string(k.purpose) + ")";
      });
  py::module_ purpose = m.def_submodule("purpose", "The purposes (third stream coordinate) disfer reserves.");
  purpose.attr("gaussian_noise") = disfer::purpose::gaussian_noise;
  purpose.attr("salt_and_pepper") = disfer::purpose::salt_and_pepper;
  purpose.attr("source_sampling") = disfer::purpose::source_sampling;
  purpose.attr("playlist") = disfer::purpose::playlist;
  purpose.attr("presentation_order") = disfer::purpose::presentation_order;
  purpose.attr("tie_break") = disfer::purpose::tie_break;
  purpose.attr("bootstrap") = disfer::purpose::bootstrap;
  purpose.attr("simulation") = disfer::purpose::simulation;
  purpose.attr("training") = disfer::purpose::training;
  purpose.attr("derivation") = disfer::purpose::derivation;
  purpose.attr("attention_check") = disfer::purpose::attention_check;
  purpose.attr("user") = disfer::purpose::user;
  m.attr("random_stream_version") = disfer::random_stream_version;
  m.def("philox4x32_10", &disfer::philox4x32_10, py::arg("counter"), py::arg("key"),
        "One Philox4x32-10 block (Salmon et al. 2011; Random123's philox4x32_R(10, ...)).");
  m.def("random_permutation", &disfer::random_permutation, py::arg("n"), py::arg("key"),
        "A permutation of 0..n-1 drawn by Fisher-Yates from the stream `key` (the same on every machine).");
  m.def("derive_seed", &disfer::derive_seed, py::arg("key"), "A 64-bit seed drawn from the stream `key`.");
}

}  // namespace disfer_py
