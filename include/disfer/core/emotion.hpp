#pragma once
/// \file
/// The seven FER-2013 emotion categories, their two orders and their two vocabularies.

#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "disfer/core/error.hpp"

namespace disfer {

/// FER-2013's categories with FER-2013's indices (Goodfellow et al. 2013): the value of each
/// enumerator is the label in `fer2013.csv`.
enum class emotion : std::uint8_t { angry = 0, disgust = 1, fear = 2, happy = 3, sad = 4, surprise = 5, neutral = 6 };

/// Number of categories in FER-2013.
inline constexpr std::size_t emotion_count = 7;

/// FER-2013's index order (0 angry ... 6 neutral).
inline constexpr std::array<emotion, emotion_count> fer2013_order = {
    emotion::angry, emotion::disgust, emotion::fear, emotion::happy, emotion::sad, emotion::surprise, emotion::neutral};

/// The paper's display order (Lévêque et al. 2022, Figures 3 and 5): alphabetical by the paper's
/// nouns: anger, disgust, fear, happiness, neutral, sadness, surprise.
inline constexpr std::array<emotion, emotion_count> alphabetical_order = {
    emotion::angry, emotion::disgust, emotion::fear, emotion::happy, emotion::neutral, emotion::sad, emotion::surprise};

/// The two vocabularies: FER-2013's adjectives (angry, happy, sad) and the paper's nouns
/// (anger, happiness, sadness). The other four names are shared.
enum class vocabulary { fer2013, paper };

/// Index of `e` in FER-2013 order (0-6).
constexpr std::size_t index_of(emotion e) noexcept {
  return static_cast<std::size_t>(e);
}

/// The emotion with FER-2013 index `index`; throws disfer::error outside 0-6.
inline emotion emotion_from_index(long long index) {
  if (index < 0 || index >= static_cast<long long>(emotion_count))
    detail::fail("emotion_from_index", "label ", index, " is outside 0-6 (FER-2013 has 7 categories)");
  return static_cast<emotion>(index);
}

/// Name of `e` in the chosen vocabulary.
constexpr std::string_view name(emotion e, vocabulary v = vocabulary::fer2013) noexcept {
  constexpr std::array<std::string_view, emotion_count> fer = {"angry", "disgust",  "fear",   "happy",
                                                               "sad",   "surprise", "neutral"};
  constexpr std::array<std::string_view, emotion_count> paper = {"anger",   "disgust",  "fear",   "happiness",
                                                                 "sadness", "surprise", "neutral"};
  return (v == vocabulary::fer2013 ? fer : paper)[index_of(e)];
}

/// Parses a category name in either vocabulary, case-insensitively and ignoring surrounding
/// blanks ("Angry", " anger ", "HAPPINESS"). Throws disfer::error naming the text otherwise.
inline emotion parse_emotion(std::string_view text) {
  std::size_t b = 0, e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
  std::string lower;
  lower.reserve(e - b);
  for (std::size_t i = b; i < e; ++i)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))));
  for (emotion em : fer2013_order)
    if (lower == name(em, vocabulary::fer2013) || lower == name(em, vocabulary::paper)) return em;
  detail::fail("parse_emotion", "unknown emotion '", text,
               "'; expected one of angry/anger, disgust, fear, happy/happiness, sad/sadness, surprise, neutral");
}

}  // namespace disfer
