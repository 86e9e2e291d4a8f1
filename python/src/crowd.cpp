// crowd: bindings of disfer/crowd.hpp.

#include "common.hpp"

namespace disfer_py {

void init_crowd(py::module_& m) {
  (void)m;
}

}  // namespace disfer_py
