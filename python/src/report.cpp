// report: bindings of disfer/report.hpp.

#include "common.hpp"

namespace disfer_py {

void init_report(py::module_& m) {
  (void)m;
}

}  // namespace disfer_py
