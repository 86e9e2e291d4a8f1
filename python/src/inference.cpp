// inference: the bundled networks (the FER-2013 Xception of @vladmandic/human and face-api's
// FaceExpressionNet) on numpy batches, with the GIL released and Ctrl-C cancelling a long run.

#include "batches.hpp"
#include "common.hpp"
#include "disfer/inference/classifier.hpp"
#include "disfer/inference/faceapi_expression.hpp"
#include "disfer/inference/fer2013_xception.hpp"

namespace disfer_py {

namespace {

template <class Network>
void bind_network(py::module_& m, const char* name, const char* doc, const char* fn) {
  py::class_<Network>(m, name, doc)
      .def(py::init([](const std::string& path) {
             std::string where = path;
             if (where.empty()) {
               // The package's own models folder first (a wheel or an installed module), then the
               // library's search (DISFER_MODEL_DIR, the build tree's folder).
               const py::object dir = py::module_::import("disfer").attr("MODEL_DIR");
               if (!dir.is_none() && !std::getenv("DISFER_MODEL_DIR")) where = dir.cast<std::string>();
             }
             py::gil_scoped_release release;
             return Network::load(where);
           }),
           py::arg("path") = "",
           "Loads the network's weights from `path` (a folder or the model file), else from DISFER_MODEL_DIR, the\n"
           "package's models folder or the build tree's; disfer.Error listing every path tried when absent.")
      .def_property_readonly("class_names", &Network::class_names, "FER-2013's names in FER-2013 order.")
      .def_property_readonly_static("npm_package", [](const py::object&) { return std::string(Network::npm_package); })
      .def_property_readonly_static("input_size", [](const py::object&) { return Network::input_size; })
      .def(
          "predict",
          [fn](const Network& self, const py::object& images, std::size_t threads, std::size_t batch_size) {
            return predict_with(self, fn, images, threads, batch_size);
          },
          py::arg("images"), py::arg("threads") = 1, py::arg("batch_size") = 32,
          "Class probabilities of each image: `images` is N x H x W (or a list of H x W arrays) on the 0-255 scale,\n"
          "of any size (resized as the network's own preprocessing does). The GIL is released; Ctrl-C stops\n"
          "the run after the batches in progress (KeyboardInterrupt). Bit-identical for any `threads` (0 = all "
          "cores).");
}

}  // namespace

void init_inference(py::module_& m) {
  result_class<disfer::predictions>(m, "Predictions", "A network's output on a batch.")
      .field("class_names", &disfer::predictions::class_names, "the probability columns' classes")
      .field("stimuli", &disfer::predictions::stimuli, "row identifiers (empty from predict)")
      .field("probabilities", &disfer::predictions::probabilities, "N x k probabilities")
      .computed(
          "labels",
          [](const disfer::predictions& p) {
            py::array_t<std::int64_t> a(static_cast<py::ssize_t>(p.labels.size()));
            for (std::size_t i = 0; i < p.labels.size(); ++i) a.mutable_data()[i] = p.labels[i];
            return a;
          },
          "the most probable class per row (lowest index on ties; -1 when a row is all NaN)")
      .done();
  bind_network<disfer::fer2013_xception>(
      m, "Fer2013Xception",
      "The FER-2013 mini-Xception of @vladmandic/human 3.3.6 (Arriaga et al. 2017, face_classification), run by\n"
      "disfer's own TF.js graph runner: 64 x 64 gray input, 7 classes in FER-2013 order; matches TF.js to 1e-5.",
      "Fer2013Xception.predict");
  bind_network<disfer::faceapi_expression>(
      m, "FaceapiExpression",
      "face-api's FaceExpressionNet (@vladmandic/face-api 1.7.15): 112 x 112 input from the gray image,\n"
      "7 classes mapped to FER-2013 order; matches face-api on TF.js to 1e-5.",
      "FaceapiExpression.predict");
}

}  // namespace disfer_py
