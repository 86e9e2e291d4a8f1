// The Python module disfer._disfer: the error type, then each C++ module's bindings.

#include "common.hpp"
#include "disfer/inference/classifier.hpp"
#include "disfer/version.hpp"

PYBIND11_MODULE(_disfer, m) {
  namespace py = pybind11;
  m.attr("__version__") = DISFER_VERSION_STRING;
  m.doc() = "disfer's C++ library (see the package disfer, which re-exports everything here).";

  // disfer.Error: a ValueError with the C++ error's function, path, line and column. Python's
  // exception machinery wants a heap type with attributes, so it is made here with type().
  py::object value_error = py::reinterpret_borrow<py::object>(PyExc_ValueError);
  py::dict attrs;
  attrs["__doc__"] =
      "disfer's error for bad input: a ValueError whose message starts with the C++ function's name.\n"
      "Attributes: function (the name), path (the file, or ''), line and column (1-based, or 0).";
  attrs["__module__"] = "disfer";
  attrs["function"] = "";
  attrs["path"] = "";
  attrs["line"] = 0;
  attrs["column"] = 0;
  py::object error_type = py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject*>(&PyType_Type))(
      "Error", py::make_tuple(value_error), attrs);
  m.attr("Error") = error_type;
  py::object cancelled_type = py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject*>(&PyType_Type))(
      "Cancelled", py::make_tuple(py::reinterpret_borrow<py::object>(PyExc_KeyboardInterrupt)),
      py::dict(py::arg("__doc__") = "A long call (predict, reproduce) stopped by Ctrl-C or a cancel request.",
               py::arg("__module__") = "disfer"));
  m.attr("Cancelled") = cancelled_type;

  // Held for the life of the interpreter (the translator outlives any module reference).
  static py::object* error_class = new py::object(error_type);
  static py::object* cancelled_class = new py::object(cancelled_type);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const disfer::error& e) {
      py::gil_scoped_acquire gil;
      const std::string what = e.what();
      const auto colon = what.find(": ");
      py::object exc = (*error_class)(what);
      exc.attr("function") = colon == std::string::npos ? std::string() : what.substr(0, colon);
      exc.attr("path") = e.path();
      exc.attr("line") = e.line();
      exc.attr("column") = e.column();
      PyErr_SetObject(error_class->ptr(), exc.ptr());
    } catch (const disfer::cancelled& e) {
      py::gil_scoped_acquire gil;
      PyErr_SetString(cancelled_class->ptr(), e.what());
    }
  });

  disfer_py::init_core(m);
  disfer_py::init_image(m);
  disfer_py::init_design(m);
  disfer_py::init_crowd(m);
  disfer_py::init_agreement(m);
  disfer_py::init_metrics(m);
  disfer_py::init_hypothesis(m);
  disfer_py::init_compare(m);
  disfer_py::init_inference(m);
  disfer_py::init_io(m);
  disfer_py::init_simulate(m);
  disfer_py::init_fine_tune(m);
  disfer_py::init_report(m);
}
