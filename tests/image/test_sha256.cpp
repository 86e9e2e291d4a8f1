#include <catch2/catch.hpp>

#include <disfer/detail/sha256.hpp>

#include <string>

// Test vectors of FIPS 180-2, Appendix B (SHA-256), and the digest of the empty string
// (`printf '' | sha256sum`).
TEST_CASE("sha256: FIPS 180-2 test vectors", "[image][sha256]") {
  using disfer::detail::sha256_hex;
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: incremental updates equal one update", "[image][sha256]") {
  const std::string text(200, 'x');
  for (std::size_t split : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 128u, 200u}) {
    disfer::detail::sha256 h;
    h.update(text.data(), split);
    h.update(text.data() + split, text.size() - split);
    CHECK(h.hex() == disfer::detail::sha256_hex(text));
  }
  // `printf 'x%.0s' {1..200} | sha256sum`
  CHECK(disfer::detail::sha256_hex(text) == "aa20c23e3201834050679e1d88941b9a6fed0557c9a705cb2c315e2e63fd486d");
}
