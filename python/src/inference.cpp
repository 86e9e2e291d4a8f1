// inference: bindings of disfer/inference.hpp.

#include "common.hpp"

namespace disfer_py {

void init_inference(py::module_& m) {
  (void)m;
}

}  // namespace disfer_py
