// compare: bindings of disfer/compare.hpp.

#include "common.hpp"

namespace disfer_py {

void init_compare(py::module_& m) {
  (void)m;
}

}  // namespace disfer_py
