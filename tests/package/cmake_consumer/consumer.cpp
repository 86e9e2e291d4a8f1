// A user's program built against an installed disfer (by find_package or by pkg-config).
#include <disfer/disfer.hpp>

#include <iostream>
#include <sstream>

int main() {
  if (disfer::parse_emotion("happiness") != disfer::emotion::happy) return 1;
  const auto perm = disfer::random_permutation(5, {1, 2, disfer::purpose::user});
  if (perm.size() != 5) return 1;
  std::istringstream in("a,b\n1,\"x,y\"\n");
  disfer::csv_reader csv(in, "inline");
  if (!csv.next() || csv[1] != "x,y") return 1;
  std::cout << "disfer consumer ok (disfer " << disfer::version_string << ")\n";
  return 0;
}
