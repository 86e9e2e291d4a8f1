#include <disfer/core.hpp>
int main() {
  return 0;
}
