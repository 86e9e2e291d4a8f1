// hypothesis: bindings of disfer/hypothesis.hpp.

#include "common.hpp"

namespace disfer_py {

void init_hypothesis(py::module_& m) {
  (void)m;
}

}  // namespace disfer_py
