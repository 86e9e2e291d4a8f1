// design: bindings of disfer/design.hpp: the source sample, the stimuli and their stable ids and
// keys, balanced playlists and presentation orders, the stimulus folder, the experiment plan.

#include <map>

#include "common.hpp"
#include "disfer/design.hpp"

namespace disfer_py {

namespace {

// bind_enum, unless another binding file has registered the enum already (Fer2013Usage belongs to
// io, which has no binding file yet).
// A read-only numpy view of an image held by the C++ object behind `self` (no copy; the array
// keeps `self` alive).
py::array image_view(const py::object& self, const xt::xtensor<std::uint8_t, 2>& img) {
  py::array_t<std::uint8_t> a({static_cast<py::ssize_t>(img.shape()[0]), static_cast<py::ssize_t>(img.shape()[1])},
                              {static_cast<py::ssize_t>(img.shape()[1]), py::ssize_t{1}}, img.data(), self);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return std::move(a);
}

// The conditions argument: None (disfer_conditions()), or Distortions and labels ('GB 0.8'); a bad
// label raises the Distortion constructor's disfer.Error rather than a TypeError.
std::vector<disfer::distortion> conditions_of(const py::object& obj) {
  if (obj.is_none()) return disfer::disfer_conditions();
  std::vector<disfer::distortion> out;
  const py::object type = py::type::of<disfer::distortion>();
  for (const auto& h : py::reinterpret_borrow<py::iterable>(obj))
    out.push_back(py::isinstance<disfer::distortion>(h) ? h.cast<disfer::distortion>()
                                                        : type(h).cast<disfer::distortion>());
  return out;
}

}  // namespace

std::vector<disfer::distortion> stimulus_conditions(const char* fn, const std::vector<disfer::stimulus>& stimuli,
                                                    const py::object& conditions) {
  if (!conditions.is_none()) return conditions_of(conditions);
  // In condition_index order, from the stimuli, so that a manifest records what was made.
  std::vector<disfer::distortion> cs;
  std::vector<int> seen;
  for (const auto& s : stimuli) {
    if (s.condition_index >= cs.size()) {
      cs.resize(s.condition_index + 1);
      seen.resize(s.condition_index + 1, 0);
    }
    cs[s.condition_index] = s.condition;
    seen[s.condition_index] = 1;
  }
  for (std::size_t c = 0; c < seen.size(); ++c)
    if (!seen[c]) fail(fn, "conditions not given, and no stimulus has condition_index " + std::to_string(c));
  return cs;
}

void init_design(py::module_& m) {
  using namespace disfer;

  bind_enum<fer2013_usage>(m, "Fer2013Usage",
                           {{"training", fer2013_usage::training},
                            {"public_test", fer2013_usage::public_test},
                            {"private_test", fer2013_usage::private_test}},
                           "FER-2013's three splits (the Usage column: Training, PublicTest, PrivateTest).");

  // ---- Sources -------------------------------------------------------------------------------
  result_class<source_image>(m, "SourceImage", "One source face of a sample_sources sample.")
      .field("source_id", &source_image::source_id, "0-based position in the sample")
      .field("fer2013_row", &source_image::fer2013_row, "0-based data row of fer2013.csv")
      .field("label", &source_image::label, "FER-2013 emotion")
      .field("usage", &source_image::usage, "FER-2013 split")
      .computed(
          "image", [](const py::object& self) { return image_view(self, self.cast<const source_image&>().image); },
          "48 x 48 uint8, a read-only view")
      .done();
  result_class<source_sample>(m, "SourceSample", "What sample_sources returns (pass it to make_stimuli).")
      .field("sources", &source_sample::sources, "grouped by emotion (in the emotions order), by row within one")
      .field("input_name", &source_sample::input_name, "the input's file name")
      .field("input_sha256", &source_sample::input_sha256, "lowercase hex; '' when hash_input is off")
      .field("input_rows", &source_sample::input_rows, "data rows read (all splits)")
      .field("eligible", &source_sample::eligible, "eligible rows per emotion")
      .field("warnings", &source_sample::warnings)
      .computed(
          "seed", [](const source_sample& s) { return s.options.seed; }, "the sampling seed")
      .computed(
          "per_emotion", [](const source_sample& s) { return s.options.per_emotion; }, "faces per emotion")
      .done();
  m.def(
      "sample_sources",
      [](const std::string& path, std::size_t per_emotion, const py::object& usages, const py::object& emotions,
         std::uint64_t seed, bool hash_input, const py::object& only_rows) {
        source_options o;
        o.per_emotion = per_emotion;
        if (!usages.is_none()) o.usages = usages.cast<std::vector<fer2013_usage>>();
        if (!emotions.is_none()) o.emotions = emotions.cast<std::vector<emotion>>();
        o.seed = seed;
        o.hash_input = hash_input;
        if (!only_rows.is_none()) {
          for (const auto r : int_vector("sample_sources", py::array::ensure(only_rows), "only_rows")) {
            if (r < 0) fail("sample_sources", "only_rows holds the negative row " + std::to_string(r));
            o.only_rows.push_back(static_cast<std::uint64_t>(r));
          }
        }
        return without_gil([&] { return sample_sources(path, o); });
      },
      py::arg("fer2013_csv"), py::kw_only(), py::arg("per_emotion") = 12, py::arg("usages") = py::none(),
      py::arg("emotions") = py::none(), py::arg("seed") = 0, py::arg("hash_input") = true,
      py::arg("only_rows") = py::none(),
      "Samples `per_emotion` faces of each emotion (default FER-2013's 7) from the rows of fer2013.csv whose\n"
      "Usage is in `usages` (default PublicTest and PrivateTest): row r gets the rank u_r = first 64-bit\n"
      "word of StreamKey(seed, r, purpose.source_sampling) and the smallest (u_r, r) are kept, a uniform\n"
      "sample without replacement independent of the file's order (Leveque et al. 2022: 12 per emotion).\n"
      "only_rows: the rows that may be drawn (e.g. FER+'s). Bad rows raise disfer.Error with path and line.");

  // ---- Stimuli -------------------------------------------------------------------------------
  result_class<stimulus>(m, "Stimulus", "One stimulus: a source under a condition (make_stimuli).")
      .field("id", &stimulus::id, "fer<row>_<condition_code>, e.g. fer28712_gn20")
      .field("index", &stimulus::index, "source_id x conditions + condition_index")
      .field("source_id", &stimulus::source_id)
      .field("fer2013_row", &stimulus::fer2013_row)
      .field("label", &stimulus::label, "the source's FER-2013 emotion")
      .field("usage", &stimulus::usage)
      .field("condition_index", &stimulus::condition_index, "index into the conditions given to make_stimuli")
      .field("condition", &stimulus::condition, "the Distortion applied")
      .computed(
          "key", [](const stimulus& s) { return s.key; },
          "StreamKey(seed, stimulus_key_item(id), default_purpose(kind)), a copy")
      .computed(
          "image", [](const py::object& self) { return image_view(self, self.cast<const stimulus&>().image); },
          "48 x 48 uint8, a read-only view")
      .done();
  m.def("condition_code", &condition_code, py::arg("distortion"),
        "Short code of a condition in stimulus ids: 'orig', 'gb0.8', 'gn20', 'sp0.02' (label in lower case\n"
        "without the space).");
  m.def("stimulus_id", &stimulus_id, py::arg("row"), py::arg("distortion"),
        "The id of FER-2013 row `row` under a condition: 'fer<row>_<condition_code>' (fer28712_gb0.8).");
  m.def("stimulus_key_item", &stimulus_key_item, py::arg("id"),
        "The stream item of a stimulus id: the first 8 bytes of SHA-256(id), big-endian, i.e.\n"
        "int.from_bytes(hashlib.sha256(id.encode()).digest()[:8], 'big').");
  m.def(
      "make_stimuli",
      [](const source_sample& sources, const py::object& conditions, std::uint64_t seed, unsigned threads) {
        const std::vector<distortion> cs = conditions_of(conditions);
        batch_options o;
        o.threads = threads;
        return without_gil([&] { return make_stimuli(sources, cs, seed, o); });
      },
      py::arg("sources"), py::arg("conditions") = py::none(), py::arg("seed") = 0, py::kw_only(),
      py::arg("threads") = 0u,
      "Every source under every condition (default disfer_conditions()), source-major: index =\n"
      "source_id x len(conditions) + condition index. Each image is apply(condition, source, key) with\n"
      "key = StreamKey(seed, stimulus_key_item(id), default_purpose(kind)), so a stimulus's pixels depend\n"
      "only on (seed, row, condition, source); `threads` (0 = all) changes speed only. GIL released.");

  // ---- Playlists -----------------------------------------------------------------------------
  result_class<playlist_set>(m, "PlaylistSet", "Playlists: lists of stimulus indices, ascending.")
      .field("playlists", &playlist_set::playlists)
      .field("seed", &playlist_set::seed)
      .field("restarts", &playlist_set::restarts, "restarts the search needed")
      .done()
      .def(py::init([](std::vector<std::vector<std::size_t>> playlists, std::uint64_t seed, std::size_t restarts) {
             return playlist_set{std::move(playlists), seed, restarts};
           }),
           py::arg("playlists"), py::arg("seed") = 0, py::arg("restarts") = 0,
           "Playlists made elsewhere, to check_playlists them or draw presentation orders.");
  result_class<playlist_violation>(m, "PlaylistViolation", "One violated rule (check_playlists).")
      .field("rule", &playlist_violation::rule,
             "coverage, size, source, condition, kind, emotion, emotion x kind, emotion x condition")
      .field("playlist", &playlist_violation::playlist, "the playlist (the stimulus index for coverage)")
      .field("category", &playlist_violation::category, "e.g. 'happy / GN 20'")
      .field("count", &playlist_violation::count)
      .field("min", &playlist_violation::min)
      .field("max", &playlist_violation::max)
      .field("message", &playlist_violation::message)
      .done();
  result_class<playlist_check>(m, "PlaylistCheck", "What check_playlists returns.")
      .field("ok", &playlist_check::ok)
      .field("violations", &playlist_check::violations)
      .done();
  m.def(
      "make_playlists",
      [](const std::vector<stimulus>& stimuli, std::size_t n_playlists, std::size_t playlist_size, std::uint64_t seed,
         std::size_t max_restarts, std::uint64_t moves_per_restart) {
        playlist_options o;
        o.max_restarts = max_restarts;
        o.moves_per_restart = moves_per_restart;
        return without_gil([&] { return make_playlists(stimuli, n_playlists, playlist_size, seed, o); });
      },
      py::arg("stimuli"), py::arg("n_playlists"), py::arg("playlist_size"), py::arg("seed"), py::kw_only(),
      py::arg("max_restarts") = 50, py::arg("moves_per_restart") = 400000,
      "Balanced playlists (Leveque et al. 2022, section 3.2: 21 of 40): every stimulus in one playlist, and\n"
      "for source, condition, kind, emotion, (emotion, kind) and (emotion, condition) each category with n\n"
      "stimuli appears floor(n / P) or ceil(n / P) times per playlist. Seeded round-robin deal, then a\n"
      "seeded local search of swaps; a pure function of (stimuli, P, L, seed). GIL released.");
  m.def("check_playlists", &check_playlists, py::arg("stimuli"), py::arg("sets"),
        "Every violation of make_playlists' rules (coverage, equal sizes, floor/ceil(n / P) per category),\n"
        "none when ok.");
  m.def("presentation_order", &presentation_order, py::arg("sets"), py::arg("playlist"), py::arg("participant"),
        py::arg("seed"),
        "Participant `participant`'s order of playlist `playlist`: a Fisher-Yates shuffle of its indices with\n"
        "StreamKey(seed, playlist x 2^32 + participant, purpose.presentation_order).");

  m.def(
      "write_stimuli",
      [](const std::string& folder, const std::vector<stimulus>& stimuli, const source_sample& sources,
         const py::object& conditions, const py::object& seed_obj, bool overwrite,
         const std::map<std::string, std::string>& extra_files) {
        const char* fn = "write_stimuli";
        if (stimuli.empty()) fail(fn, "no stimuli");
        // by default the conditions (by condition_index) and the seed the stimuli were made with
        const std::vector<distortion> cs = stimulus_conditions(fn, stimuli, conditions);
        std::uint64_t seed = stimuli.front().key.seed;
        if (!seed_obj.is_none()) {
          seed = seed_obj.cast<std::uint64_t>();
        } else {
          for (const auto& s : stimuli)
            if (s.key.seed != seed)
              fail(fn, "seed not given, and the stimuli were made with different seeds (" + std::to_string(seed) +
                           " and " + std::to_string(s.key.seed) + ")");
        }
        stimuli_write_options o;
        o.overwrite = overwrite ? overwrite_policy::replace : overwrite_policy::refuse;
        o.extra_files.assign(extra_files.begin(), extra_files.end());
        without_gil([&] { write_stimuli(folder, stimuli, sources, cs, seed, o); });
      },
      py::arg("folder"), py::arg("stimuli"), py::arg("sources"), py::arg("conditions") = py::none(),
      py::arg("seed") = py::none(), py::kw_only(), py::arg("overwrite") = false,
      py::arg("extra_files") = std::map<std::string, std::string>{},
      "Writes every stimulus as <id>.pgm, manifest.csv (provenance header, one row per stimulus; read with\n"
      "pandas.read_csv(path, comment='#')) and `extra_files` (name -> text) into `folder`, staged beside it\n"
      "and renamed into place. A non-empty existing folder raises disfer.Error unless overwrite=True.\n"
      "conditions and seed default to those the stimuli were made with (condition_index order, key.seed).");

  // ---- Experiment ----------------------------------------------------------------------------
  result_class<participant_order>(m, "ParticipantOrder", "One participant's order (presentation-orders.csv).")
      .field("participant", &participant_order::participant)
      .field("playlist", &participant_order::playlist)
      .field("ids", &participant_order::ids, "stimulus ids, position 0 first")
      .field("line", &participant_order::line, "line of its first row")
      .done()
      .def(py::init(
               [](std::uint64_t participant, std::uint64_t playlist, std::vector<std::string> ids, std::uint64_t line) {
                 return participant_order{participant, playlist, std::move(ids), line};
               }),
           py::arg("participant"), py::arg("playlist"), py::arg("ids"), py::arg("line") = 0);
  m.def("read_presentation_orders", &read_presentation_orders, py::arg("path"),
        "Reads presentation-orders.csv (participant, playlist, position, id), sorted by participant;\n"
        "disfer.Error with path, line and column for a bad file.");
  result_class<experiment_button>(m, "ExperimentButton", "One button of the rating question.")
      .field("label", &experiment_button::label)
      .field("category", &experiment_button::category)
      .done()
      .def(py::init([](std::string label, std::string category) {
             return experiment_button{std::move(label), std::move(category)};
           }),
           py::arg("label"), py::arg("category"));
  m.def("disfer_buttons", &disfer_buttons,
        "The paper's seven buttons in its alphabetical order (Leveque et al. 2022, section 3.3), categories\n"
        "in FER-2013's names.");
  result_class<attention_check>(m, "AttentionCheck", "One instructed attention check.")
      .field("after", &attention_check::after, "ratings before it")
      .field("expected", &attention_check::expected, "the button asked for")
      .field("image", &attention_check::image, "the stimulus shown")
      .done();
  result_class<experiment_order>(m, "ExperimentOrder", "One presentation order as the experiment shows it.")
      .field("order_id", &experiment_order::order_id)
      .field("ids", &experiment_order::ids)
      .field("checks", &experiment_order::checks)
      .done();
  result_class<experiment_playlist>(m, "ExperimentPlaylist", "One playlist with its orders.")
      .field("playlist", &experiment_playlist::playlist)
      .field("orders", &experiment_playlist::orders)
      .done();
  result_class<experiment_study>(m, "ExperimentStudy", "What plan_experiment returns (window.DISFER_STUDY).")
      .field("title", &experiment_study::title)
      .field("buttons", &experiment_study::buttons)
      .field("playlists", &experiment_study::playlists)
      .field("texts", &experiment_study::texts)
      .field("save_mode", &experiment_study::save_mode)
      .field("save_url", &experiment_study::save_url)
      .field("datapipe_id", &experiment_study::datapipe_id)
      .field("assignment", &experiment_study::assignment)
      .field("completion_code", &experiment_study::completion_code)
      .field("image_folder", &experiment_study::image_folder)
      .field("image_extension", &experiment_study::image_extension)
      .done();
  m.def(
      "plan_experiment",
      [](const std::vector<participant_order>& orders, const std::vector<std::string>& stimulus_ids,
         const py::object& buttons, std::size_t attention_checks, const py::object& attention_after,
         std::uint64_t seed) {
        experiment_options o;
        if (!buttons.is_none()) o.buttons = buttons.cast<std::vector<experiment_button>>();
        o.attention_checks = attention_checks;
        if (!attention_after.is_none()) o.attention_after = attention_after.cast<std::vector<std::size_t>>();
        o.seed = seed;
        return without_gil([&] { return plan_experiment(orders, stimulus_ids, o); });
      },
      py::arg("orders"), py::arg("stimulus_ids"), py::kw_only(), py::arg("buttons") = py::none(),
      py::arg("attention_checks") = 2, py::arg("attention_after") = py::none(), py::arg("seed") = 2022,
      "The experiment of a design: every order grouped by playlist, with `attention_checks` instructed\n"
      "checks each (after round((c + 1) n / (checks + 1)) ratings unless attention_after), the button uniform\n"
      "and the image a stimulus outside the order, drawn from StreamKey(seed, order, purpose.attention_check).");
}

}  // namespace disfer_py
