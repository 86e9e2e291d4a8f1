#include <catch2/catch.hpp>

#include <disfer/core/emotion.hpp>

using disfer::emotion;

TEST_CASE("FER-2013 indices and both orders", "[core][emotion]") {
  // FER-2013 (Goodfellow et al. 2013; Kaggle data description): 0=Angry, 1=Disgust, 2=Fear,
  // 3=Happy, 4=Sad, 5=Surprise, 6=Neutral.
  const char* fer[] = {"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"};
  for (std::size_t i = 0; i < 7; ++i) {
    CHECK(disfer::index_of(disfer::fer2013_order[i]) == i);
    CHECK(disfer::name(disfer::emotion_from_index(static_cast<long long>(i))) == fer[i]);
  }
  // The paper's figures list anger, disgust, fear, happiness, neutral, sadness, surprise.
  const char* paper[] = {"anger", "disgust", "fear", "happiness", "neutral", "sadness", "surprise"};
  for (std::size_t i = 0; i < 7; ++i)
    CHECK(disfer::name(disfer::alphabetical_order[i], disfer::vocabulary::paper) == paper[i]);
}

TEST_CASE("parse_emotion accepts both vocabularies", "[core][emotion]") {
  CHECK(disfer::parse_emotion("anger") == emotion::angry);
  CHECK(disfer::parse_emotion("Angry") == emotion::angry);
  CHECK(disfer::parse_emotion(" HAPPINESS ") == emotion::happy);
  CHECK(disfer::parse_emotion("happy") == emotion::happy);
  CHECK(disfer::parse_emotion("sadness") == emotion::sad);
  CHECK(disfer::parse_emotion("sad") == emotion::sad);
  for (emotion e : disfer::fer2013_order) {
    CHECK(disfer::parse_emotion(disfer::name(e, disfer::vocabulary::fer2013)) == e);
    CHECK(disfer::parse_emotion(disfer::name(e, disfer::vocabulary::paper)) == e);
  }
}

TEST_CASE("bad emotion input throws disfer::error naming the function and value", "[core][emotion]") {
  CHECK_THROWS_WITH(disfer::parse_emotion("contempt"), Catch::Contains("parse_emotion") && Catch::Contains("contempt"));
  CHECK_THROWS_AS(disfer::parse_emotion(""), disfer::error);
  CHECK_THROWS_WITH(disfer::emotion_from_index(7), Catch::Contains("emotion_from_index") && Catch::Contains("7"));
  CHECK_THROWS_WITH(disfer::emotion_from_index(-1), Catch::Contains("-1"));
}
