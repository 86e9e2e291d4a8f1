#pragma once
// The inputs of the TensorFlow.js oracle (tests/inference/test_tfjs_oracle.cpp): 30 grey 48x48
// images that disfer makes itself, so the oracle needs no data from outside the project.
//   0-9    the 10 DisFER conditions of the built-in synthetic face (examples/support/
//          synthetic_face.hpp), as examples/write_conditions does: stream key {2022, 0, default
//          purpose of the kind};
//   10-13  the face mirrored left-right, drawn at 96x96 and reduced 2x2 (rounded mean), drawn at
//          24x24 and enlarged 2x (pixel replication), and its negative (255 - v);
//   14-29  seeded random images from disfer's counter-based generator (Philox4x32-10), key
//          {seed 16, item i, purpose::user}: 8 uniform on 0..255, 4 of 8x8 uniform blocks, 4 of
//          low contrast (uniform on 96..159).
// Written as one raw file N x 48 x 48 of uint8 by oracle_inputs.cpp; committed as
// tests/inference/reference/oracle_inputs.u8 so that a changed distortion kernel shows up as a
// changed input, not as a network mismatch.
#include <disfer/core/random.hpp>
#include <disfer/image/distortion.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "support/synthetic_face.hpp"

namespace disfer_test {

struct oracle_input {
  std::string name;                    ///< e.g. "face GB 0.8", "random uniform 3"
  xt::xtensor<std::uint8_t, 2> image;  ///< 48 x 48
};

inline constexpr std::size_t oracle_side = 48;
inline constexpr std::uint64_t oracle_condition_seed = 2022;  // write_conditions' default seed
inline constexpr std::uint64_t oracle_random_seed = 16;       // issue 16

/// The oracle's inputs in their fixed order (see the file comment).
inline std::vector<oracle_input> oracle_inputs() {
  constexpr std::size_t n = oracle_side;
  std::vector<oracle_input> out;
  const auto face = disfer_examples::synthetic_face(n);
  for (const auto& d : disfer::disfer_conditions()) {
    const disfer::stream_key key{oracle_condition_seed, 0, disfer::default_purpose(d.kind)};
    out.push_back({"face " + disfer::label(d), disfer::apply(d, face, key)});
  }

  xt::xtensor<std::uint8_t, 2> img = xt::xtensor<std::uint8_t, 2>::from_shape({n, n});
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < n; ++c) img(r, c) = face(r, n - 1 - c);
  out.push_back({"face mirrored", img});

  const auto big = disfer_examples::synthetic_face(2 * n);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < n; ++c) {
      const unsigned sum =
          unsigned{big(2 * r, 2 * c)} + big(2 * r, 2 * c + 1) + big(2 * r + 1, 2 * c) + big(2 * r + 1, 2 * c + 1);
      img(r, c) = static_cast<std::uint8_t>((sum + 2) / 4);
    }
  out.push_back({"face 96 reduced 2x2", img});

  const auto small = disfer_examples::synthetic_face(n / 2);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < n; ++c) img(r, c) = small(r / 2, c / 2);
  out.push_back({"face 24 enlarged 2x", img});

  for (std::size_t p = 0; p < n * n; ++p) img.data()[p] = static_cast<std::uint8_t>(255 - face.data()[p]);
  out.push_back({"face negative", img});

  for (std::uint64_t i = 0; i < 16; ++i) {
    disfer::random_cursor rng({oracle_random_seed, i, disfer::purpose::user});
    std::string name;
    if (i < 8) {
      for (std::size_t p = 0; p < n * n; ++p) img.data()[p] = static_cast<std::uint8_t>(rng.next_below(256));
      name = "random uniform " + std::to_string(i);
    } else if (i < 12) {
      constexpr std::size_t block = 8;
      std::vector<std::uint8_t> level((n / block) * (n / block));
      for (auto& v : level) v = static_cast<std::uint8_t>(rng.next_below(256));
      for (std::size_t r = 0; r < n; ++r)
        for (std::size_t c = 0; c < n; ++c) img(r, c) = level[(r / block) * (n / block) + c / block];
      name = "random blocks " + std::to_string(i - 8);
    } else {
      for (std::size_t p = 0; p < n * n; ++p) img.data()[p] = static_cast<std::uint8_t>(96 + rng.next_below(64));
      name = "random low contrast " + std::to_string(i - 12);
    }
    out.push_back({name, img});
  }
  return out;
}

}  // namespace disfer_test
