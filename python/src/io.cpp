// io: bindings of disfer/io (the readers and writers of the files studies use).

#include "common.hpp"

namespace disfer_py {

void init_io(py::module_& m) { (void)m; }

}  // namespace disfer_py
