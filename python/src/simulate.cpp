// simulate: bindings of disfer/simulate (the calibrated simulation of a study).

#include "common.hpp"

namespace disfer_py {

void init_simulate(py::module_& m) {
  (void)m;
}

}  // namespace disfer_py
