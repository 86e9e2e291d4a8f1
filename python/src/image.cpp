// image: bindings of disfer/image.hpp.

#include "common.hpp"

namespace disfer_py {

void init_image(py::module_& m) {
  (void)m;
}

}  // namespace disfer_py
