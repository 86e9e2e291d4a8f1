#include <catch2/catch.hpp>

#include <disfer/design.hpp>
#include <disfer/io/manifest.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;

const std::string small_csv = disfer_test::data_path("fer2013-small.csv");

// tests/data/make_fer2013_small.py: 16 rows, label r % 7; rows 0-6 PublicTest, 7-13
// PrivateTest, 14-15 Training. Two test-split faces per emotion: rows e and e + 7.
disfer::source_sample two_per_emotion(std::uint64_t seed = 1) {
  disfer::source_options o;
  o.per_emotion = 2;
  o.seed = seed;
  return disfer::sample_sources(small_csv, o);
}

std::string manifest_text(const std::vector<disfer::stimulus>& st, const disfer::source_sample& src,
                          std::uint64_t seed) {
  std::ostringstream out;
  disfer::write_manifest(out, st, src, disfer::disfer_conditions(), seed);
  return out.str();
}

std::size_t count_entries(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("sample_sources: test splits by default, grouped by emotion, provenance", "[design][sample_sources]") {
  const auto s = two_per_emotion();
  REQUIRE(s.sources.size() == 14);
  for (std::size_t i = 0; i < 14; ++i) {
    const auto& src = s.sources[i];
    CHECK(src.source_id == i);
    CHECK(disfer::index_of(src.label) == i / 2);
    CHECK(src.fer2013_row == (i % 2 == 0 ? i / 2 : i / 2 + 7));  // every test face of the emotion, by row
    CHECK(src.usage != disfer::fer2013_usage::training);
    CHECK(src.image(0, 1) == (31 * src.fer2013_row + 7) % 256);
  }
  CHECK(s.input_name == "fer2013-small.csv");
  // Reference: python3 -c "import hashlib; print(hashlib.sha256(open('fer2013-small.csv','rb').read()).hexdigest())"
  CHECK(s.input_sha256 == "4fb777ca0d8dbf78b6423e0785a83658de5de2e3866361eee68d6ecce624057f");
  CHECK(s.input_rows == 16);
  CHECK(s.eligible == std::vector<std::size_t>(7, 2));
  CHECK(s.warnings.empty());
}

TEST_CASE("sample_sources: the Training split warns and too few faces is an error", "[design][sample_sources]") {
  disfer::source_options o;
  o.per_emotion = 1;
  o.usages = {disfer::fer2013_usage::training};
  CHECK_THROWS_WITH(
      disfer::sample_sources(small_csv, o),
      Catch::StartsWith("sample_sources: only 0 'fear' images in Training of 'fer2013-small.csv', 1 requested"));
  o.emotions = {disfer::emotion::disgust, disfer::emotion::angry};
  const auto s = disfer::sample_sources(small_csv, o);
  REQUIRE(s.sources.size() == 2);
  CHECK(s.sources[0].label == disfer::emotion::disgust);
  CHECK(s.sources[0].fer2013_row == 15);
  CHECK(s.sources[1].fer2013_row == 14);
  REQUIRE(s.warnings.size() == 1);
  CHECK_THAT(s.warnings[0], Catch::Contains("Training"));
  o.per_emotion = 3;
  o.usages = {disfer::fer2013_usage::public_test, disfer::fer2013_usage::private_test};
  CHECK_THROWS_WITH(disfer::sample_sources(small_csv, o),
                    Catch::Contains("only 2 'disgust' images in PublicTest+PrivateTest"));
  o.per_emotion = 0;
  CHECK_THROWS_WITH(disfer::sample_sources(small_csv, o), Catch::Contains("per_emotion is 0"));
  o.per_emotion = 1;
  o.emotions = {disfer::emotion::sad, disfer::emotion::sad};
  CHECK_THROWS_WITH(disfer::sample_sources(small_csv, o), Catch::Contains("emotion sad is listed twice"));
  o.emotions = {disfer::emotion::sad};
  o.usages = {};
  CHECK_THROWS_WITH(disfer::sample_sources(small_csv, o), Catch::Contains("no usage split"));
}

TEST_CASE("sample_sources: the selection rule on FER-2013 (DISFER_FER2013, else the sample)",
          "[design][sample_sources]") {
  DISFER_REQUIRE_FER2013(fer);
  const std::string& path = fer.path;
  const auto rows = disfer::read_fer2013(path);
  // Eligible rows per emotion in the default splits (PublicTest and PrivateTest), counted here.
  std::vector<std::size_t> eligible(7, 0);
  for (const auto& r : rows)
    if (r.usage != disfer::fer2013_usage::training) ++eligible[disfer::index_of(r.label)];
  const std::size_t fewest = *std::min_element(eligible.begin(), eligible.end());
  disfer::source_options o;
  o.seed = 2022;
  if (fewest == 0) {  // a file without some emotion in the test splits: the documented error
    CHECK_THROWS_WITH(disfer::sample_sources(path, o), Catch::Contains("only 0 '"));
    return;
  }
  o.per_emotion = std::min<std::size_t>(12, fewest);  // the paper's 12 where the file has them
  const std::size_t pe = o.per_emotion;
  const auto a = disfer::sample_sources(path, o);
  REQUIRE(a.sources.size() == 7 * pe);
  CHECK(a.eligible == eligible);
  CHECK(a.input_rows == rows.size());
  CHECK(a.input_sha256 == fer.sha256);
  if (fer.is_sample) {  // tests/data/fer2013_sample_facts.json: 956 PublicTest rows, 150 per class but 56 disgust
    CHECK(pe == 12);
    CHECK(a.sources.size() == 84);
    CHECK(a.eligible == std::vector<std::size_t>{150, 56, 150, 150, 150, 150, 150});
  }
  // The documented rule, restated: per emotion, the pe eligible rows of smallest
  // (first word of stream {seed, row, source_sampling}, row).
  for (std::size_t e = 0; e < 7; ++e) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranked;
    for (const auto& r : rows)
      if (disfer::index_of(r.label) == e && r.usage != disfer::fer2013_usage::training)
        ranked.push_back(
            {disfer::random_cursor(disfer::stream_key{2022, r.row, disfer::purpose::source_sampling}).next_u64(),
             r.row});
    std::sort(ranked.begin(), ranked.end());
    std::set<std::uint64_t> expected, got;
    for (std::size_t k = 0; k < pe; ++k) expected.insert(ranked[k].second);
    for (std::size_t k = 0; k < pe; ++k) got.insert(a.sources[e * pe + k].fer2013_row);
    INFO("emotion " << e);
    CHECK(got == expected);
  }
  // In-memory rows give the same sample; another seed another one (where each emotion has at least
  // 4 pe eligible rows, so that most draws change).
  o.hash_input = false;
  const auto b = disfer::sample_sources(rows, o);
  REQUIRE(b.sources.size() == a.sources.size());
  bool same = true;
  for (std::size_t i = 0; i < a.sources.size(); ++i)
    same = same && a.sources[i].fer2013_row == b.sources[i].fer2013_row;
  CHECK(same);
  if (fewest >= 4 * pe) {
    o.seed = 2023;
    const auto c = disfer::sample_sources(path, o);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < a.sources.size(); ++i) differ += a.sources[i].fer2013_row != c.sources[i].fer2013_row;
    CHECK(differ > a.sources.size() / 2);
  }
}

TEST_CASE("make_stimuli: ids, keys, images, independence of order and threads", "[design][make_stimuli]") {
  const auto src = two_per_emotion();
  const auto conds = disfer::disfer_conditions();
  const auto st = disfer::make_stimuli(src, conds, 77);
  REQUIRE(st.size() == 140);
  CHECK(st[0].id == "fer0_orig");
  CHECK(st[1].id == "fer0_gb0.8");
  CHECK(st[5].id == "fer0_gn20");
  CHECK(st[9].id == "fer0_sp0.06");
  CHECK(st[17].id == "fer7_sp0.02");
  CHECK(st[17].index == 17);
  CHECK(st[17].source_id == 1);
  CHECK(st[17].condition_index == 7);
  // Key items: python3 -c "import hashlib; print(int.from_bytes(hashlib.sha256(b'fer3_orig').digest()[:8], 'big'))"
  CHECK(disfer::stimulus_key_item("fer3_orig") == 16073844487978358812ULL);
  CHECK(disfer::stimulus_key_item("fer28712_gn20") == 12468468924984855777ULL);
  CHECK(disfer::stimulus_key_item("fer10_sp0.02") == 14097202163973760216ULL);
  CHECK(st[5].key.seed == 77);
  CHECK(st[5].key.item == disfer::stimulus_key_item("fer0_gn20"));
  CHECK(st[5].key.purpose == disfer::purpose::gaussian_noise);
  // Images are the kernels applied with those keys.
  const auto& face = src.sources[0].image;
  CHECK(bool(st[0].image == face));
  CHECK(bool(st[1].image == disfer::gaussian_blur(face, 0.8)));
  CHECK(bool(st[5].image == disfer::gaussian_noise(face, 20.0, st[5].key)));
  CHECK(bool(st[8].image == disfer::salt_and_pepper(face, 0.04, st[8].key)));
  // Another condition order and one thread: the same image under the same id.
  std::vector<disfer::distortion> reversed(conds.rbegin(), conds.rend());
  disfer::batch_options one;
  one.threads = 1;
  const auto st2 = disfer::make_stimuli(src, reversed, 77, one);
  bool same = true;
  for (const auto& s : st2) {
    const auto& twin = st[s.source_id * 10 + (9 - s.condition_index)];
    same = same && twin.id == s.id && bool(twin.image == s.image);
  }
  CHECK(same);
  // Another seed changes the noisy stimuli only.
  const auto st3 = disfer::make_stimuli(src, conds, 78);
  CHECK(bool(st3[1].image == st[1].image));
  CHECK_FALSE(bool(st3[5].image == st[5].image));
}

TEST_CASE("make_stimuli: bad inputs", "[design][make_stimuli]") {
  const auto src = two_per_emotion();
  auto conds = disfer::disfer_conditions();
  conds.push_back(conds[4]);
  CHECK_THROWS_WITH(disfer::make_stimuli(src, conds, 1),
                    Catch::StartsWith("make_stimuli: condition 10 (GN 10) repeats condition 4"));
  CHECK_THROWS_WITH(disfer::make_stimuli(src, {}, 1), Catch::Contains("no conditions"));
  auto dup = src;
  dup.sources[3].fer2013_row = dup.sources[2].fer2013_row;
  CHECK_THROWS_WITH(disfer::make_stimuli(dup, disfer::disfer_conditions(), 1),
                    Catch::Contains("sources 2 and 3 are the same FER-2013 row"));
  CHECK_THROWS_WITH(disfer::make_stimuli(src, {{disfer::distortion_kind::gaussian_noise, -5.0}}, 1),
                    Catch::StartsWith("make_stimuli: condition 0 (GN -5): gaussian_noise"));
}

TEST_CASE("manifest: provenance header, same seed same bytes, other seed other bytes", "[design][write_manifest]") {
  const auto src = two_per_emotion(5);
  const auto conds = disfer::disfer_conditions();
  const auto a = manifest_text(disfer::make_stimuli(src, conds, 1), src, 1);
  const auto b = manifest_text(disfer::make_stimuli(two_per_emotion(5), conds, 1), two_per_emotion(5), 1);
  const auto c = manifest_text(disfer::make_stimuli(src, conds, 2), src, 2);
  CHECK(a == b);
  CHECK(a != c);
  CHECK_THAT(a, Catch::Contains(std::string("# disfer_version: ") + disfer::version_string + "\n"));
  CHECK_THAT(a, Catch::Contains("# random_stream_version: 1\n# seed: 1\n# sampling_seed: 5\n# per_emotion: 2\n"));
  CHECK_THAT(a, Catch::Contains("# usages: PublicTest PrivateTest\n"));
  CHECK_THAT(a, Catch::Contains("# input_sha256: 4fb777ca0d8dbf78b6423e0785a83658de5de2e3866361eee68d6ecce624057f\n"));
  CHECK_THAT(a, Catch::Contains(
                    "\nid,index,source_id,fer2013_row,usage,label,emotion,distortion,level,condition,key_seed,key_item,"
                    "key_purpose,file\nfer0_orig,0,0,0,PublicTest,0,angry,none,0,original,1,"));
  CHECK_THAT(a, Catch::Contains("\nfer0_gn20,5,0,0,PublicTest,0,angry,gaussian_noise,20,GN 20,1,"));
  CHECK(std::count(a.begin(), a.end(), '\n') == 13 + 1 + 140);
}

TEST_CASE("manifest: write_manifest's output reads back through the one schema (io/manifest.hpp)",
          "[design][write_manifest][manifest]") {
  const auto dir = disfer_test::scratch_dir("manifest_schema");
  const auto src = two_per_emotion(5);
  const auto st = disfer::make_stimuli(src, disfer::disfer_conditions(), 1);
  const auto path = (dir / "manifest.csv").string();
  std::ofstream(path, std::ios::binary) << manifest_text(st, src, 1);
  disfer::manifest_reader r(path, "reader");
  const auto& c = r.columns();
  REQUIRE(c.id);
  REQUIRE(c.file);
  REQUIRE(c.label);
  REQUIRE(c.condition);
  REQUIRE(c.distortion);
  REQUIRE(c.level);
  CHECK_FALSE(c.pixels_sha256);
  c.require_id_and_condition(r.csv());
  std::size_t i = 0;
  while (r.csv().next()) {
    REQUIRE(i < st.size());
    CHECK(r.csv()[*c.id] == st[i].id);
    CHECK(r.csv().line() == 14 + i + 1);  // the 13 '#' lines and the header still count
    CHECK(c.condition_of(r.csv()) == disfer::label(st[i].condition));
    CHECK(c.label_of(r.csv()) == st[i].label);
    CHECK(r.csv()[*c.file] == st[i].id + ".pgm");
    ++i;
  }
  CHECK(i == st.size());
}

TEST_CASE("manifest: old column names, distortion and level, unlabelled rows, errors", "[design][manifest]") {
  const auto dir = disfer_test::scratch_dir("manifest_old_names");
  const auto path = (dir / "m.csv").string();
  std::ofstream(path, std::ios::binary) << "# a comment\n#another\nstimulus,kind,level,label,sha256\n"
                                           "a,gaussian_blur,0.8,,x\nb,none,0,3,y\nc,gaussian_noise,2O,happy,z\n";
  disfer::manifest_reader r(path, "reader");
  const auto& c = r.columns();
  REQUIRE(c.id);
  CHECK(*c.id == 0);
  CHECK(*c.distortion == 1);
  CHECK(*c.pixels_sha256 == 4);
  CHECK_FALSE(c.condition);
  REQUIRE(r.csv().next());
  CHECK(c.condition_of(r.csv()) == "GB 0.8");
  CHECK_FALSE(c.label_of(r.csv()));
  REQUIRE(r.csv().next());
  CHECK(c.condition_of(r.csv()) == "original");
  CHECK(c.label_of(r.csv()) == disfer::emotion::happy);
  REQUIRE(r.csv().next());
  CHECK_THROWS_WITH(c.condition_of(r.csv()),
                    Catch::Matches("reader: .*m\\.csv:6:[0-9]+: column 'level': level '2O' is not a number"));

  std::ofstream(path, std::ios::binary) << "id,condition,label\na,original,9\nb,original,contempt\n";
  disfer::manifest_reader bad(path, "reader");
  REQUIRE(bad.csv().next());
  CHECK_THROWS_WITH(bad.columns().label_of(bad.csv()), Catch::Contains(":2:") && Catch::Contains("is outside 0-6"));
  REQUIRE(bad.csv().next());
  CHECK_THROWS_WITH(bad.columns().label_of(bad.csv()), Catch::Contains("unknown label 'contempt'"));

  std::ofstream(path, std::ios::binary) << "# provenance\nfile,label\nx.pgm,happy\n";
  disfer::manifest_reader none(path, "reader");
  CHECK_THROWS_WITH(none.columns().require_id_and_condition(none.csv()),
                    Catch::Contains("m.csv:2:1: missing column 'id' (header has: file, label)"));
}

TEST_CASE("write_stimuli: staged folder, refuses a non-empty target unless asked", "[design][write_stimuli]") {
  const auto dir = disfer_test::scratch_dir("stimuli");
  const auto src = two_per_emotion();
  const auto conds = disfer::disfer_conditions();
  const auto st = disfer::make_stimuli(src, conds, 3);
  const auto target = dir / "set";
  disfer::stimuli_write_options o;
  o.extra_files = {{"playlists.csv", "playlist,position,id\n"}};
  disfer::write_stimuli(target.string(), st, src, conds, 3, o);
  CHECK(count_entries(target) == 140 + 2);
  CHECK(count_entries(dir) == 1);  // no staging folder left
  CHECK(bool(disfer::read_pgm<std::uint8_t>((target / "fer7_gn30.pgm").string()) == st[16].image));
  std::ifstream m(target / "manifest.csv", std::ios::binary);
  const std::string manifest((std::istreambuf_iterator<char>(m)), std::istreambuf_iterator<char>());
  CHECK(manifest == manifest_text(st, src, 3));

  CHECK_THROWS_WITH(disfer::write_stimuli(target.string(), st, src, conds, 3),
                    Catch::Contains("write_stimuli") && Catch::Contains("not empty"));
  CHECK(count_entries(dir) == 1);
  o.overwrite = disfer::overwrite_policy::replace;
  o.extra_files.clear();
  disfer::write_stimuli(target.string(), st, src, conds, 3, o);
  CHECK(count_entries(target) == 141);
  CHECK(count_entries(dir) == 1);
  // An existing empty folder is fine; a file of that name is not.
  fs::create_directory(dir / "empty");
  disfer::write_stimuli((dir / "empty").string(), st, src, conds, 3);
  CHECK(count_entries(dir / "empty") == 141);
  std::ofstream(dir / "file.txt") << "x";
  CHECK_THROWS_WITH(disfer::write_stimuli((dir / "file.txt").string(), st, src, conds, 3),
                    Catch::Contains("is not a folder"));
  // A trailing slash names the same folder.
  disfer::write_stimuli((dir / "slash").string() + "/", st, src, conds, 3);
  CHECK(count_entries(dir / "slash") == 141);
  CHECK(count_entries(dir) == 4);
  // A failing encoder leaves nothing behind.
  disfer::stimuli_write_options bad;
  bad.encoder.write = [](std::ostream&, const xt::xtensor<std::uint8_t, 2>&) { throw disfer::error("encoder broke"); };
  CHECK_THROWS_WITH(disfer::write_stimuli((dir / "never").string(), st, src, conds, 3, bad), "encoder broke");
  CHECK_FALSE(fs::exists(dir / "never"));
  CHECK(count_entries(dir) == 4);
}
