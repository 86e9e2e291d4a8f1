// metrics: bindings of disfer/metrics.hpp.

#include "common.hpp"

namespace disfer_py {

void init_metrics(py::module_& m) {
  (void)m;
}

}  // namespace disfer_py
