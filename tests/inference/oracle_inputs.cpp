// disfer_oracle_inputs OUT.u8: writes the TensorFlow.js oracle's inputs (oracle_inputs.hpp) as one
// raw file N x 48 x 48 of uint8 and their names, one per line, to OUT.txt (OUT.u8 with .txt).
// Run by the live oracle test and by the target disfer_tfjs_oracle_regenerate.
#include <fstream>
#include <iostream>
#include <string>

#include "oracle_inputs.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: disfer_oracle_inputs OUT.u8 (also writes OUT.txt: one input name per line)\n";
    return 2;
  }
  std::string out = argv[1];
  std::string names =
      out.size() > 3 && out.compare(out.size() - 3, 3, ".u8") == 0 ? out.substr(0, out.size() - 3) : out;
  names += ".txt";
  try {
    const auto inputs = disfer_test::oracle_inputs();
    std::ofstream bytes(out, std::ios::binary), text(names, std::ios::binary);
    for (const auto& in : inputs) {
      bytes.write(reinterpret_cast<const char*>(in.image.data()), static_cast<std::streamsize>(in.image.size()));
      text << in.name << "\n";
    }
    bytes.close();
    text.close();
    if (!bytes || !text) {
      std::cerr << "disfer_oracle_inputs: cannot write " << out << " or " << names << "\n";
      return 1;
    }
    std::cout << "disfer_oracle_inputs: " << inputs.size() << " inputs of 48x48 -> " << out << ", " << names << "\n";
  } catch (const std::exception& e) {
    std::cerr << "disfer_oracle_inputs: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
