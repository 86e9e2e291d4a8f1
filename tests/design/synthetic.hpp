#pragma once
// Stimuli without images for playlist tests: `n_sources` sources (source s has emotion s % 7 and
// FER-2013 row 1000 + s), each under every condition.
#include <disfer/design.hpp>

#include <string>
#include <vector>

namespace disfer_test {

inline std::vector<disfer::stimulus> synthetic_stimuli(std::size_t n_sources,
                                                       const std::vector<disfer::distortion>& conditions) {
  std::vector<disfer::stimulus> out;
  for (std::size_t s = 0; s < n_sources; ++s)
    for (std::size_t c = 0; c < conditions.size(); ++c) {
      disfer::stimulus st;
      st.fer2013_row = 1000 + s;
      st.id = disfer::stimulus_id(st.fer2013_row, conditions[c]);
      st.index = out.size();
      st.source_id = s;
      st.label = static_cast<disfer::emotion>(s % 7);
      st.condition_index = c;
      st.condition = conditions[c];
      out.push_back(st);
    }
  return out;
}

// The five conditions of the 24 x 5 shape: original, GB 0.8, GN 10, SP 0.02, GB 1.1.
inline std::vector<disfer::distortion> five_conditions() {
  const auto c = disfer::disfer_conditions();
  return {c[0], c[1], c[4], c[7], c[2]};
}

struct playlist_shape {
  const char* name;
  std::size_t sources;
  std::vector<disfer::distortion> conditions;
  std::size_t playlists, size;
};

// The shapes of the property tests: DisFER's and two others from the issue.
inline std::vector<playlist_shape> property_shapes() {
  return {{"disfer-84x10-21x40", 84, disfer::disfer_conditions(), 21, 40},
          {"70x10-35x20", 70, disfer::disfer_conditions(), 35, 20},
          {"24x5-8x15", 24, five_conditions(), 8, 15}};
}

}  // namespace disfer_test
