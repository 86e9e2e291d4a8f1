// Builds against an installed disfer with the png component and round-trips one image.
#include <disfer/png.hpp>

#include <iostream>
#include <sstream>

int main() {
  xt::xtensor<std::uint8_t, 2> img = {{1, 2, 3}, {250, 251, 252}};
  std::stringstream s;
  disfer::write_png(s, img);
  if (!(disfer::read_png<std::uint8_t>(s, "memory") == img)) return 1;
  std::cout << "disfer png consumer ok\n";
  return 0;
}
