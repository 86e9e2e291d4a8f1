// fine_tune: bindings of disfer/inference/fine_tune.hpp (retraining the networks' heads).

#include "common.hpp"

namespace disfer_py {

void init_fine_tune(py::module_& m) {
  (void)m;
}

}  // namespace disfer_py
