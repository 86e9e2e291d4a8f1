// Predictions CSV: round trip, both vocabularies and indices, custom classes, and line-numbered errors.
// In the io module (core dependencies) since issue 18: this file includes no inference header.
#include <catch2/catch.hpp>
#include <disfer/io/predictions_csv.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

std::string write_file(const std::string& scratch, const std::string& text) {
  const auto dir = disfer_test::scratch_dir(scratch);
  const auto path = (dir / "p.csv").string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string read_error(const std::string& path, const disfer::predictions_csv_options& o = {}) {
  try {
    disfer::read_predictions_csv(path, o);
  } catch (const disfer::error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("predictions_csv: write then read", "[io][predictions_csv]") {
  disfer::predictions p;
  p.class_names = {"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"};
  p.stimuli = {"s1", "s,2"};
  p.probabilities = Eigen::MatrixXd::Zero(2, 7);
  p.probabilities(0, 3) = 0.75, p.probabilities(0, 6) = 0.25;
  p.probabilities(1, 1) = 1.0 / 3, p.probabilities(1, 2) = 2.0 / 3;
  p.labels = {3, 2};
  const auto dir = disfer_test::scratch_dir("pred_roundtrip");
  const auto path = (dir / "out.csv").string();
  disfer::write_predictions_csv(path, p);
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  CHECK(header == "stimulus,label,angry,disgust,fear,happy,sad,surprise,neutral");
  const auto q = disfer::read_predictions_csv(path);
  CHECK(q.stimuli == p.stimuli);
  CHECK(q.labels == p.labels);
  CHECK((q.probabilities - p.probabilities).cwiseAbs().maxCoeff() < 1e-9);
  // An existing file is kept unless asked.
  CHECK_THROWS_AS(disfer::write_predictions_csv(path, p), disfer::error);
  p.labels = {0, 0};
  disfer::write_predictions_csv(path, p, disfer::overwrite_policy::replace);
  CHECK(disfer::read_predictions_csv(path).labels == std::vector<int>{0, 0});
  // Labels only.
  p.probabilities.resize(2, 0);
  disfer::write_predictions_csv(path, p, disfer::overwrite_policy::replace);
  const auto r = disfer::read_predictions_csv(path);
  CHECK(r.probabilities.cols() == 0);
  CHECK(r.labels == std::vector<int>{0, 0});
}

TEST_CASE("predictions_csv: labels by name in either vocabulary or by index", "[io][predictions_csv]") {
  const auto path = write_file("pred_vocab", "stimulus,label\na,Anger\nb,happiness\nc, sad \nd,6\n");
  CHECK(disfer::read_predictions_csv(path).labels == std::vector<int>{0, 3, 4, 6});
  // Probability columns named with the paper's nouns, in another order; label = most probable.
  const auto path2 = write_file("pred_probs",
                                "stimulus,neutral,happiness,anger,disgust,fear,sadness,surprise\n"
                                "x,0.1,0.6,0.1,0,0,0.2,0\n");
  const auto p = disfer::read_predictions_csv(path2);
  CHECK(p.labels == std::vector<int>{3});
  CHECK(p.probabilities(0, 6) == 0.1);
  CHECK(p.probabilities(0, 4) == 0.2);
  // Custom classes and columns.
  disfer::predictions_csv_options o;
  o.class_names = {"cat", "dog"};
  o.stimulus_column = "image";
  o.label_column = "pred";
  const auto path3 = write_file("pred_custom", "image,pred,Cat,DOG\ni1,dog,0.2,0.8\ni2,0,1,0\n");
  const auto c = disfer::read_predictions_csv(path3, o);
  CHECK(c.class_names == o.class_names);
  CHECK(c.labels == std::vector<int>{1, 0});
  CHECK(c.probabilities(0, 1) == 0.8);
}

TEST_CASE("predictions_csv: errors name the line and column", "[io][predictions_csv][errors]") {
  CHECK_THAT(read_error(write_file("pe1", "stimulus,label\na,happy\nb,joy\n")),
             Catch::Contains("p.csv:3:3: column 'label': unknown label 'joy'"));
  CHECK_THAT(read_error(write_file("pe2", "stimulus,label\na,happy\na,sad\n")),
             Catch::Contains("p.csv:3:1: column 'stimulus': duplicate stimulus 'a'"));
  CHECK_THAT(read_error(write_file("pe3", "stimulus,label\na,7\n")), Catch::Contains("unknown label '7'"));
  const std::string cols = "stimulus,angry,disgust,fear,happy,sad,surprise,neutral\n";
  CHECK_THAT(read_error(write_file("pe4", cols + "a,0,0,x,1,0,0,0\n")),
             Catch::Contains("p.csv:2:7: column 'fear': 'x' is not a number"));
  CHECK_THAT(read_error(write_file("pe5", cols + "a,0,0,1.5,0,0,0,0\n")),
             Catch::Contains("column 'fear': probability 1.5 is not in [0, 1]"));
  CHECK_THAT(read_error(write_file("pe6", "stimulus,angry,happy\na,0.5,0.5\n")),
             Catch::Contains("probability columns are incomplete: none for disgust, fear, sad, surprise, neutral"));
  CHECK_THAT(read_error(write_file("pe7", "id,label\na,happy\n")), Catch::Contains("missing column 'stimulus'"));
  CHECK_THAT(read_error(write_file("pe8", "stimulus,score\na,1\n")),
             Catch::Contains("neither a 'label' column nor one probability column per class"));
  CHECK_THAT(read_error(write_file("pe9", "stimulus,label\n,happy\n")), Catch::Contains("empty stimulus id"));
  CHECK_THAT(read_error("/nonexistent/p.csv"), Catch::StartsWith("read_predictions_csv: cannot open"));
  disfer::predictions p;
  p.class_names = {"a"};
  p.labels = {0, 0};
  p.stimuli = {"x"};
  CHECK_THROWS_WITH(disfer::write_predictions_csv("/tmp/never.csv", p),
                    Catch::Contains("1 stimulus ids for 2 predictions"));
}

TEST_CASE("predictions_csv: the reader is in io and needs no inference component (issue 18, point 5)",
          "[io][predictions_csv]") {
  // io/predictions_csv.hpp must not pull in nlohmann-json (the inference component's dependency).
#ifdef INCLUDE_NLOHMANN_JSON_HPP_
  FAIL("disfer/io/predictions_csv.hpp includes nlohmann/json.hpp");
#endif
  const auto p = disfer::read_predictions_csv(write_file("pcore", "stimulus,label\na,happy\nb,2\n"));
  CHECK(p.stimuli == std::vector<std::string>{"a", "b"});
  CHECK(p.labels == std::vector<int>{3, 2});
}

TEST_CASE("predictions_csv: a file with a header and no rows is an error naming the path (issue 18, point 8)",
          "[io][predictions_csv][errors]") {
  const auto path = write_file("pempty", "stimulus,label\n");
  CHECK_THAT(read_error(path), Catch::StartsWith("read_predictions_csv: " + path + ":") &&
                                   Catch::EndsWith(": no rows (the file has a header only)"));
  const std::string cols = "stimulus,angry,disgust,fear,happy,sad,surprise,neutral\n";
  CHECK_THAT(read_error(write_file("pempty2", cols)), Catch::Contains("no rows"));
}
