// Recomputes the committed regression digests in a program built with -march=native and
// floating-point contraction allowed (GCC -ffp-contract=fast; Clang's default "on"), to show that
// disfer's outputs do not depend on FMA fusion. Usage: image_fp_contract_check <digests.txt>.
// Exit 0 when every digest matches, 1 otherwise (the mismatches are printed).
#include "digest_cases.hpp"

#include <fstream>
#include <iostream>
#include <map>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: image_fp_contract_check <digests.txt>\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::map<std::string, std::string> expected;
  std::string line;
  while (std::getline(in, line))
    if (line.size() >= 67 && line[0] != '#') expected[line.substr(66)] = line.substr(0, 64);
  int bad = 0;
  const auto cases = disfer_test::digest_cases();
  for (const auto& [name, digest] : cases)
    if (expected[name] != digest) {
      std::cout << "MISMATCH " << name << ": " << digest << " expected " << expected[name] << "\n";
      ++bad;
    }
  std::cout << cases.size() - static_cast<std::size_t>(bad) << " of " << cases.size() << " digests match\n";
  return bad == 0 && !cases.empty() && expected.size() == cases.size() ? 0 : 1;
}
