#pragma once
/// \file
/// The experiment between the design and the analysis: a jsPsych study (examples/make_experiment,
/// docs/experiment.md) that shows each participant one playlist in its pre-drawn presentation
/// order, with instructed attention checks drawn here, before the study runs, so that what a
/// participant sees is a pure function of (design, seed) and no shuffling happens in the browser.
/// `write_experiment_study_js` writes the study as the `window.DISFER_STUDY` object that
/// share/experiment/disfer-experiment.js runs; read_jspsych_votes (io/jspsych.hpp) reads the
/// data back.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/core/random.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/report/json.hpp"

namespace disfer {

/// One participant's presentation order as presentation-orders.csv lists it
/// (write_presentation_orders: participant, playlist, position, id).
struct participant_order {
  std::uint64_t participant = 0;  ///< the order's number in the file (unique)
  std::uint64_t playlist = 0;
  std::vector<std::string> ids;  ///< stimulus ids, position 0 first
  std::uint64_t line = 0;        ///< line of its first row, for error messages
};

/// Reads presentation-orders.csv (columns participant, playlist, position, id; other columns are
/// ignored), orders sorted by participant. Throws disfer::error (named `read_presentation_orders`,
/// with path, line and column) for a missing column, a field that is not a number, a participant
/// listed under two playlists, a position given twice or missing (positions must be 0 .. n - 1),
/// an id twice in one order, and every CSV error.
inline std::vector<participant_order> read_presentation_orders(const std::string& path) {
  constexpr const char* fn = "read_presentation_orders";
  csv_reader csv(path, csv_options{',', true, false, fn});
  const auto participant = csv.column_index("participant");
  const auto playlist = csv.column_index("playlist");
  const auto position = csv.column_index("position");
  const auto id = csv.column_index("id");
  struct row {
    std::uint64_t position, line;
    std::string id;
  };
  std::map<std::uint64_t, std::pair<participant_order, std::vector<row>>> by_participant;
  const auto number = [&](std::size_t column, const char* what) {
    const std::string_view text = csv[column];
    std::uint64_t v = 0;
    if (text.empty() || text.size() > 18 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
      detail::fail_at(fn, path, csv.line(), csv.field_column(column), what, " '", text, "' is not a whole number");
    for (const char c : text) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    return v;
  };
  while (csv.next()) {
    const std::uint64_t p = number(participant, "participant"), l = number(playlist, "playlist");
    auto [it, fresh] = by_participant.try_emplace(p);
    auto& [order, rows] = it->second;
    if (fresh) {
      order.participant = p;
      order.playlist = l;
      order.line = csv.line();
    } else if (order.playlist != l) {
      detail::fail_at(fn, path, csv.line(), csv.field_column(playlist), "participant ", p, " is in playlist ",
                      order.playlist, " on line ", order.line, " and in playlist ", l, " here");
    }
    const std::string_view name = csv[id];
    if (name.empty()) detail::fail_at(fn, path, csv.line(), csv.field_column(id), "empty stimulus id");
    rows.push_back({number(position, "position"), csv.line(), std::string(name)});
  }
  std::vector<participant_order> out;
  for (auto& [p, entry] : by_participant) {
    auto& [order, rows] = entry;
    std::stable_sort(rows.begin(), rows.end(), [](const row& a, const row& b) { return a.position < b.position; });
    std::map<std::string, std::uint64_t> seen;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      if (rows[k].position < k)
        detail::fail_at(fn, path, rows[k].line, 0, "participant ", p, ": position ", rows[k].position,
                        " is given twice");
      if (rows[k].position > k)
        detail::fail_at(fn, path, rows[k].line, 0, "participant ", p, ": position ", rows[k].position,
                        " follows a missing position ", k);
      if (!seen.emplace(rows[k].id, rows[k].line).second)
        detail::fail_at(fn, path, rows[k].line, 0, "participant ", p, ": stimulus '", rows[k].id,
                        "' is shown twice (first on line ", seen[rows[k].id], ")");
      order.ids.push_back(rows[k].id);
    }
    out.push_back(std::move(order));
  }
  return out;
}

/// One button of the rating question: the text shown and the category it stands for.
struct experiment_button {
  std::string label;
  std::string category;
};

/// The paper's seven buttons in its alphabetical display order (Lévêque et al. 2022, section 3.3:
/// Anger, Disgust, Fear, Happiness, Neutral, Sadness, Surprise), categories in FER-2013's names.
inline std::vector<experiment_button> disfer_buttons() {
  std::vector<experiment_button> b;
  for (const emotion e : alphabetical_order) {
    std::string label(name(e, vocabulary::paper));
    label[0] = static_cast<char>(label[0] - 'a' + 'A');
    b.push_back({label, std::string(name(e))});
  }
  return b;
}

/// One instructed attention check: shown after `after` ratings, it asks for button `expected`
/// over the image of stimulus `image`.
struct attention_check {
  std::size_t after = 0;
  std::size_t expected = 0;
  std::string image;
};

/// One presentation order as the experiment shows it.
struct experiment_order {
  std::uint64_t order_id = 0;  ///< participant_order::participant
  std::vector<std::string> ids;
  std::vector<attention_check> checks;  ///< by `after`, ascending
};

/// One playlist with its orders (the URL's `order` indexes `orders`).
struct experiment_playlist {
  std::uint64_t playlist = 0;
  std::vector<experiment_order> orders;
};

/// Options of plan_experiment.
struct experiment_options {
  std::vector<experiment_button> buttons = disfer_buttons();
  /// Checks per participant (Prolific allows at least one; two let a single slip be forgiven).
  std::size_t attention_checks = 2;
  /// Ratings before each check; empty: evenly spaced, check c after round((c + 1) n / (checks + 1)).
  std::vector<std::size_t> attention_after;
  std::uint64_t seed = 2022;
};

/// What the browser runs: window.DISFER_STUDY (docs/experiment.md).
struct experiment_study {
  std::string title = "Facial expressions";
  std::vector<experiment_button> buttons;
  std::vector<experiment_playlist> playlists;
  std::map<std::string, std::string> texts;  ///< consent, instructions, completion, attention (HTML)
  std::string save_mode = "download";        ///< post, datapipe or download
  std::string save_url;                      ///< post: where the CSV goes (relative or absolute)
  std::string datapipe_id;                   ///< datapipe: DataPipe's experiment id
  std::string assignment = "url";            ///< url, datapipe or prolific-hash
  std::string completion_code;               ///< Prolific's; empty: no redirect
  std::string image_folder = "images";
  std::string image_extension = ".png";
};

/// The experiment of a design: every order of `orders`, grouped by playlist (ascending), with
/// `options.attention_checks` checks each. A check's button is uniform over the buttons and its
/// image a stimulus of `stimulus_ids` outside the order (so that no participant sees a face of
/// their own playlist twice), both drawn from the stream (seed, order number,
/// purpose::attention_check), independent of every other draw. O(orders x stimuli). Throws
/// disfer::error (named `plan_experiment`) for an order naming a stimulus not in `stimulus_ids`,
/// fewer than 2 buttons, a position in attention_after beyond the order's length or not
/// ascending, attention_after given with a size other than attention_checks, and checks asked for
/// when every stimulus is in one order.
inline experiment_study plan_experiment(const std::vector<participant_order>& orders,
                                        const std::vector<std::string>& stimulus_ids,
                                        const experiment_options& options = {}) {
  constexpr const char* fn = "plan_experiment";
  const std::size_t buttons = options.buttons.size();
  if (buttons < 2) detail::fail(fn, options.buttons.size(), " buttons; at least 2 are needed");
  if (!options.attention_after.empty() && options.attention_after.size() != options.attention_checks)
    detail::fail(fn, options.attention_after.size(), " check positions for ", options.attention_checks,
                 " attention checks");
  for (std::size_t c = 1; c < options.attention_after.size(); ++c)
    if (options.attention_after[c] < options.attention_after[c - 1])
      detail::fail(fn, "the check positions must be ascending (", options.attention_after[c - 1], " then ",
                   options.attention_after[c], ")");
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < stimulus_ids.size(); ++i) index.emplace(stimulus_ids[i], i);
  experiment_study study;
  study.buttons = options.buttons;
  std::map<std::uint64_t, experiment_playlist> playlists;
  std::vector<std::uint8_t> in_order(stimulus_ids.size());
  for (const auto& o : orders) {
    std::fill(in_order.begin(), in_order.end(), 0);
    for (const auto& id : o.ids) {
      const auto it = index.find(id);
      if (it == index.end())
        detail::fail(fn, "order ", o.participant, " (playlist ", o.playlist, ") shows '", id,
                     "', which is not a stimulus of the manifest");
      in_order[it->second] = 1;
    }
    experiment_order e;
    e.order_id = o.participant;
    e.ids = o.ids;
    std::vector<std::size_t> others;
    for (std::size_t i = 0; i < stimulus_ids.size(); ++i)
      if (!in_order[i]) others.push_back(i);
    if (options.attention_checks > 0 && others.empty())
      detail::fail(fn, "order ", o.participant,
                   " shows every stimulus, so no attention check can use a face it "
                   "does not rate; ask for no checks");
    random_cursor draw(stream_key{options.seed, o.participant, purpose::attention_check});
    const std::size_t n = o.ids.size();
    for (std::size_t c = 0; c < options.attention_checks; ++c) {
      attention_check a;
      if (options.attention_after.empty()) {
        a.after = ((c + 1) * n * 2 + options.attention_checks + 1) / (2 * (options.attention_checks + 1));
      } else {
        a.after = options.attention_after[c];
        if (a.after > n)
          detail::fail(fn, "check ", c + 1, " after ", a.after, " ratings, but order ", o.participant, " has ", n);
      }
      a.expected = static_cast<std::size_t>(draw.next_below(buttons));
      a.image = stimulus_ids[others[static_cast<std::size_t>(draw.next_below(others.size()))]];
      e.checks.push_back(std::move(a));
    }
    auto& p = playlists[o.playlist];
    p.playlist = o.playlist;
    p.orders.push_back(std::move(e));
  }
  for (auto& [k, p] : playlists) study.playlists.push_back(std::move(p));
  return study;
}

/// Writes `study` as JavaScript, `window.DISFER_STUDY = {...};` (the schema of docs/experiment.md,
/// "format": "disfer-experiment 1"), image paths `<image_folder>/<id><image_extension>`. The bytes
/// depend on `study` only. Throws disfer::error (named `write_experiment_study_js`) for a save mode
/// or assignment it does not know, post without a URL, datapipe (save or assignment) without an
/// experiment id, a study without playlists, a completion code that is not letters and digits,
/// and a check whose button is out of range.
inline void write_experiment_study_js(std::ostream& out, const experiment_study& study) {
  constexpr const char* fn = "write_experiment_study_js";
  const auto one_of = [](const std::string& v, std::initializer_list<const char*> allowed) {
    return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return v == a; });
  };
  if (!one_of(study.save_mode, {"post", "datapipe", "download"}))
    detail::fail(fn, "save mode '", study.save_mode, "' is not post, datapipe or download");
  if (!one_of(study.assignment, {"url", "datapipe", "prolific-hash"}))
    detail::fail(fn, "assignment '", study.assignment, "' is not url, datapipe or prolific-hash");
  if (study.save_mode == "post" && study.save_url.empty()) detail::fail(fn, "save mode post needs a URL");
  if ((study.save_mode == "datapipe" || study.assignment == "datapipe") && study.datapipe_id.empty())
    detail::fail(fn, "DataPipe (save or assignment) needs its experiment id");
  if (study.playlists.empty()) detail::fail(fn, "the study has no playlist");
  for (const char c : study.completion_code)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
      detail::fail(fn, "the completion code '", study.completion_code, "' is not letters and digits only");
  const auto image = [&](const std::string& id) { return study.image_folder + "/" + id + study.image_extension; };
  std::ostringstream body;
  json_writer j(body);
  j.begin_object();
  j.key("format").value("disfer-experiment 1");
  j.key("title").value(study.title);
  j.key("buttons").begin_array();
  for (const auto& b : study.buttons) {
    j.begin_object();
    j.key("label").value(b.label);
    j.key("category").value(b.category);
    j.end_object();
  }
  j.end_array();
  j.key("playlists").begin_array();
  for (const auto& p : study.playlists) {
    j.begin_object();
    j.key("playlist").value(static_cast<std::uint64_t>(p.playlist));
    j.key("orders").begin_array();
    for (const auto& o : p.orders) {
      j.begin_object();
      j.key("order_id").value(static_cast<std::uint64_t>(o.order_id));
      j.key("trials").begin_array();
      for (const auto& id : o.ids) {
        j.begin_object();
        j.key("id").value(id);
        j.key("image").value(image(id));
        j.end_object();
      }
      j.end_array();
      j.key("checks").begin_array();
      for (const auto& c : o.checks) {
        if (c.expected >= study.buttons.size())
          detail::fail(fn, "order ", o.order_id, ": a check asks for button ", c.expected, " of ",
                       study.buttons.size());
        j.begin_object();
        j.key("after").value(static_cast<std::uint64_t>(c.after));
        j.key("expected").value(static_cast<std::uint64_t>(c.expected));
        j.key("image").value(image(c.image));
        j.end_object();
      }
      j.end_array();
      j.end_object();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();
  j.key("texts").begin_object();
  for (const auto& [k, v] : study.texts) j.key(k).value(v);
  j.end_object();
  j.key("save").begin_object();
  j.key("mode").value(study.save_mode);
  j.key("url").value(study.save_url);
  j.key("experiment_id").value(study.datapipe_id);
  j.end_object();
  j.key("prolific").begin_object();
  j.key("completion_code").value(study.completion_code);
  j.end_object();
  j.key("assignment").value(study.assignment);
  j.end_object();
  std::string text = body.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  out << "// Written by disfer's make_experiment (design/experiment.hpp); edit the texts with its options.\n"
      << "window.DISFER_STUDY = " << text << ";\n";
}

}  // namespace disfer
