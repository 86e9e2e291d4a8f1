// The bad-input catalogue: one table of (public entry point, bad input, expected error fragment).
// Every row must throw disfer::error whose message starts with the name of the public function
// called (the row's entry; the test fails when a row's function differs from it) and contains the
// fragment; rows about files must also name the path (and the line, where the file
// has lines) in the message and in error::path()/line(). The ctest "reliability: catalogue covers
// every public function" (public_functions.py --check) fails when a public function of
// include/disfer has neither a row here nor a CATALOGUE_EXEMPT("name", reason) entry, so a
// function without bad-input handling stands out in review.
#include <catch2/catch.hpp>
#include <disfer/disfer.hpp>
#ifdef DISFER_REPLAY_INFERENCE
#include <disfer/inference.hpp>
#endif
#ifdef DISFER_REPLAY_PNG
#include <disfer/png.hpp>
#endif

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

// Exempt entries name a public function with no input it could reject, and say why.
#define CATALOGUE_EXEMPT(name, why)

CATALOGUE_EXEMPT("index_of", "constexpr on an enum value; every emotion has an index")
CATALOGUE_EXEMPT("total_variation", "two fixed-size arrays of shares; every input has a distance")
CATALOGUE_EXEMPT("name", "names of enum values; an out-of-range cast prints '?'")
CATALOGUE_EXEMPT("landis_koch", "a label for any kappa; NaN gives 'undefined'")
CATALOGUE_EXEMPT("ferplus_votes_of_row", "any row is a valid question; std::nullopt when the file has none")
CATALOGUE_EXEMPT("ferplus_section_values", "formats a section compute_ferplus_section checked")
CATALOGUE_EXEMPT("ferplus_section_note", "formats a section compute_ferplus_section checked")
CATALOGUE_EXEMPT("ferplus_section_table", "formats a section compute_ferplus_section checked")
CATALOGUE_EXEMPT("write_ferplus_section_csv", "writes a section compute_ferplus_section checked to a stream")
CATALOGUE_EXEMPT("write_ferplus_items_csv", "writes a section compute_ferplus_section checked to a stream")
CATALOGUE_EXEMPT("write_ferplus_section_json", "writes a section compute_ferplus_section checked to a json_writer")
CATALOGUE_EXEMPT("default_purpose", "noexcept mapping of an enum to a stream purpose")
CATALOGUE_EXEMPT("parse_fer2013_usage", "returns std::nullopt for anything but the three names")
CATALOGUE_EXEMPT("philox4x32_10", "the cipher: every counter and key is valid")
CATALOGUE_EXEMPT("derive_seed", "every stream_key is valid")
CATALOGUE_EXEMPT("random_permutation", "every n and key are valid (n = 0 gives an empty permutation)")
CATALOGUE_EXEMPT("shuffle", "every vector and key are valid")
CATALOGUE_EXEMPT("shape_string", "prints any shape")
CATALOGUE_EXEMPT("image_sha256", "hashes any image, empty included")
CATALOGUE_EXEMPT("stimulus_key_item", "hashes any id string")
CATALOGUE_EXEMPT("stale_staging", "lists leftovers beside any path; none when the folder is missing")
CATALOGUE_EXEMPT("remove_stale_staging", "fails only when the file system refuses a removal (test_output_safety)")
CATALOGUE_EXEMPT("study_conditions_of", "names any list of distortions; label() rejects an unknown kind")
CATALOGUE_EXEMPT("input_from_manifest", "copies a manifest, which read_stimulus_manifest has checked")
CATALOGUE_EXEMPT("display_order", "any category list: FER-2013's seven are reordered, others kept")
CATALOGUE_EXEMPT("family_name", "every index has a name (given, default or 'family <f>')")
CATALOGUE_EXEMPT("combine", "noexcept on two enum values")
CATALOGUE_EXEMPT("fixed", "formats any double; NaN prints '-'")
CATALOGUE_EXEMPT("comparison_table", "formats any rows; NaN paper values print '-'")
CATALOGUE_EXEMPT("published", "NaN for a key the paper does not give (documented)")
CATALOGUE_EXEMPT("write_json_string", "escapes any text, control characters and invalid UTF-8 bytes included")
CATALOGUE_EXEMPT("protocol_distortion_key", "every seed, row, level and kind give a key")
CATALOGUE_EXEMPT("skipped_rows_per_file", "counts any list of skipped rows, empty included")

const double nan = std::numeric_limits<double>::quiet_NaN();

struct row {
  const char* entry;     // the public function or reader called
  const char* bad;       // the bad input, in words
  const char* function;  // the name the message must start with; nullptr: accepted on purpose (no
                         // error), listed so that the decision stands out in review
  const char* fragment;  // expected in the message
  std::function<void()> call;
  std::string path = {};   // files: the path the error must name
  std::uint64_t line = 0;  // files with lines: the line the error must name
};

std::string scratch_file(const std::string& name, const std::string& content) {
  const auto p = disfer_test::scratch_dir("catalogue") / name;
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

disfer::count_matrix counts(std::initializer_list<std::initializer_list<std::int64_t>> rows) {
  disfer::count_matrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.begin()->size()));
  Eigen::Index i = 0;
  for (const auto& r : rows) {
    Eigen::Index j = 0;
    for (auto v : r) m(i, j++) = v;
    ++i;
  }
  return m;
}

// A real reproduction_result (the simulation, no bootstrap), for the rows that edit one inner table.
const disfer::reproduction_result& simulated_result() {
  static const disfer::reproduction_result r = [] {
    disfer::reproduction_options o;
    o.bootstrap_replicates = 0;
    return disfer::compute_reproduction(disfer::simulated_reproduction_input(disfer::disfer_simulation_parameters(), 1),
                                        o);
  }();
  return r;
}

xt::xtensor<float, 2> float_image_with_nan() {
  xt::xtensor<float, 2> img = xt::zeros<float>({3, 4});
  img(1, 2) = std::numeric_limits<float>::quiet_NaN();
  return img;
}

disfer::vote_table votes_with_bad_label() {
  disfer::vote_table v;
  v.add(0, 0, 0);
  v.add(0, 1, 9);
  return v;
}

// A one-stimulus manifest (line 2) for the report readers' rows.
const char* const manifest_text = "id,label,condition,fer2013_row\ns1,happy,original,1\n";

disfer::stimulus_manifest small_manifest() {
  return disfer::read_stimulus_manifest(scratch_file("manifest_ok.csv", manifest_text));
}

#ifdef DISFER_REPLAY_INFERENCE
// Two Training records per class (rows 0-13), enough for small_protocol()'s split.
std::vector<disfer::fer2013_record> protocol_records() {
  std::vector<disfer::fer2013_record> r(14);
  for (std::size_t i = 0; i < r.size(); ++i) {
    r[i].row = i;
    r[i].label = disfer::emotion_from_index(i % 7);
  }
  return r;
}

disfer::disfer_protocol_options small_protocol() {
  disfer::disfer_protocol_options o;
  o.train_per_class = 1;
  o.validation_per_class = 1;
  return o;
}
#endif

disfer::confusion_counts empty_cm() {
  return disfer::confusion_counts{};
}

#ifdef DISFER_REPLAY_INFERENCE
// A two-class classifier answering (0.5, 0.5): predict()'s own checks are what the row tests.
struct constant_classifier : disfer::classifier {
  std::vector<std::string> class_names() const override { return {"a", "b"}; }
  void classify(const disfer::gray_image*, std::size_t count, double* out) const override {
    for (std::size_t i = 0; i < 2 * count; ++i) out[i] = 0.5;
  }
};

// A 2 x 2 head of zeros: the fine-tuning rows' checks come before any use of the weights.
disfer::head_weights zero_head() {
  disfer::head_weights w;
  w.kernel = Eigen::MatrixXd::Zero(2, 2);
  w.bias = Eigen::VectorXd::Zero(2);
  return w;
}
#endif

std::vector<row> catalogue() {
  using namespace disfer;
  const std::string fer_header = "emotion,pixels,Usage\n";
  std::string px;
  for (int i = 0; i < 2304; ++i) px += (i ? " " : "") + std::to_string(i % 256);
  std::vector<row> rows = {
      // ---- readers: path and line ---------------------------------------------------------
      {"csv_reader", "an unterminated quoted field", "csv_reader", "quote",
       [] {
         csv_reader c(scratch_file("quote.csv", "a,b\n1,\"2\n"));
         while (c.next()) {
         }
       },
       (disfer_test::scratch_dir("catalogue") / "quote.csv").string(), 2},
      {"read_fer2013", "an emotion 7", "read_fer2013", "emotion",
       [=] { read_fer2013(scratch_file("fer7.csv", fer_header + "7," + px + ",Training\n")); },
       (disfer_test::scratch_dir("catalogue") / "fer7.csv").string(), 2},
      {"fer2013_reader", "no pixels column", "fer2013_reader", "pixels",
       [] { fer2013_reader r(scratch_file("fer_nopix.csv", "emotion,Usage\n0,Training\n")); },
       (disfer_test::scratch_dir("catalogue") / "fer_nopix.csv").string(), 1},
      {"read_votes_csv", "a label outside the class set", "read_votes_csv", "unknown label 'bored'",
       [] { read_votes_csv(scratch_file("votes.csv", "stimulus,rater,label\na,r1,happy\na,r2,bored\n")); },
       (disfer_test::scratch_dir("catalogue") / "votes.csv").string(), 3},
      {"read_votes_csv", "a label index outside 0-6", "read_votes_csv", "outside 0-6",
       [] { read_votes_csv(scratch_file("votes7.csv", "stimulus,rater,label\na,r1,7\n")); },
       (disfer_test::scratch_dir("catalogue") / "votes7.csv").string(), 2},
      {"read_votes_csv", "an empty file (header only)", "read_votes_csv", "no votes",
       [] { read_votes_csv(scratch_file("votes0.csv", "stimulus,rater,label\n")); },
       (disfer_test::scratch_dir("catalogue") / "votes0.csv").string(), 1},
      {"read_votes_csv", "bad_row_policy::skip without a list for the report", "read_votes_csv", "needs a list",
       [] {
         votes_csv_options o;
         o.bad_rows = bad_row_policy::skip;
         read_votes_csv(scratch_file("votes_skip.csv", "stimulus,rater,label\na,r1,happy\n"), o);
       }},
      {"parse_bad_row_policy", "an unknown policy", "parse_bad_row_policy", "'drop' is not 'error' or 'skip'",
       [] { parse_bad_row_policy("drop"); }},
      {"simd_path_name", "DISFER_SIMD naming no path", "simd_path_name", "DISFER_SIMD='avx1024' is not one of",
       [] {
         struct restore {  // the variable is read at each call: set it for this one only
           ~restore() { ::unsetenv("DISFER_SIMD"); }
         } r;
         ::setenv("DISFER_SIMD", "avx1024", 1);
         (void)simd_path_name();
       }},
      {"write_skipped_rows_csv", "an existing file, overwrite not asked", "write_skipped_rows_csv", "exists",
       [] { write_skipped_rows_csv(scratch_file("skipped.csv", "keep me"), {}); }},
      {"read_predictions_csv", "a header and no rows", "read_predictions_csv", "no rows",
       [] { read_predictions_csv(scratch_file("pred0.csv", "stimulus,label\n")); },
       (disfer_test::scratch_dir("catalogue") / "pred0.csv").string(), 1},
      {"read_ferplus_csv", "an image name that is not fer%07d.png", "read_ferplus_csv", "is not fer%07d.png",
       [] {
         read_ferplus_csv(scratch_file("fp_name.csv", "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n" "PublicTest,fer12.png,1,0,0,0,9,0,0,0,0,0\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "fp_name.csv").string(), 2},
      {"read_ferplus_csv", "the same image twice", "read_ferplus_csv", "already appears on line 2",
       [] {
         read_ferplus_csv(scratch_file("fp_dup.csv", "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n" "PublicTest,fer0000001.png,1,0,0,0,9,0,0,0,0,0\n"
                                                    "PublicTest,fer0000001.png,1,0,0,0,9,0,0,0,0,0\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "fp_dup.csv").string(), 3},
      {"read_ferplus_csv", "FER-2013's header instead of FER+'s", "read_ferplus_csv", "missing column 'Image name'",
       [] { read_ferplus_csv(scratch_file("fp_header.csv", "emotion,pixels,Usage\n0,1 2,Training\n")); },
       (disfer_test::scratch_dir("catalogue") / "fp_header.csv").string(), 1},
      {"read_ferplus_csv", "a count that is not an integer", "read_ferplus_csv", "is not a non-negative integer count",
       [] {
         read_ferplus_csv(scratch_file("fp_frac.csv", "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n" "PublicTest,fer0000001.png,1,0,0,0,8.5,0,0,0,0,0\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "fp_frac.csv").string(), 2},
      {"read_jspsych_votes", "a rating whose response is null", "read_jspsych_votes",
       "column 'response': no response (null)",
       [] {
         read_jspsych_votes({scratch_file("js_null.csv", "\"disfer_task\",\"disfer_participant\",\"stimulus\","
                                                          "\"response\"\r\n\"rating\",\"p\",\"images/s.png\",\"null\"\r\n")});
       },
       (disfer_test::scratch_dir("catalogue") / "js_null.csv").string(), 2},
      {"read_jspsych_votes", "a stimulus rated twice by one participant", "read_jspsych_votes",
       "rated stimulus 's' twice (first on ",
       [] {
         read_jspsych_votes({scratch_file("js_dup.json",
                                          "[{\"disfer_task\":\"rating\",\"disfer_participant\":\"p\",\"stimulus\":\"s.png\","
                                          "\"response\":1},\n{\"disfer_task\":\"rating\",\"disfer_participant\":\"p\","
                                          "\"stimulus\":\"s.png\",\"response\":2}]")});
       },
       (disfer_test::scratch_dir("catalogue") / "js_dup.json").string(), 2},
      {"read_jspsych_votes", "invalid JSON (a trailing comma)", "read_jspsych_votes", "invalid JSON",
       [] { read_jspsych_votes({scratch_file("js_bad.json", "[\n{\"disfer_task\":\"rating\",}]")}); },
       (disfer_test::scratch_dir("catalogue") / "js_bad.json").string(), 2},
      {"read_jspsych_votes", "an export without disfer's columns", "read_jspsych_votes",
       "missing column 'disfer_task'",
       [] { read_jspsych_votes({scratch_file("js_cols.csv", "rt,stimulus,response\n812,a.png,1\n")}); },
       (disfer_test::scratch_dir("catalogue") / "js_cols.csv").string(), 1},
      {"read_jspsych_votes", "a button naming no category", "read_jspsych_votes", "names no category",
       [] {
         jspsych_options o;
         o.buttons = {"happy", "bored"};
         read_jspsych_votes({scratch_file("js_ok.csv", "disfer_task,disfer_participant,stimulus,response\nrating,p,s,1\n")},
                            o);
       }},
      {"read_fer2013_labels", "a missing file", "read_fer2013_labels", "cannot open",
       [] { read_fer2013_labels("/nonexistent/fer2013.csv"); }},
      {"compute_ferplus_section", "network labels of another length", "compute_ferplus_section", "has 1 labels for 13 items",
       [] {
         const auto v = read_ferplus_csv(disfer_test::data_path("ferplus/fer2013new-synthetic.csv"));
         compute_ferplus_section(v, read_fer2013_labels(disfer_test::data_path("fer2013-small.csv")), std::vector<std::int64_t>{3});
       }},
      {"ferplus_section_rows", "fer2013.csv and FER+ disagree on an image's Usage", "ferplus_section_rows",
       "is Training in fer2013.csv but PublicTest",
       [] {
         const auto v = read_ferplus_csv(disfer_test::data_path("ferplus/fer2013new-synthetic.csv"));
         auto l = read_fer2013_labels(disfer_test::data_path("fer2013-small.csv"));
         l.usage[0] = fer2013_usage::training;
         ferplus_section_rows(v, l);
       }},
      {"read_count_table_csv", "a negative count", "read_count_table_csv", "negative count",
       [] { read_count_table_csv(scratch_file("counts.csv", "a,b\n1,2\n3,-4\n")); },
       (disfer_test::scratch_dir("catalogue") / "counts.csv").string(), 3},
      {"read_count_table_csv", "a count above 2^63", "read_count_table_csv", "count 99999999999999999999 is too large",
       [] { read_count_table_csv(scratch_file("counts_big.csv", "a,b\n99999999999999999999,1\n")); },
       (disfer_test::scratch_dir("catalogue") / "counts_big.csv").string(), 2},
      {"read_pgm", "a PPM (P6) file", "read_pgm", "magic number",
       [] { read_pgm<std::uint8_t>(scratch_file("x.pgm", "P6\n1 1\n255\n\x01\x02\x03")); },
       (disfer_test::scratch_dir("catalogue") / "x.pgm").string(), 1},
      {"read_pgm", "a header claiming 2^40 pixels with no data", "read_pgm", "truncated: 0 of 1099511627776",
       [] { read_pgm<std::uint8_t>(scratch_file("huge.pgm", "P5 1048576 1048576 255\n")); },
       (disfer_test::scratch_dir("catalogue") / "huge.pgm").string(), 0},
      {"sample_sources", "a missing fer2013.csv", "sample_sources", "cannot open",
       [] { sample_sources("/nonexistent/fer2013.csv"); }, "/nonexistent/fer2013.csv", 0},
      // ---- writers --------------------------------------------------------------------------
      {"write_pgm", "an empty image", "write_pgm", "empty image",
       [] {
         write_pgm(scratch_file("w.pgm", ""), xt::xtensor<std::uint8_t, 2>::from_shape({0, 0}));
       }},
      // ---- images: NaN/Inf pixels, empty images -----------------------------------------------
      {"gaussian_blur", "a float image with NaN at (1, 2)", "gaussian_blur", "pixel (row 1, column 2) is nan",
       [] { gaussian_blur(float_image_with_nan(), 1.0); }},
      {"gaussian_noise", "a float image with NaN at (1, 2)", "gaussian_noise", "pixel (row 1, column 2) is nan",
       [] {
         gaussian_noise(float_image_with_nan(), 0.1, stream_key{1, 0, purpose::gaussian_noise});
       }},
      {"salt_and_pepper", "a float image with +Inf", "salt_and_pepper", "pixel (row 0, column 0) is inf",
       [] {
         xt::xtensor<double, 2> img = xt::zeros<double>({2, 2});
         img(0, 0) = std::numeric_limits<double>::infinity();
         salt_and_pepper(img, 0.1, stream_key{1, 0, purpose::salt_and_pepper});
       }},
      {"gaussian_blur", "an empty image", "gaussian_blur", "empty",
       [] {
         gaussian_blur(xt::xtensor<std::uint8_t, 2>::from_shape({0, 5}), 1.0);
       }},
      {"gaussian_blur_taps", "sigma NaN", "gaussian_blur_taps", "nan", [] { gaussian_blur_taps<std::uint8_t>(nan); }},
      {"gaussian_kernel", "an even number of taps", "gaussian_kernel", "odd", [] { gaussian_kernel(1.0, 4); }},
      {"gaussian_kernel_fixed_point", "an even number of taps", "gaussian_kernel_fixed_point", "odd",
       [] { gaussian_kernel_fixed_point(1.0, 4); }},
      {"make_rounded_normal_table", "stddev -1", "make_rounded_normal_table", "positive",
       [] { make_rounded_normal_table(-1.0, 10); }},
      {"apply", "a blur of sigma -1", "apply", "sigma must be a positive finite number of pixels, got -1",
       [] {
         apply(distortion{distortion_kind::gaussian_blur, -1.0},
               xt::xtensor<std::uint8_t, 2>(xt::zeros<std::uint8_t>({4, 4})), stream_key{1, 0, 0});
       }},
      {"apply_batch", "an empty image in the batch", "apply_batch", "empty",
       [] {
         apply_batch(std::vector<distortion>{{distortion_kind::gaussian_noise, 5.0}},
                     std::vector<xt::xtensor<std::uint8_t, 2>>{xt::xtensor<std::uint8_t, 2>::from_shape({0, 0})},
                     std::vector<std::uint64_t>{0}, 1);
       }},
      {"parse_distortion_kind", "an unknown kind", "parse_distortion_kind", "motion_blur",
       [] { parse_distortion_kind("motion_blur"); }},
      {"label", "an unknown distortion kind", "label", "unknown distortion_kind 42",
       [] {
         (void)label(distortion{static_cast<distortion_kind>(42), 1.0});
       }},
      {"condition_code", "an unknown distortion kind", "condition_code", "unknown distortion_kind 42",
       [] {
         (void)condition_code(distortion{static_cast<distortion_kind>(42), 1.0});
       }},
      {"stimulus_id", "an unknown distortion kind", "stimulus_id", "unknown distortion_kind 42",
       [] {
         (void)stimulus_id(1, distortion{static_cast<distortion_kind>(42), 1.0});
       }},
      // ---- core --------------------------------------------------------------------------------
      {"parse_emotion", "an unknown emotion", "parse_emotion", "bored", [] { parse_emotion("bored"); }},
      {"emotion_from_index", "index 7", "emotion_from_index", "7", [] { emotion_from_index(7); }},
      // ---- crowd: labels outside the class set, empty inputs, too large ---------------------
      {"vote_counts", "a label outside 0..k-1", "vote_counts", "label 9",
       [] { vote_counts(votes_with_bad_label(), 7); }},
      {"vote_counts", "a table too large for memory", "vote_counts", "needs",
       [] {
         vote_table v;
         v.n_items = std::size_t{1} << 61;
         vote_counts(v, 7);
       }},
      {"majority_vote", "a negative count", "majority_vote", "negative",
       [] {
         majority_vote(counts({{1, -1}, {2, 0}}), tie_policy::abstain);
       }},
      {"soft_labels", "a negative count", "soft_labels", "negative",
       [] {
         soft_labels(counts({{1, -1}, {2, 0}}));
       }},
      {"dawid_skene", "a label outside 0..k-1", "dawid_skene", "label",
       [] {
         dawid_skene_options o;
         o.k = 7;
         dawid_skene(votes_with_bad_label(), o);
       }},
      {"rater_statistics", "a label outside 0..k-1", "rater_statistics", "label",
       [] { rater_statistics(votes_with_bad_label(), 7); }},
      {"screen_raters", "a label outside 0..k-1", "screen_raters", "label 9",
       [] { screen_raters(votes_with_bad_label(), 7, rater_screening_options{}); }},
      {"summarize_participants", "an empty list", "summarize_participants", "empty",
       [] { summarize_participants({}); }},
      {"summarize_participants", "only NaN values", "summarize_participants", "all 2 values are NaN",
       [] { summarize_participants({nan, nan}); }},
      // ---- agreement -----------------------------------------------------------------------------
      {"fleiss_kappa", "an empty count table", "fleiss_kappa", "", [] { fleiss_kappa(count_matrix(0, 3)); }},
      {"fleiss_kappa", "a negative count", "fleiss_kappa", "negative",
       [] {
         fleiss_kappa(counts({{1, -1}, {2, 0}}));
       }},
      {"randolph_kappa", "one category", "randolph_kappa", "",
       [] {
         randolph_kappa(counts({{2}, {2}}));
       }},
      {"category_kappas", "a negative count", "category_kappas", "negative",
       [] {
         category_kappas(counts({{1, -1}, {2, 0}}));
       }},
      {"item_agreement", "a negative count", "item_agreement", "negative",
       [] {
         item_agreement(counts({{1, -1}, {2, 0}}));
       }},
      {"summarize_item_agreement", "an empty vector", "summarize_item_agreement", "empty",
       [] { summarize_item_agreement(Eigen::VectorXd()); }},
      {"summarize_item_agreement", "no defined P_i (every item with fewer than 2 ratings)", "summarize_item_agreement",
       "none of the 2 items", [] { summarize_item_agreement(Eigen::VectorXd::Constant(2, nan)); }},
      {"gwet_ac1", "a negative count", "gwet_ac1", "negative",
       [] {
         gwet_ac1(counts({{1, -1}, {2, 0}}));
       }},
      {"krippendorff_alpha", "a negative count", "krippendorff_alpha", "negative",
       [] {
         krippendorff_alpha(counts({{1, -1}, {2, 0}}));
       }},
      {"cohen_kappa", "a non-square table", "cohen_kappa", "",
       [] {
         cohen_kappa(counts({{1, 2, 3}, {4, 5, 6}}));
       }},
      {"cohen_table", "ratings of different lengths", "cohen_table", "rater A has 2 labels and rater B 1",
       [] {
         cohen_table({0, 1}, {0}, 2);
       }},
      {"cohen_weight_matrix", "k = 1", "cohen_weight_matrix", "",
       [] { cohen_weight_matrix(cohen_weights::linear, 1); }},
      // ---- metrics -------------------------------------------------------------------------------
      {"confusion_matrix", "a label outside the class set", "confusion_matrix", "",
       [] {
         confusion_matrix(std::vector<int>{0, 1}, std::vector<int>{0, 7}, 3);
       }},
      // scikit-learn agrees: confusion_matrix([], [], labels=[0, 1, 2]) is a 3 x 3 zero matrix.
      {"confusion_matrix", "empty inputs: ACCEPTED, no error (a zero matrix, as scikit-learn; accuracy() refuses it)",
       nullptr, "",
       [] { confusion_matrix(std::vector<int>{}, std::vector<int>{}, 3); }},
      {"accuracy", "an empty confusion matrix", "accuracy", "", [] { accuracy(empty_cm()); }},
      {"accuracy_interval", "level 1.5", "accuracy_interval", "1.5",
       [] {
         accuracy_interval(confusion_matrix(std::vector<int>{0, 1}, std::vector<int>{0, 1}, 2), 1.5);
       }},
      {"balanced_accuracy", "an empty confusion matrix", "balanced_accuracy", "",
       [] { balanced_accuracy(empty_cm()); }},
      {"normalize", "an empty confusion matrix", "normalize", "empty",
       [] { normalize(empty_cm(), normalization::row); }},
      {"wilson_interval", "successes > trials", "wilson_interval", "", [] { wilson_interval(5, 3); }},
      {"precision_recall", "an empty confusion matrix", "precision_recall", "", [] { precision_recall(empty_cm()); }},
      {"classification_report", "digits = 16", "classification_report", "digits = 16",
       [] {
         classification_report(precision_recall(confusion_matrix(std::vector<int>{0, 1}, std::vector<int>{0, 1}, 2)),
                               {}, 16);
       }},
      // ---- hypothesis ----------------------------------------------------------------------------
      {"mcnemar", "a negative count", "mcnemar", "", [] { mcnemar(-1, 3); }},
      {"discordant_odds_ratio", "a negative count", "discordant_odds_ratio", "", [] { discordant_odds_ratio(-1, 3); }},
      {"paired_outcomes", "predictions of different lengths", "paired_outcomes", "same length",
       [] {
         paired_outcomes(std::vector<int>{0, 1}, std::vector<int>{0}, std::vector<int>{0, 1});
       }},
      {"cochran_q", "a value other than 0/1", "cochran_q", "",
       [] {
         cochran_q(counts({{0, 2}, {1, 1}}));
       }},
      {"adjust_p_values", "a p-value 1.5", "adjust_p_values", "",
       [] {
         adjust_p_values({0.1, 1.5}, p_adjustment::holm);
       }},
      {"adjust_log10_p_values", "a log10 p-value 1", "adjust_log10_p_values", "",
       [] {
         adjust_log10_p_values({-1.0, 1.0}, p_adjustment::holm);
       }},
      // ---- compare -------------------------------------------------------------------------------
      {"off_diagonal_correlation", "matrices of different sizes", "off_diagonal_correlation", "",
       [] {
         off_diagonal_correlation(confusion_matrix(std::vector<int>{0, 1}, std::vector<int>{0, 1}, 2),
                                  confusion_matrix(std::vector<int>{0, 1}, std::vector<int>{0, 1}, 3),
                                  normalization::row);
       }},
      {"analyze_per_condition", "no prediction set", "analyze_per_condition", "",
       [] { analyze_per_condition(per_condition_input{}); }},
      // ---- design ----------------------------------------------------------------------------------
      {"make_stimuli", "no conditions", "make_stimuli", "", [] { make_stimuli(source_sample{}, {}, 1); }},
      {"make_playlists", "zero playlists", "make_playlists", "", [] { make_playlists({}, 0, 10, 1); }},
      {"read_presentation_orders", "a position given twice", "read_presentation_orders", "is given twice",
       [] {
         read_presentation_orders(
             scratch_file("orders_twice.csv", "participant,playlist,position,id\n0,0,0,a\n0,0,0,b\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "orders_twice.csv").string(), 3},
      {"plan_experiment", "an order naming a stimulus not in the manifest", "plan_experiment",
       "which is not a stimulus",
       [] {
         participant_order o;
         o.ids = {"s1", "s9"};
         plan_experiment({o}, {"s1", "s2"});
       }},
      {"write_experiment_study_js", "save mode post without a URL", "write_experiment_study_js", "needs a URL",
       [] {
         participant_order o;
         o.ids = {"s1"};
         auto study = plan_experiment({o}, {"s1", "s2"});
         study.save_mode = "post";
         std::ostringstream out;
         write_experiment_study_js(out, study);
       }},
      {"check_playlists",
       "a playlist naming stimulus 5 of 0: ACCEPTED, no error: reported as a violation (ok == false), as every rule",
       nullptr, "",
       [] {
         playlist_set s;
         s.playlists = {{5}};
         if (check_playlists({}, s).ok) throw std::logic_error("check_playlists did not report stimulus 5 of 0");
       }},
      {"presentation_order", "playlist 3 of 0", "presentation_order", "",
       [] { presentation_order(playlist_set{}, 3, 0, 1); }},
      {"write_playlists_csv", "a playlist naming stimulus 5 of 0", "write_playlists_csv", "",
       [] {
         playlist_set s;
         s.playlists = {{5}};
         std::ostringstream out;
         write_playlists_csv(out, {}, s);
       }},
      {"write_presentation_orders", "a playlist naming stimulus 5 of 0", "write_presentation_orders", "",
       [] {
         playlist_set s;
         s.playlists = {{5}};
         std::ostringstream out;
         write_presentation_orders(out, {}, s, 1, 1);
       }},
      {"write_manifest", "no stimuli", "write_manifest", "no stimuli",
       [] {
         std::ostringstream out;
         write_manifest(out, {}, source_sample{}, {}, 1);
       }},
      {"write_stimuli", "no stimuli", "write_stimuli", "no stimuli",
       [] {
         write_stimuli((disfer_test::scratch_dir("catalogue") / "stimuli_none").string(), {}, source_sample{}, {}, 1);
       }},
      // ---- simulate --------------------------------------------------------------------------------
      {"simulate_study", "no conditions", "simulate_study", "", [] { simulate_study(simulation_parameters{}, 1); }},
      {"ferplus_histogram", "sources_per_class 25 (not a multiple of 10)", "ferplus_histogram", "multiple of 10",
       [] { ferplus_histogram(disfer_simulation_parameters(), 1, 25); }},
      {"summarize_study", "an empty study", "summarize_study", "k = 0",
       [] { summarize_study(simulated_study{}); }},
      {"summarize_study", "a prediction label outside 0..k-1 in a hand-built study", "summarize_study",
       "predicts label 9",
       [] {
         simulated_study st;
         st.k = 2;
         st.conditions.resize(1);
         st.stimuli.resize(1);
         st.votes.n_items = 1;
         st.predictions = {{9}};
         summarize_study(st);
       }},
      {"summarize_study", "a stimulus naming condition 3 of 1", "summarize_study", "condition 3",
       [] {
         simulated_study st;
         st.k = 2;
         st.conditions.resize(1);
         st.stimuli.resize(1);
         st.stimuli[0].condition = 3;
         st.votes.n_items = 1;
         summarize_study(st);
       }},
      {"write_simulated_votes_csv", "an empty study", "write_simulated_votes_csv", "no votes",
       [] {
         write_simulated_votes_csv(simulated_study{}, (disfer_test::scratch_dir("catalogue") / "sv.csv").string());
       }},
      {"write_simulated_predictions_csv", "1 prediction for 0 stimuli", "write_simulated_predictions_csv",
       "1 predictions for 0 stimuli",
       [] {
         simulated_study st;
         st.predictions = {{0}};
         write_simulated_predictions_csv(st, 0, (disfer_test::scratch_dir("catalogue") / "sp1.csv").string());
       }},
      {"write_simulated_predictions_csv", "model 3 of none", "write_simulated_predictions_csv", "",
       [] {
         write_simulated_predictions_csv(simulated_study{}, 3,
                                         (disfer_test::scratch_dir("catalogue") / "sp.csv").string());
       }},
      {"write_simulated_stimuli_csv", "an empty study", "write_simulated_stimuli_csv", "no stimuli",
       [] {
         write_simulated_stimuli_csv(simulated_study{}, (disfer_test::scratch_dir("catalogue") / "ss.csv").string());
       }},
      // ---- report ----------------------------------------------------------------------------------
      {"read_stimulus_manifest", "a condition outside DisFER's", "read_stimulus_manifest", "'GB 2'",
       [] { read_stimulus_manifest(scratch_file("man_cond.csv", "id,label,condition,fer2013_row\ns1,0,GB 2,1\n")); },
       (disfer_test::scratch_dir("catalogue") / "man_cond.csv").string(), 2},
      {"read_stimulus_manifest", "an id listed twice", "read_stimulus_manifest", "listed twice",
       [] {
         read_stimulus_manifest(scratch_file("man_dup.csv", std::string(manifest_text) + "s1,happy,GN 10,1\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "man_dup.csv").string(), 3},
      {"read_stimulus_manifest", "a source given two labels", "read_stimulus_manifest", "has label",
       [] { read_stimulus_manifest(scratch_file("man_src.csv", std::string(manifest_text) + "s2,sad,GN 10,1\n")); },
       (disfer_test::scratch_dir("catalogue") / "man_src.csv").string(), 3},
      {"read_stimulus_manifest", "no label column", "read_stimulus_manifest", "label",
       [] { read_stimulus_manifest(scratch_file("man_nolabel.csv", "id,condition,fer2013_row\ns1,original,1\n")); },
       (disfer_test::scratch_dir("catalogue") / "man_nolabel.csv").string(), 1},
      {"read_stimulus_manifest", "a header without stimuli", "read_stimulus_manifest", "no stimulus",
       [] { read_stimulus_manifest(scratch_file("man_empty.csv", "id,label,condition,fer2013_row\n")); },
       (disfer_test::scratch_dir("catalogue") / "man_empty.csv").string(), 1},
      {"read_stimulus_manifest", "a missing file", "read_stimulus_manifest", "cannot open",
       [] { read_stimulus_manifest("/nonexistent/manifest.csv"); }, "/nonexistent/manifest.csv", 0},
      {"attach_jspsych_votes", "a rating of a stimulus the manifest lacks", "attach_jspsych_votes",
       "'s9' is not in the manifest",
       [] {
         auto m = small_manifest();
         auto in = input_from_manifest(m);
         jspsych_votes v;
         v.votes.category_names = m.category_names;
         v.votes.item_names = {"s9"};
         v.votes.rater_names = {"p1"};
         v.votes.add(0, 0, 3);
         v.file = {"p1.csv"};
         v.line = {7};
         v.position = {0};
         v.rt = {812};
         attach_jspsych_votes(in, m, v);
       },
       "p1.csv", 7},
      {"write_jspsych_votes_csv", "per-vote columns of different lengths", "write_jspsych_votes_csv",
       "differ in length",
       [] {
         jspsych_votes v;
         v.votes.add(0, 0, 0);
         std::ostringstream out;
         write_jspsych_votes_csv(out, v);
       }},
      {"write_jspsych_checks_csv", "a check asking for a button the list lacks", "write_jspsych_checks_csv",
       "asks for button 7 of 7",
       [] {
         jspsych_votes v;
         v.checks.push_back({});
         v.checks.back().expected = 7;
         std::ostringstream out;
         write_jspsych_checks_csv(out, v, {"angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"});
       }},
      {"write_jspsych_participants_csv", "participants as read: ACCEPTED, no error (it writes what it is given)",
       nullptr, "",
       [] {
         jspsych_votes v;
         v.participants.push_back({});
         std::ostringstream out;
         write_jspsych_participants_csv(out, v);
       }},
      {"attach_votes", "a vote on a stimulus the manifest lacks", "attach_votes", "'s9' is not in the manifest",
       [] {
         auto m = small_manifest();
         auto in = input_from_manifest(m);
         attach_votes(in, m, scratch_file("av_extra.csv", "stimulus,rater,label\ns1,r1,happy\ns9,r1,sad\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "av_extra.csv").string(), 3},
      {"attach_votes", "a stimulus without votes (the error names the manifest line)", "attach_votes", "has no vote",
       [] {
         const auto m = read_stimulus_manifest(
             scratch_file("manifest_two.csv", std::string(manifest_text) + "s2,happy,GN 10,1\n"));
         auto in = input_from_manifest(m);
         attach_votes(in, m, scratch_file("av_none.csv", "stimulus,rater,label\ns1,r1,happy\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "manifest_two.csv").string(), 3},
      {"attach_votes", "a label outside the class set (long form)", "attach_votes", "unknown label 'bored'",
       [] {
         auto m = small_manifest();
         auto in = input_from_manifest(m);
         attach_votes(in, m, scratch_file("av_label.csv", "stimulus,rater,label\ns1,r1,bored\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "av_label.csv").string(), 2},
      {"attach_votes", "a negative count (count table)", "attach_votes", "negative count -1",
       [] {
         auto m = small_manifest();
         auto in = input_from_manifest(m);
         attach_votes(in, m,
                      scratch_file("av_counts.csv",
                                   "stimulus,angry,disgust,fear,happy,sad,surprise,neutral\ns1,1,-1,0,0,0,0,0\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "av_counts.csv").string(), 2},
      {"attach_votes", "a count table with a stimulus the manifest lacks (checked before expansion)", "attach_votes",
       "'s9' is not in the manifest",
       [] {
         auto m = small_manifest();
         auto in = input_from_manifest(m);
         attach_votes(in, m,
                      scratch_file("av_counts_extra.csv", "stimulus,angry,disgust,fear,happy,sad,surprise,neutral\n"
                                                          "s1,1,0,0,0,0,0,0\ns9,0,0,0,2000000,0,0,0\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "av_counts_extra.csv").string(), 3},
      {"attach_votes", "a count table listing a stimulus twice", "attach_votes", "'s1' is listed twice (first on line 2)",
       [] {
         auto m = small_manifest();
         auto in = input_from_manifest(m);
         attach_votes(in, m,
                      scratch_file("av_counts_twice.csv", "stimulus,angry,disgust,fear,happy,sad,surprise,neutral\n"
                                                          "s1,1,0,0,0,0,0,0\ns1,0,2,0,0,0,0,0\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "av_counts_twice.csv").string(), 3},
      {"attach_votes", "a count table with more votes than max_count_table_votes (before expansion; a fuzz timeout)",
       "attach_votes", "'s1' has 6999999999999999993 votes, more than max_count_table_votes = 1000000",
       [] {
         auto m = small_manifest();
         auto in = input_from_manifest(m);
         // The largest counts the reader takes, in every column: the total is checked column by column.
         attach_votes(in, m,
                      scratch_file("av_counts_huge.csv", "stimulus,angry,disgust,fear,happy,sad,surprise,neutral\n"
                                                         "s1,999999999999999999,999999999999999999,999999999999999999,"
                                                         "999999999999999999,999999999999999999,999999999999999999,"
                                                         "999999999999999999\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "av_counts_huge.csv").string(), 2},
      {"attach_predictions", "a prediction for a stimulus the manifest lacks", "attach_predictions",
       "'s9', which is not in the manifest",
       [] {
         auto m = small_manifest();
         auto in = input_from_manifest(m);
         attach_predictions(in, m, "model", scratch_file("ap_extra.csv", "stimulus,label\ns1,3\ns9,3\n"),
                            {"s1", "s9"}, {3, 3});
       },
       (disfer_test::scratch_dir("catalogue") / "ap_extra.csv").string(), 3},
      {"attach_predictions", "a label 7 of 7 classes", "attach_predictions", "no valid label",
       [] {
         auto m = small_manifest();
         auto in = input_from_manifest(m);
         attach_predictions(in, m, "model", scratch_file("ap_label.csv", "stimulus,label\ns1,7\n"), {"s1"}, {7});
       },
       (disfer_test::scratch_dir("catalogue") / "ap_label.csv").string(), 2},
      {"attach_predictions", "a stimulus without prediction (the error names the manifest line)",
       "attach_predictions", "has no prediction",
       [] {
         auto m = small_manifest();
         auto in = input_from_manifest(m);
         attach_predictions(in, m, "model", scratch_file("ap_none.csv", "stimulus,label\n"), {}, {});
       },
       (disfer_test::scratch_dir("catalogue") / "manifest_ok.csv").string(), 2},
      {"attach_predictions", "2 ids but 1 label", "attach_predictions", "2 ids but 1 labels",
       [] {
         auto m = small_manifest();
         auto in = input_from_manifest(m);
         attach_predictions(in, m, "model", "p.csv", {"s1", "s1"}, {3});
       }},
      {"absent_votes", "a stimulus whose label is out of range", "absent_votes", "has label 99",
       [] {
         auto in = input_from_manifest(small_manifest());
         in.stimuli[0].label = 99;
         absent_votes(in);
       }},
      {"attach_ferplus_votes", "FER-2013 rows not one per stimulus", "attach_ferplus_votes", "0 FER-2013 rows for",
       [] {
         auto in = input_from_manifest(small_manifest());
         ferplus_votes v;
         v.category_names = in.category_names;
         attach_ferplus_votes(in, {}, v);
       }},
      {"fill_votes", "a stimulus whose condition is out of range", "fill_votes", "has condition 99",
       [] {
         auto in = input_from_manifest(small_manifest());
         in.stimuli[0].condition = 99;
         fill_votes(in, vote_table{}, data_origin::simulated);
       }},
      {"fill_votes", "a table that leaves a stimulus without votes", "fill_votes", "has no vote in either table",
       [] {
         auto in = input_from_manifest(small_manifest());
         fill_votes(in, vote_table{}, data_origin::simulated);
       }},
      {"simulate_missing", "a one-stimulus manifest (not every source under every condition)", "simulate_missing",
       "the same number for every emotion",
       [] {
         auto in = input_from_manifest(small_manifest());
         simulate_missing(in, disfer_simulation_parameters(), 1, true, true);
       }},
      {"simulate_missing", "simulation parameters simulate_study refuses (a lapse mean of 2)", "simulate_missing",
       "humans.lapse_mean = 2 must lie in (0, 1)",
       [] {
         auto in = simulated_reproduction_input(disfer_simulation_parameters(), 1);
         simulation_parameters p = disfer_simulation_parameters();
         p.humans.lapse_mean = 2;
         simulate_missing(in, p, 1, true, true);
       }},
      {"simulated_reproduction_input", "k = 7 categories but no conditions", "simulated_reproduction_input",
       "the design has no condition",
       [] {
         simulation_parameters p = disfer_simulation_parameters();
         p.design.conditions.clear();
         simulated_reproduction_input(p, 1);
       }},
      {"simulated_reproduction_input", "a model's bias that does not sum to 1", "simulated_reproduction_input",
       "model bias sums to",
       [] {
         simulation_parameters p = disfer_simulation_parameters();
         p.models.front().bias.front() += 0.5;
         simulated_reproduction_input(p, 1);
       }},
      {"compute_reproduction", "no stimuli", "compute_reproduction", "no stimuli",
       [] {
         reproduction_input in;
         in.category_names = {"a", "b"};
         compute_reproduction(in);
       }},
      {"reproduction_figures", "a result not computed by compute_reproduction", "reproduction_figures", "incomplete",
       [] { reproduction_figures(reproduction_result{}); }},
      {"reproduction_figure2", "a result not computed by compute_reproduction", "reproduction_figure2", "incomplete",
       [] { reproduction_figure2(reproduction_result{}); }},
      {"reproduction_figure3", "a result not computed by compute_reproduction", "reproduction_figure3", "incomplete",
       [] { reproduction_figure3(reproduction_result{}); }},
      {"reproduction_figure4", "a result not computed by compute_reproduction", "reproduction_figure4", "incomplete",
       [] { reproduction_figure4(reproduction_result{}); }},
      {"reproduction_figure5", "a result not computed by compute_reproduction", "reproduction_figure5", "incomplete",
       [] { reproduction_figure5(reproduction_result{}); }},
      {"reproduction_tables", "a result not computed by compute_reproduction", "reproduction_tables", "incomplete",
       [] { reproduction_tables(reproduction_result{}); }},
      {"write_reproduction_json", "a result not computed by compute_reproduction", "write_reproduction_json",
       "incomplete",
       [] {
         std::ostringstream out;
         write_reproduction_json(out, reproduction_result{}, reproduction_provenance{});
       }},
      {"write_report_html", "a result not computed by compute_reproduction", "write_report_html", "incomplete",
       [] {
         std::ostringstream out;
         write_report_html(out, reproduction_result{}, reproduction_provenance{}, {}, {}, {});
       }},
      {"write_reproduction", "a result not computed by compute_reproduction", "write_reproduction", "incomplete",
       [] {
         write_reproduction((disfer_test::scratch_dir("catalogue") / "repro_none").string(), reproduction_result{},
                            reproduction_provenance{});
       }},
      {"to_text", "a row with more cells than the header", "to_text", "row 0 has 2 cells",
       [] {
         text_table t;
         t.header = {"a"};
         t.rows = {{"1", "2"}};
         to_text(t);
       }},
      {"json_writer", "a second top-level value", "json_writer", "second top-level",
       [] {
         std::ostringstream out;
         json_writer j(out);
         j.value(1);
         j.value(2);
       }},
      {"json_writer", "a key outside an object", "json_writer", "outside an object",
       [] {
         std::ostringstream out;
         json_writer j(out);
         j.begin_array().key("k");
       }},
      {"to_svg", "a figure without panels", "to_svg", "no panel", [] { to_svg(figure{}); }},
      {"to_svg", "a heatmap with NaN bounds", "to_svg", "finite v_min < v_max",
       [] {
         figure f;
         heatmap_panel h;
         h.values = Eigen::MatrixXd::Zero(1, 1);
         h.row_labels = {"a"};
         h.column_labels = {"a"};
         h.v_min = nan;
         f.heatmaps.push_back(h);
         to_svg(f);
       }},
      {"write_svg", "an existing file, overwrite not asked", "write_svg", "exists",
       [] {
         figure f;
         line_panel p;
         p.x_ticks = {"x"};
         f.lines.push_back(p);
         write_svg(scratch_file("fig_exists.svg", "keep me"), f);
       }},
      {"write_overall_accuracy_csv", "a result not computed by compute_reproduction", "write_overall_accuracy_csv", "incomplete",
       [] {
         std::ostringstream out;
         write_overall_accuracy_csv(out, reproduction_result{});
       }},
      {"write_accuracy_by_condition_csv", "a result not computed by compute_reproduction", "write_accuracy_by_condition_csv", "incomplete",
       [] {
         std::ostringstream out;
         write_accuracy_by_condition_csv(out, reproduction_result{});
       }},
      {"write_mcnemar_csv", "a result not computed by compute_reproduction", "write_mcnemar_csv", "incomplete",
       [] {
         std::ostringstream out;
         write_mcnemar_csv(out, reproduction_result{});
       }},
      {"write_fleiss_kappa_csv", "a result not computed by compute_reproduction", "write_fleiss_kappa_csv", "incomplete",
       [] {
         std::ostringstream out;
         write_fleiss_kappa_csv(out, reproduction_result{});
       }},
      {"write_item_agreement_csv", "a result not computed by compute_reproduction", "write_item_agreement_csv", "incomplete",
       [] {
         std::ostringstream out;
         write_item_agreement_csv(out, reproduction_result{});
       }},
      {"write_item_agreement_per_stimulus_csv", "a result not computed by compute_reproduction", "write_item_agreement_per_stimulus_csv", "incomplete",
       [] {
         std::ostringstream out;
         write_item_agreement_per_stimulus_csv(out, reproduction_result{});
       }},
      {"write_table1_csv", "a result not computed by compute_reproduction", "write_table1_csv", "incomplete",
       [] {
         std::ostringstream out;
         write_table1_csv(out, reproduction_result{});
       }},
      {"write_participant_accuracy_csv", "a result not computed by compute_reproduction", "write_participant_accuracy_csv", "incomplete",
       [] {
         std::ostringstream out;
         write_participant_accuracy_csv(out, reproduction_result{});
       }},
      {"write_participant_summary_csv", "a result not computed by compute_reproduction", "write_participant_summary_csv", "incomplete",
       [] {
         std::ostringstream out;
         write_participant_summary_csv(out, reproduction_result{});
       }},
      {"write_precision_recall_csv", "a result not computed by compute_reproduction", "write_precision_recall_csv", "incomplete",
       [] {
         std::ostringstream out;
         write_precision_recall_csv(out, reproduction_result{});
       }},
      {"write_error_correlation_csv", "a result not computed by compute_reproduction", "write_error_correlation_csv", "incomplete",
       [] {
         std::ostringstream out;
         write_error_correlation_csv(out, reproduction_result{});
       }},
      {"write_confusion_matrices_csv", "a result not computed by compute_reproduction", "write_confusion_matrices_csv", "incomplete",
       [] {
         std::ostringstream out;
         write_confusion_matrices_csv(out, reproduction_result{});
       }},
      {"write_reproduction", "a confusion matrix that is not k x k", "write_reproduction",
       "subset 'GB 0.8', predictor 'humans': the confusion matrix is 6 x 7; k = 7",
       [] {
         auto r = simulated_result();
         for (auto& s : r.per_condition.subsets)
           if (s.name == "GB 0.8") s.predictors[0].confusion.conservativeResize(6, 7);
         write_reproduction((disfer_test::scratch_dir("catalogue") / "repro_confusion").string(), r,
                            reproduction_provenance{});
       }},
      {"write_precision_recall_csv", "per-class metrics of the wrong length", "write_precision_recall_csv",
       "subset 'overall', predictor 'humans': the metrics have 6 classes; k = 7",
       [] {
         auto r = simulated_result();
         r.per_condition.subsets.front().predictors[0].metrics.per_class.pop_back();
         std::ostringstream out;
         write_precision_recall_csv(out, r);
       }},
      {"write_reproduction_json", "a McNemar pair naming a predictor the result does not have",
       "write_reproduction_json", "subset 'overall', McNemar pair 0 is 'humans' vs 'nobody'",
       [] {
         auto r = simulated_result();
         r.per_condition.subsets.front().pairs[0].b = "nobody";
         std::ostringstream out;
         write_reproduction_json(out, r, reproduction_provenance{});
       }},
      {"write_error_correlation_csv", "a correlation naming a predictor the result does not have",
       "write_error_correlation_csv", "names predictor 'nobody', which the result does not have",
       [] {
         auto r = simulated_result();
         r.per_condition.subsets.front().correlations.at(0).predictor = "nobody";
         std::ostringstream out;
         write_error_correlation_csv(out, r);
       }},
      {"write_table1_csv", "an always-misclassified source past source_names", "write_table1_csv",
       "is source 84; there are 84 source_names",
       [] {
         auto r = simulated_result();
         r.summary.always_misclassified.push_back(84);
         std::ostringstream out;
         write_table1_csv(out, r);
       }},
      {"reproduction_tables", "a Table 1 row with label k", "reproduction_tables", "has label 7; k = 7",
       [] {
         auto r = simulated_result();
         r.table1.at(0).label = 7;
         reproduction_tables(r);
       }},
      {"write_item_agreement_per_stimulus_csv", "fewer dataset labels than stimulus ids",
       "write_item_agreement_per_stimulus_csv", "stimulus_label has 839 entries for 840 stimulus_ids",
       [] {
         auto r = simulated_result();
         r.stimulus_label.pop_back();
         std::ostringstream out;
         write_item_agreement_per_stimulus_csv(out, r);
       }},
      {"write_item_agreement_per_stimulus_csv", "a majority-vote label >= k in the summary",
       "write_item_agreement_per_stimulus_csv", "summary, predictor 'humans': stimulus",
       [] {
         auto r = simulated_result();
         r.summary.predictors[0].labels[5] = 9;
         std::ostringstream out;
         write_item_agreement_per_stimulus_csv(out, r);
       }},
      {"write_participant_accuracy_csv", "participant rows that differ from n_raters",
       "write_participant_accuracy_csv", "participants has",
       [] {
         auto r = simulated_result();
         r.participants.pop_back();
         std::ostringstream out;
         write_participant_accuracy_csv(out, r);
       }},
      {"reproduction_figure2", "a condition whose family has no name", "reproduction_figure2",
       "(index 1) has family 4; there are 4 family_names",
       [] {
         auto r = simulated_result();
         r.conditions[1].family = 4;
         reproduction_figure2(r);
       }},
      // ---- inference -------------------------------------------------------------------------------
  };
#ifdef DISFER_REPLAY_PNG
  const std::vector<row> png_rows = {
      {"read_png", "a file that is not PNG", "read_png", "not a PNG file",
       [] { read_png<std::uint8_t>(scratch_file("x.png", "GIF89a")); },
       (disfer_test::scratch_dir("catalogue") / "x.png").string(), 0},
      {"write_png", "compression level 10", "write_png", "compression level 10",
       [] {
         std::ostringstream out;
         write_png(out, xt::xtensor<std::uint8_t, 2>(xt::zeros<std::uint8_t>({2, 2})), 10);
       }},
  };
  rows.insert(rows.end(), png_rows.begin(), png_rows.end());
#endif
#ifdef DISFER_REPLAY_INFERENCE
  const std::vector<row> inference_rows = {
      {"read_predictions_csv", "a probability row with NaN", "read_predictions_csv", "not in [0, 1]",
       [] {
         read_predictions_csv(scratch_file(
             "pred_nan.csv", "stimulus,angry,disgust,fear,happy,sad,surprise,neutral\ns,nan,0,0,1,0,0,0\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "pred_nan.csv").string(), 2},
      {"read_predictions_csv", "a negative probability", "read_predictions_csv", "not in [0, 1]",
       [] {
         read_predictions_csv(scratch_file(
             "pred_neg.csv", "stimulus,angry,disgust,fear,happy,sad,surprise,neutral\ns,-0.1,0,0,1.1,0,0,0\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "pred_neg.csv").string(), 2},
      {"read_predictions_csv", "a probability row summing to 1 + 2e-6", "read_predictions_csv",
       "differs from 1 by more than 1e-6",
       [] {
         read_predictions_csv(scratch_file("pred_sum.csv",
                                           "stimulus,angry,disgust,fear,happy,sad,surprise,neutral\n"
                                           "ok,0.5,0,0,0.5,0,0,0\nbad,0.500002,0,0,0.5,0,0,0\n"));
       },
       (disfer_test::scratch_dir("catalogue") / "pred_sum.csv").string(), 3},
      {"read_predictions_csv", "a label outside the class set", "read_predictions_csv", "unknown label",
       [] { read_predictions_csv(scratch_file("pred_label.csv", "stimulus,label\ns,9\n")); },
       (disfer_test::scratch_dir("catalogue") / "pred_label.csv").string(), 2},
      {"tfjs_graph_model::load", "a model.json that is not JSON", "tfjs_graph_model::load", "is not valid JSON",
       [] { tfjs_graph_model::load(scratch_file("model.json", "{\"modelTopology\": [1,,]}")); },
       (disfer_test::scratch_dir("catalogue") / "model.json").string(), 0},
      {"fer2013_xception::load", "a missing model file", "fer2013_xception::load", "not found",
       [] { fer2013_xception::load("/nonexistent/emotion.json"); }, "/nonexistent/emotion.json", 0},
      {"faceapi_expression::load", "a missing model folder", "faceapi_expression::load", "not found",
       [] { faceapi_expression::load("/nonexistent/models"); }, "/nonexistent/models", 0},
      {"faceapi_expression::preprocess", "an empty image", "faceapi_expression::preprocess", "empty",
       [] {
         faceapi_expression::preprocess(xt::xtensor<float, 2>::from_shape({0, 48}));
       }},
      {"write_predictions_csv", "an existing file, overwrite not asked", "write_predictions_csv", "exists",
       [] {
         predictions p;
         p.class_names = {"a", "b"};
         p.labels = {0};
         write_predictions_csv(scratch_file("pred_exists.csv", "keep me"), p);
       }},
      {"write_predictions_csv", "a label outside the classes", "write_predictions_csv", "label",
       [] {
         predictions p;
         p.class_names = {"a", "b"};
         p.labels = {5};
         write_predictions_csv((disfer_test::scratch_dir("catalogue") / "pred_w.csv").string(), p,
                               overwrite_policy::replace);
       }},
      {"predict", "an empty image", "predict", "empty",
       [] {
         predict(constant_classifier{}, std::vector<xt::xtensor<float, 2>>{xt::xtensor<float, 2>::from_shape({0, 0})});
       }},
  };
  rows.insert(rows.end(), inference_rows.begin(), inference_rows.end());
  // ---- fine-tuning (inference/fine_tune.hpp) ------------------------------------------------------
  const std::string seed_model = std::string(DISFER_FUZZ_SEED_MODEL_DIR) + "/model.json";
  const std::vector<row> fine_tune_rows = {
      {"one_hot", "label 7 of k = 7", "one_hot", "label 7 of row 1",
       [] {
         one_hot({0, 7}, 7);
       }},
      {"head_loss", "an empty set", "head_loss", "empty",
       [] {
         const head_weights w = zero_head();
         head_training_set none;
         none.features = feature_matrix::Zero(0, 2);
         none.targets = Eigen::MatrixXd::Zero(0, 2);
         head_loss(w, none);
       }},
      {"head_probabilities", "3 feature columns for a head of 2", "head_probabilities", "3 columns",
       [] {
         const head_weights w = zero_head();
         head_probabilities(w, feature_matrix::Zero(1, 3));
       }},
      {"head_predict", "3 feature columns for a head of 2", "head_predict", "3 columns",
       [] {
         const head_weights w = zero_head();
         head_predict(w, feature_matrix::Zero(1, 3));
       }},
      {"fine_tune_head", "an empty training set", "fine_tune_head", "training set is empty",
       [] {
         const head_weights w = zero_head();
         fine_tune_head(w, head_training_set{}, head_training_set{});
       }},
      {"disfer_protocol_split", "no records", "disfer_protocol_split", "eligible images",
       [] { disfer_protocol_split({}, disfer_protocol_options{}); }},
      {"disfer_protocol_schedule", "an odd per_class_per_batch", "disfer_protocol_schedule", "must be even",
       [] {
         disfer_protocol_options o;
         o.per_class_per_batch = 3;
         disfer_protocol_schedule({0, 1}, 2, 3, o);
       }},
      {"protocol_code", "distortion kind none", "protocol_code", "blur, noise or salt-and-pepper",
       [] { protocol_code(distortion_kind::none); }},
      {"find_classifier_head", "a graph whose output is not a Softmax over a pooled convolution",
       "find_classifier_head", "no recognisable classifier head",
       [seed_model] { find_classifier_head(tfjs_graph_model::load(seed_model)); }},
      {"read_head_weights", "a head that is not in the graph", "read_head_weights", "does not fit",
       [seed_model] { read_head_weights(tfjs_graph_model::load(seed_model), classifier_head{}); }},
      {"with_head_weights", "weights of the wrong shape", "with_head_weights", "the weights are",
       [seed_model] {
         const head_weights w = zero_head();
         with_head_weights(tfjs_graph_model::load(seed_model), classifier_head{}, w);
       }},
      {"head_features_of", "an activation of rank 2", "head_features_of", "expected [1,",
       [] {
         double out[4];
         head_features_of(classifier_head{}, tensor::from({1, 2}, std::vector<float>{0, 0}), out);
       }},
  };
  rows.insert(rows.end(), fine_tune_rows.begin(), fine_tune_rows.end());
  // ---- weight shard paths of tfjs_graph_model::load (the shard-path policy) -----------------------
  // The seed model in catalogue/shards-<name>/model.json with its paths replaced; its valid shard
  // also lies one folder up (so that only the policy refuses '../w.bin').
  const auto shard_root = disfer_test::scratch_dir("catalogue-shards");
  const auto shard_model = [seed_model, root = shard_root](const std::string& name, const nlohmann::json& paths) {
    const auto dir = root / name;
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(std::string(DISFER_FUZZ_SEED_MODEL_DIR) + "/w.bin", root / "w.bin",
                               std::filesystem::copy_options::overwrite_existing);
    nlohmann::json j = nlohmann::json::parse(std::ifstream(seed_model));
    j["weightsManifest"][0]["paths"] = paths;
    std::ofstream(dir / "model.json") << j.dump();
    return (dir / "model.json").string();
  };
  const std::string dotdot = shard_model("dotdot", {"../w.bin"}), dev_zero = shard_model("dev_zero", {"/dev/zero"}),
                    link = shard_model("link", {"link.bin"});
  std::filesystem::create_symlink("/dev/zero", std::filesystem::path(link).parent_path() / "link.bin");
  const std::vector<row> shard_rows = {
      {"tfjs_graph_model::load", "a weight shard path with '..' (a valid shard outside the model's folder)",
       "tfjs_graph_model::load", "weightsManifest[0].paths[0] '../w.bin': a '..' component",
       [dotdot] { tfjs_graph_model::load(dotdot); }, dotdot, 0},
      {"tfjs_graph_model::load", "an absolute weight shard path (/dev/zero)", "tfjs_graph_model::load",
       "weightsManifest[0].paths[0] '/dev/zero': an absolute shard path",
       [dev_zero] { tfjs_graph_model::load(dev_zero); }, dev_zero, 0},
      {"tfjs_graph_model::load", "a weight shard that is a symbolic link leaving the model's folder (to /dev/zero)",
       "tfjs_graph_model::load", "resolves to '/dev/zero', outside the folder",
       [link] { tfjs_graph_model::load(link); }, link, 0},
  };
  rows.insert(rows.end(), shard_rows.begin(), shard_rows.end());
  // ---- read_tfjs_weights_manifest (the same code reads a graph's weightsManifest) -------------------
  const std::string seed_dir = DISFER_FUZZ_SEED_MODEL_DIR, seed_manifest = seed_dir + "/weights_manifest.json";
  // Written by the calls, as the other rows do: scratch_dir() empties its folder on every call.
  const auto neg_manifest = [] {
    return scratch_file("neg-weights_manifest.json",
                        R"([{"paths": ["w.bin"], "weights": [{"name": "w", "shape": [-1], "dtype": "float32"}]}])");
  };
  const auto dotdot_manifest = [] {
    return scratch_file("dotdot-weights_manifest.json",
                        R"([{"paths": ["../w.bin"], "weights": [{"name": "w", "shape": [1], "dtype": "int32"}]}])");
  };
  const std::string catalogue_dir = disfer_test::scratch_dir("catalogue").string();
  const std::vector<row> manifest_rows = {
      {"read_tfjs_weights_manifest", "a negative dimension", "read_tfjs_weights_manifest",
       "[0].weights[0].shape[0]: weight 'w' has a negative dimension",
       [neg_manifest, seed_dir] { read_tfjs_weights_manifest(neg_manifest(), seed_dir); },
       catalogue_dir + "/neg-weights_manifest.json", 0},
      {"read_tfjs_weights_manifest", "a shard path with '..'", "read_tfjs_weights_manifest",
       "[0].paths[0] '../w.bin': a '..' component",
       [dotdot_manifest] { read_tfjs_weights_manifest(dotdot_manifest()); },
       catalogue_dir + "/dotdot-weights_manifest.json", 0},
      {"tfjs_weights::at", "a name the manifest does not have", "tfjs_weights::at", "has no weight 'nope'",
       [seed_manifest] { (void)read_tfjs_weights_manifest(seed_manifest).at("nope"); }},
  };
  rows.insert(rows.end(), manifest_rows.begin(), manifest_rows.end());
  // Rows that need the bundled FER-2013 model: only when it is available (as test_fine_tune).
  static const std::unique_ptr<fer2013_xception> model = [] {
    try {
      return std::make_unique<fer2013_xception>(fer2013_xception::load());
    } catch (const disfer::error&) {
      return std::unique_ptr<fer2013_xception>();
    }
  }();
  if (model) {
    const fer2013_xception* m = model.get();
    const std::vector<row> model_rows = {
        {"head_features", "an empty image", "head_features", "image 0",
         [m] {
           head_features(*m, {xt::xtensor<float, 2>::from_shape({0, 0})});
         }},
        {"versioned_head_features", "2 ids for 1 image", "versioned_head_features", "2 ids for 1 images",
         [m] {
           versioned_head_features(*m, {xt::xtensor<std::uint8_t, 2>(xt::zeros<std::uint8_t>({48, 48}))}, {1, 2},
                                   distortion_kind::gaussian_blur, {0.8}, 1);
         }},
        {"fine_tune_disfer_protocol", "no records", "fine_tune_disfer_protocol", "eligible images",
         [m] { fine_tune_disfer_protocol(*m, {}, distortion_kind::gaussian_blur); }},
        // The protocol's own checks come before its forward passes, under its own name.
        {"fine_tune_disfer_protocol", "a negative learning rate (an option of the training step)",
         "fine_tune_disfer_protocol", "learning_rate must be positive",
         [m] {
           disfer_protocol_options o;
           o.training.learning_rate = -1;
           fine_tune_disfer_protocol(*m, protocol_records(), distortion_kind::gaussian_blur, o);
         }},
        {"fine_tune_disfer_protocol", "a blur level of -1", "fine_tune_disfer_protocol", "options.levels[1] = -1",
         [m] {
           disfer_protocol_options o;
           o.levels = {0.8, -1};
           fine_tune_disfer_protocol(*m, protocol_records(), distortion_kind::gaussian_blur, o);
         }},
        {"fine_tune_disfer_protocol", "an odd per_class_per_batch (an option of the schedule step)",
         "fine_tune_disfer_protocol", "per_class_per_batch must be even",
         [m] {
           disfer_protocol_options o = small_protocol();
           o.per_class_per_batch = 3;
           fine_tune_disfer_protocol(*m, protocol_records(), distortion_kind::gaussian_blur, o);
         }},
        {"fine_tune_disfer_protocol", "a soft-target row that sums to 2", "fine_tune_disfer_protocol",
         "soft_targets row 3 (FER-2013 row 3) sum to ",
         [m] {
           const auto records = protocol_records();
           Eigen::MatrixXd soft = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(records.size()), 7, 1.0 / 7);
           soft.row(3) *= 2;
           fine_tune_disfer_protocol(*m, records, distortion_kind::gaussian_blur, small_protocol(), &soft);
         }},
    };
    rows.insert(rows.end(), model_rows.begin(), model_rows.end());
  }
#endif
  return rows;
}

}  // namespace

TEST_CASE("catalogue: every bad input gives a disfer::error naming the function (and the file)",
          "[reliability][catalogue]") {
  std::size_t n = 0;
  for (const auto& r : catalogue()) {
    INFO(r.entry << ": " << r.bad);
    ++n;
    if (!r.function) {
      CHECK_NOTHROW(r.call());
      continue;
    }
    // The message names the function called, never a worker it delegates to: no exceptions.
    CHECK(std::string(r.function) == r.entry);
    bool threw = false;
    try {
      r.call();
    } catch (const disfer::error& e) {
      threw = true;
      const std::string what = e.what();
      INFO("message: " << what);
      CHECK(what.rfind(std::string(r.function) + ": ", 0) == 0);
      CHECK(what.find(r.fragment) != std::string::npos);
      if (!r.path.empty()) {
        CHECK(what.find(r.path) != std::string::npos);
        if (r.line > 0) {
          CHECK(e.line() == r.line);
          CHECK(what.find(r.path + ":" + std::to_string(r.line)) != std::string::npos);
        }
      }
    } catch (const std::exception& e) {
      FAIL_CHECK("an exception other than disfer::error: " << e.what());
      threw = true;
    }
    if (!threw) FAIL_CHECK("no error");
  }
  CHECK(n >= 80);
}
