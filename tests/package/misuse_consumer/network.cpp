#include <disfer/inference/fer2013_xception.hpp>
int main() {
  return disfer::fer2013_xception::load().class_names().size() == 7 ? 0 : 1;
}
