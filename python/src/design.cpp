// design: bindings of disfer/design.hpp.

#include "common.hpp"

namespace disfer_py {

void init_design(py::module_& m) {
  (void)m;
}

}  // namespace disfer_py
