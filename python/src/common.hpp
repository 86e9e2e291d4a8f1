#pragma once
// What every binding file of the Python module shares: numpy <-> Eigen/xtensor without needless
// copies, result classes with read-only fields and to_dict(), enums that also accept their names
// as strings, and the GIL released around the C++ work.

#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <xtensor/xtensor.hpp>

#include "disfer/core/error.hpp"

namespace disfer {
struct distortion;
struct stimulus;
}  // namespace disfer

namespace disfer_py {

namespace py = pybind11;

// Each binding file's entry point, called by module.cpp in this order.
void init_core(py::module_& m);
void init_image(py::module_& m);
void init_design(py::module_& m);
void init_crowd(py::module_& m);
void init_agreement(py::module_& m);
void init_metrics(py::module_& m);
void init_hypothesis(py::module_& m);
void init_compare(py::module_& m);
void init_inference(py::module_& m);
void init_io(py::module_& m);
void init_simulate(py::module_& m);
void init_fine_tune(py::module_& m);
void init_report(py::module_& m);

/// The conditions argument of the stimulus writers (design.cpp, io.cpp): Distortions or labels, or
/// None for those the stimuli were made with, in condition_index order.
std::vector<disfer::distortion> stimulus_conditions(const char* fn, const std::vector<disfer::stimulus>& stimuli,
                                                    const py::object& conditions);

/// Raises disfer.Error (a ValueError) naming `function`, like the C++ library's errors.
[[noreturn]] inline void fail(const char* function, const std::string& message) {
  throw disfer::error(std::string(function) + ": " + message);
}

/// Runs `body` without the GIL (the arguments must already be C++ values).
template <class Body>
decltype(auto) without_gil(Body&& body) {
  py::gil_scoped_release release;
  return body();
}

// ---------------------------------------------------------------------------------------------
// Count tables: a 2-D numpy array of int32 or int64 is viewed in place (any strides that are
// whole elements); other integer types, bools and integral floats are converted to int64 with a
// named error for a fractional, negative-infinite or NaN entry.

template <class T>
using row_major = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using table_view = Eigen::Map<const row_major<T>, 0, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>>;
// A column-major view (Fortran order, or any table whose rows are adjacent): the layout the C++
// kernels' vector passes read.
template <class T>
using column_view = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>>;

template <class T>
table_view<T> view_of(const py::array& a) {
  const auto rows = static_cast<Eigen::Index>(a.shape(0)), cols = static_cast<Eigen::Index>(a.shape(1));
  const auto outer = static_cast<Eigen::Index>(a.strides(0) / static_cast<py::ssize_t>(sizeof(T)));
  const auto inner = static_cast<Eigen::Index>(a.strides(1) / static_cast<py::ssize_t>(sizeof(T)));
  return table_view<T>(static_cast<const T*>(a.data()), rows, cols,
                       Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>(outer, inner));
}

/// Calls f with the best view of `a` (of element type T): column-major when its rows are adjacent
/// in memory, else row-major with its strides.
template <class T, class F>
auto with_view(const py::array& a, F&& f) {
  const auto rows = static_cast<Eigen::Index>(a.shape(0)), cols = static_cast<Eigen::Index>(a.shape(1));
  if (a.strides(0) == static_cast<py::ssize_t>(sizeof(T)) && a.strides(1) > 0) {
    column_view<T> v(
        static_cast<const T*>(a.data()), rows, cols,
        Eigen::OuterStride<>(static_cast<Eigen::Index>(a.strides(1) / static_cast<py::ssize_t>(sizeof(T)))));
    return without_gil([&] { return f(v); });
  }
  auto v = view_of<T>(a);
  return without_gil([&] { return f(v); });
}

/// Throws disfer.Error naming `what` and the entry (C order: [i] or [r, c]) unless every entry of
/// the integer, bool or float array `a` is a whole number within int64 (a float NaN, infinite,
/// fractional or beyond +-2^63 value; a uint64 above 2^63 - 1). Defined in core.cpp.
void check_whole_numbers(const char* function, const py::array& a, const char* what);

/// Calls `f(view)` with an Eigen view (int32 or int64) of the 2-D count table `obj`, the GIL
/// released during `f`. `what` names the argument in errors.
template <class F>
auto with_counts(const char* function, const py::object& obj, F&& f, const char* what = "counts") {
  py::array a = py::array::ensure(obj);
  if (!a) fail(function, std::string(what) + " must be a 2-D array of counts");
  if (a.ndim() != 2)
    fail(function, std::string(what) + " must be 2-D (items x categories), got " + std::to_string(a.ndim()) + "-D");
  const auto whole = [&](std::size_t size) {
    return a.strides(0) % static_cast<py::ssize_t>(size) == 0 && a.strides(1) % static_cast<py::ssize_t>(size) == 0;
  };
  if (py::isinstance<py::array_t<std::int64_t>>(a) && whole(8)) return with_view<std::int64_t>(a, f);
  if (py::isinstance<py::array_t<std::int32_t>>(a) && whole(4)) return with_view<std::int32_t>(a, f);
  const char kind = a.dtype().kind();
  if (kind != 'i' && kind != 'u' && kind != 'b' && kind != 'f')
    fail(function, std::string(what) + " must hold integers, got dtype " + std::string(py::str(a.dtype())));
  check_whole_numbers(function, a, what);
  // Converted into Fortran order, the layout the kernels' vector passes read.
  auto c = py::array_t<std::int64_t, py::array::f_style | py::array::forcecast>::ensure(a);
  return with_view<std::int64_t>(c, f);
}

/// A 1-D numpy array of integers (any integer dtype, or integral floats) as std::vector<int64_t>.
std::vector<std::int64_t> int_vector(const char* function, const py::object& obj, const char* what);

/// A numpy array (any shape) as a C-contiguous float64 array; errors name `what`.
py::array_t<double, py::array::c_style> double_array(const char* function, const py::object& obj, const char* what);

// ---------------------------------------------------------------------------------------------
// Images: uint8, uint16, float32 or float64, H x W or H x W x C, copied into an xtensor (the C++
// kernels own their input); results are moved into numpy without a copy.

template <class T, std::size_t N>
py::array_t<T> to_numpy(xt::xtensor<T, N>&& img) {
  auto* owner = new xt::xtensor<T, N>(std::move(img));
  py::capsule free_it(owner, [](void* p) { delete static_cast<xt::xtensor<T, N>*>(p); });
  std::vector<py::ssize_t> shape(owner->shape().begin(), owner->shape().end());
  return py::array_t<T>(shape, owner->data(), free_it);
}

template <class T, std::size_t N>
xt::xtensor<T, N> to_xtensor(const py::array& a) {
  auto c = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(a);
  std::array<std::size_t, N> shape{};
  for (std::size_t i = 0; i < N; ++i) shape[i] = static_cast<std::size_t>(c.shape(static_cast<py::ssize_t>(i)));
  auto t = xt::xtensor<T, N>::from_shape(shape);
  if (c.size()) std::memcpy(t.data(), c.data(), static_cast<std::size_t>(c.size()) * sizeof(T));
  return t;
}

/// Calls `f(image)` with the numpy image `obj` as an xt::xtensor<T, 2 or 3> of its own pixel type,
/// the GIL released during `f`; returns f's xtensor as a numpy array.
template <class F>
py::array with_image(const char* function, const py::object& obj, F&& f) {
  py::array a = py::array::ensure(obj);
  if (!a) fail(function, "the image must be a numpy array");
  if (a.ndim() != 2 && a.ndim() != 3)
    fail(function, "the image must be H x W or H x W x C, got " + std::to_string(a.ndim()) + "-D");
  auto run = [&](auto tag) -> py::array {
    using T = decltype(tag);
    if (a.ndim() == 2) {
      auto img = to_xtensor<T, 2>(a);
      auto out = without_gil([&] { return f(img); });
      return to_numpy(std::move(out));
    }
    auto img = to_xtensor<T, 3>(a);
    auto out = without_gil([&] { return f(img); });
    return to_numpy(std::move(out));
  };
  if (py::isinstance<py::array_t<std::uint8_t>>(a)) return run(std::uint8_t{});
  if (py::isinstance<py::array_t<std::uint16_t>>(a)) return run(std::uint16_t{});
  if (py::isinstance<py::array_t<float>>(a)) return run(float{});
  if (py::isinstance<py::array_t<double>>(a)) return run(double{});
  fail(function, "pixel type must be uint8, uint16, float32 or float64, got " + std::string(py::str(a.dtype())));
}

// ---------------------------------------------------------------------------------------------
// Results: classes with read-only attributes named as the C++ fields, to_dict(), __repr__ and
// _fields (like a named tuple), so that pandas.DataFrame([r.to_dict() for r in ...]) works.

template <class T>
class result_class {
 public:
  result_class(py::module_& m, const char* name, const char* doc)
      : cls_(m, name, doc), fields_(std::make_shared<std::vector<std::string>>()) {
    auto fields = fields_;
    cls_.def(
        "to_dict",
        [fields](const py::object& self) {
          py::dict d;
          for (const auto& f : *fields) d[py::str(f)] = self.attr(f.c_str());
          return d;
        },
        "The fields as a dict (field name -> value), in declaration order.");
    cls_.def("__repr__", [fields, name = std::string(name)](const py::object& self) {
      std::string s = name + "(";
      for (std::size_t i = 0; i < fields->size(); ++i) {
        if (i) s += ", ";
        s += (*fields)[i] + "=" + std::string(py::repr(self.attr((*fields)[i].c_str())));
      }
      return s + ")";
    });
  }

  /// A read-only attribute for the member `field`.
  template <class M>
  result_class& field(const char* name, M T::*member, const char* doc = "") {
    cls_.def_readonly(name, member, doc);
    fields_->emplace_back(name);
    return *this;
  }

  /// A read-only attribute computed by `getter(const T&)`.
  template <class Getter>
  result_class& computed(const char* name, Getter&& getter, const char* doc = "") {
    cls_.def_property_readonly(name, std::forward<Getter>(getter), doc);
    fields_->emplace_back(name);
    return *this;
  }

  /// Called once every field is declared: records _fields on the class.
  py::class_<T>& done() {
    py::tuple names(fields_->size());
    for (std::size_t i = 0; i < fields_->size(); ++i) names[i] = py::str((*fields_)[i]);
    cls_.attr("_fields") = names;
    return cls_;
  }

 private:
  py::class_<T> cls_;
  std::shared_ptr<std::vector<std::string>> fields_;
};

// ---------------------------------------------------------------------------------------------
// Enums: a Python enum class with the C++ enumerators' names; every function taking one also
// accepts the name as a string ("pooled" for KappaMargins.pooled), and an unknown name raises
// disfer.Error listing the names. A binding file declares DISFER_PY_STRING_ENUM(E) (at global
// scope, before using E) for each enum it binds or takes; an enum used by several files is
// declared here, below, so that every file sees the same caster.

template <class E>
py::enum_<E> bind_enum(py::module_& m, const char* name, std::initializer_list<std::pair<const char*, E>> values,
                       const char* doc) {
  py::enum_<E> e(m, name, doc);
  for (const auto& [n, v] : values) e.value(n, v);
  return e;
}

template <class E>
struct string_enum_caster : py::detail::type_caster_base<E> {
  bool load(py::handle src, bool convert) {
    if (!py::isinstance<py::str>(src)) return py::detail::type_caster_base<E>::load(src, convert);
    // The members by name, read once from the bound enum (a name costs a short scan, not a dict
    // of the class per call).
    static const auto* members = [] {
      auto* v = new std::vector<std::pair<std::string, py::object>>();
      const py::dict d = py::detail::get_type_handle(typeid(E), true).attr("__members__");
      for (const auto& item : d)
        v->emplace_back(item.first.cast<std::string>(), py::reinterpret_borrow<py::object>(item.second));
      return v;
    }();
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(src.ptr(), &size);
    if (!text) throw py::error_already_set();
    for (const auto& [member, object] : *members)
      if (member.size() == static_cast<std::size_t>(size) && member.compare(0, member.size(), text, member.size()) == 0)
        return py::detail::type_caster_base<E>::load(object, convert);
    std::string names;
    for (const auto& entry : *members) names += (names.empty() ? "" : ", ") + entry.first;
    throw disfer::error(py::detail::get_type_handle(typeid(E), true).attr("__name__").cast<std::string>() +
                        ": unknown name '" + std::string(text, static_cast<std::size_t>(size)) + "' (one of " + names +
                        ")");
  }
};

}  // namespace disfer_py

#define DISFER_PY_STRING_ENUM(E)                                     \
  namespace pybind11::detail {                                       \
  template <>                                                        \
  class type_caster<E> : public disfer_py::string_enum_caster<E> {}; \
  }

// The enums more than one binding file takes.
#include "disfer/core/emotion.hpp"
#include "disfer/crowd/majority_vote.hpp"
#include "disfer/hypothesis/mcnemar.hpp"
#include "disfer/image/condition.hpp"
#include "disfer/io/fer2013.hpp"
#include "disfer/hypothesis/p_adjust.hpp"
#include "disfer/metrics/confusion_matrix.hpp"
#include "disfer/metrics/precision_recall.hpp"
DISFER_PY_STRING_ENUM(disfer::emotion)
DISFER_PY_STRING_ENUM(disfer::vocabulary)
DISFER_PY_STRING_ENUM(disfer::tie_policy)
DISFER_PY_STRING_ENUM(disfer::mcnemar_method)
DISFER_PY_STRING_ENUM(disfer::p_adjustment)
DISFER_PY_STRING_ENUM(disfer::normalization)
DISFER_PY_STRING_ENUM(disfer::zero_division)
DISFER_PY_STRING_ENUM(disfer::fer2013_usage)
DISFER_PY_STRING_ENUM(disfer::distortion_kind)
