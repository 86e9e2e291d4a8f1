#include <catch2/catch.hpp>

#include <disfer/image.hpp>

#include "digest_cases.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

// Committed SHA-256 digests (reference/digests.txt) of the outputs in digest_cases.hpp for fixed
// (seed, id). They are regression values: a change means the bytes of a distortion changed,
// which needs a new disfer::random_stream_version (random kernels) or a CHANGELOG entry.
// With DISFER_IMAGE_DIGEST_DUMP=<file> set, the computed digests are also written there (the
// g++/clang++ comparison test uses it).
TEST_CASE("reproducibility: committed SHA-256 digests for fixed (seed, id)", "[image][reproducibility][digests]") {
  const auto cases = disfer_test::digest_cases();
  if (const char* dump = std::getenv("DISFER_IMAGE_DIGEST_DUMP")) {
    std::ofstream out(dump);
    for (const auto& [name, digest] : cases) out << digest << "  " << name << "\n";
  }
  std::ifstream in(std::string(DISFER_IMAGE_REFERENCE_DIR) + "/digests.txt");
  REQUIRE(in.good());
  std::map<std::string, std::string> expected;
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < 67 || line[0] == '#') continue;
    expected[line.substr(66)] = line.substr(0, 64);
  }
  CHECK(expected.size() == cases.size());
  for (const auto& [name, digest] : cases) {
    INFO(name);
    REQUIRE(expected.count(name) == 1);
    CHECK(digest == expected[name]);
  }
}

TEST_CASE("reproducibility: image_sha256 hashes shape and little-endian pixels", "[image][reproducibility]") {
  // Digest of the bytes: rank 2 (8 bytes LE), extents 1 and 2 (8 bytes LE each), pixels 0x01 0x02,
  // computed with: python3 -c "import
  // hashlib,struct;print(hashlib.sha256(struct.pack('<QQQ',2,1,2)+bytes([1,2])).hexdigest())"
  xt::xtensor<std::uint8_t, 2> a = {{1, 2}};
  CHECK(disfer::image_sha256(a) == "e19c28576e066acb78819d41150f2528d4e2689be5e7a52a515bc520296cf3ba");
  // uint16 value 0x0102 as bytes 02 01:
  // python3 -c "import
  // hashlib,struct;print(hashlib.sha256(struct.pack('<QQQ',2,1,1)+struct.pack('<H',0x0102)).hexdigest())"
  xt::xtensor<std::uint16_t, 2> b = {{0x0102}};
  CHECK(disfer::image_sha256(b) == "a5ed23ff404b2d88ef30bad42dcf907f6a60a8bf9f2849c879896cb1576c1e00");
  // float 1.0f = 0x3f800000: python3 -c "import
  // hashlib,struct;print(hashlib.sha256(struct.pack('<QQQQ',3,1,1,1)+struct.pack('<f',1.0)).hexdigest())"
  xt::xtensor<float, 3> c = xt::xtensor<float, 3>::from_shape({1, 1, 1});
  c(0, 0, 0) = 1.0f;
  CHECK(disfer::image_sha256(c) == "ba8248dc636a07f6101fdd1855060cab183a3bc3eff2bf9137579623c3e49b42");
}
