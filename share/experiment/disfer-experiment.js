/* The timeline of a disfer experiment (issue 21; docs/experiment.md). Plain browser JavaScript for
 * jsPsych 8.3, no build step: index.html loads jsPsych and its plugins (jspsych/), then
 * disfer-study.js (window.DISFER_STUDY, written by make_experiment), then this file.
 *
 * One participant rates one pre-drawn presentation order of one playlist, in exactly that order
 * (nothing is shuffled here): consent ("I agree"; leaving the page ends), instructions, preload,
 * the rating trials with the instructed attention checks at their pre-drawn places (each check is a
 * rating screen whose question asks for one named button), saving (POST, DataPipe or a download;
 * retried, with a visible error and a retry button when it fails), then the completion page and,
 * with a Prolific completion code, the redirect to Prolific, which happens only once the data are
 * saved.
 *
 * Assignment (window.DISFER_STUDY.assignment):
 *   URL ?playlist=P&order=O    always wins (P: a "playlist" number, O: 0-based index into its orders);
 *   "datapipe"                 otherwise c = jsPsychPipe.getCondition(save.experiment_id),
 *                              playlist = playlists[c % P], order = floor(c / P) % N;
 *   "prolific-hash"            playlist from the URL (one Prolific study per playlist), order, when
 *                              not given, = FNV-1a 32 (UTF-8 bytes of PROLIFIC_PID) % N;
 *   "url"                      both must be in the URL.
 * Anything else shows an error page naming what is missing.
 *
 * Every row (jsPsych.data.addProperties): disfer_format, disfer_participant (PROLIFIC_PID, else a
 * random id made at start), PROLIFIC_PID, STUDY_ID, SESSION_ID (empty when absent), disfer_playlist,
 * disfer_order, disfer_order_id. Ratings add disfer_task "rating", disfer_id, disfer_position;
 * checks disfer_task "attention", disfer_position (index among the checks), disfer_after,
 * disfer_expected; both add disfer_category (the category of the clicked button). jsPsych's own
 * columns: stimulus (the image path), response (0-based button index), rt (ms).
 *
 * Tests: window.DISFER_SIMULATE = {mode: "data-only", options: {...}, redirect(url), backoff_ms: [..]},
 * set before this file runs, makes the page call jsPsych.simulate instead of jsPsych.run, hands the
 * Prolific redirect to redirect() and shortens the waits between save attempts (tests/experiment).
 * window.DisferExperiment exposes the pieces (fnv1a32, assign, buildTimeline, start) and, once
 * started, the jsPsych instance and the assignment. */
(function () {
  "use strict";
  var FORMAT = "disfer-experiment 1";
  var DEFAULT_QUESTION = "<p>Which emotion does this face show?</p>";
  var SAVE_ATTEMPTS = 3;          // automatic attempts per click of "Try again"
  var SAVE_BACKOFF_MS = [1000, 2000];
  var REDIRECT_DELAY_MS = 2000;   // the completion page is read before Prolific's page replaces it
  var api = {format: FORMAT};

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  // FNV-1a, 32 bits, over the UTF-8 bytes of s (offset basis 2166136261, prime 16777619).
  function fnv1a32(s) {
    var h = 0x811c9dc5;
    var bytes = [];
    for (var i = 0; i < s.length; i++) {
      var c = s.codePointAt(i);
      if (c > 0xffff) i++;
      if (c < 0x80) bytes.push(c);
      else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    for (var j = 0; j < bytes.length; j++) {
      h ^= bytes[j];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }
  api.fnv1a32 = fnv1a32;

  function isIndex(v) {
    return typeof v === "string" && /^[0-9]{1,9}$/.test(v);
  }

  // Playlist and order of this participant: {playlist, order (index), how} or {error}.
  // params: {playlist, order, PROLIFIC_PID} (strings or undefined); condition: DataPipe's, or null.
  function assign(study, params, condition) {
    var playlists = study.playlists || [];
    if (!playlists.length) return {error: "the study has no playlists"};
    var numbers = playlists.map(function (p) { return p.playlist; });
    var named = params.playlist !== undefined && params.playlist !== "";
    var ordered = params.order !== undefined && params.order !== "";
    function byNumber(text) {
      if (!isIndex(text)) return null;
      var n = Number(text);
      for (var i = 0; i < playlists.length; i++)
        if (playlists[i].playlist === n) return playlists[i];
      return null;
    }
    function orderOf(playlist, text) {
      if (!isIndex(text) || Number(text) >= playlist.orders.length)
        return {error: "order=" + text + " is not one of the orders of playlist " + playlist.playlist +
                       " (0 to " + (playlist.orders.length - 1) + ")"};
      return {playlist: playlist, order: Number(text)};
    }
    var playlist = null;
    if (named) {
      playlist = byNumber(params.playlist);
      if (!playlist)
        return {error: "playlist=" + params.playlist + " is not a playlist of this study (" +
                       numbers.join(", ") + ")"};
      if (!playlist.orders || !playlist.orders.length)
        return {error: "playlist " + playlist.playlist + " has no presentation orders"};
    }
    if (named && ordered) {
      var r = orderOf(playlist, params.order);
      if (r.error) return r;
      r.how = "url";
      return r;
    }
    if (study.assignment === "datapipe" && !named && !ordered) {
      if (condition === null || condition === undefined || !isFinite(condition) || condition < 0)
        return {error: "DataPipe gave no condition (" + condition + ")"};
      var c = Math.floor(condition);
      var p = playlists[c % playlists.length];
      return {playlist: p, order: Math.floor(c / playlists.length) % p.orders.length, how: "datapipe"};
    }
    if (study.assignment === "prolific-hash" && named && !ordered) {
      var pid = params.PROLIFIC_PID;
      if (!pid) return {error: "the link has no PROLIFIC_PID, from which the order is drawn"};
      return {playlist: playlist, order: fnv1a32(pid) % playlist.orders.length, how: "prolific-hash"};
    }
    if (study.assignment === "prolific-hash")
      return {error: "the link names no playlist (each Prolific study of this experiment links to one " +
                     "playlist: ?playlist=P)"};
    if (study.assignment === "datapipe")
      return {error: "the link names " + (named ? "a playlist but no order" : "an order but no playlist") +
                     " (give both, or neither to let DataPipe assign them)"};
    return {error: "the link names no " + (named ? "order" : ordered ? "playlist" : "playlist and order") +
                   " (?playlist=P&order=O)"};
  }
  api.assign = assign;

  function fill(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  // A file name that every store accepts: the participant id with anything but [A-Za-z0-9_-] as _.
  function safeName(id) {
    return String(id).replace(/[^A-Za-z0-9_-]/g, "_");
  }

  function withQuery(url, key, value) {
    return url + (url.indexOf("?") < 0 ? "?" : "&") + encodeURIComponent(key) + "=" + encodeURIComponent(value);
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  // POST the CSV to url?participant=ID, up to SAVE_ATTEMPTS times; resolves {success, status, error}.
  async function post(url, participant, csv) {
    var last = {success: false, status: null, error: ""};
    for (var attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(SAVE_BACKOFF_MS[Math.min(attempt - 1, SAVE_BACKOFF_MS.length - 1)]);
      try {
        var response = await fetch(withQuery(url, "participant", participant),
                                   {method: "POST", headers: {"Content-Type": "text/csv"}, body: csv});
        last = {success: response.ok, status: response.status, error: response.ok ? "" : "HTTP " + response.status,
                attempts: attempt + 1};
        if (response.ok) return last;
      } catch (e) {
        last = {success: false, status: null, error: String(e && e.message || e), attempts: attempt + 1};
      }
    }
    return last;
  }

  // The whole timeline of one participant. a: the assignment; participant: the id on every row.
  function buildTimeline(jsPsych, study, a, participant) {
    var buttons = study.buttons;
    var labels = buttons.map(function (b) { return b.label; });
    var texts = study.texts || {};
    var order = a.playlist.orders[a.order];
    var trials = order.trials;
    var checks = (order.checks || []).slice();
    var state = {saved: false, failure: ""};
    var question = texts.question || DEFAULT_QUESTION;
    var height = study.image_height || 288;
    checks.forEach(function (c, i) {
      if (!(c.after >= 0 && c.after <= trials.length) || !(c.expected >= 0 && c.expected < buttons.length))
        throw new Error("check " + i + " of order " + order.order_id + " is out of range");
    });
    function category(data) {
      var b = data.response === null || data.response === undefined ? undefined : buttons[data.response];
      data.disfer_category = b ? b.category : "";
    }
    function imageTrial(image, prompt, data) {
      return {type: jsPsychImageButtonResponse, stimulus: image, choices: labels, prompt: prompt,
              button_layout: "flex", stimulus_height: height, data: data, on_finish: category};
    }
    var timeline = [];
    // The pages' HTML is not data: save_trial_parameters keeps it out of every row.
    timeline.push({type: jsPsychHtmlButtonResponse, stimulus: texts.consent || "", choices: ["I agree"],
                   save_trial_parameters: {stimulus: false}});
    timeline.push({
      type: jsPsychInstructions, show_clickable_nav: true, allow_backward: false, button_label_next: "Start",
      pages: [fill(texts.instructions, {emotions: labels.map(escapeHtml).join(", "), count: String(trials.length)})]
    });
    var images = trials.map(function (t) { return t.image; }).concat(checks.map(function (c) { return c.image; }));
    timeline.push({type: jsPsychPreload, images: images,
                   error_message: "<p class='disfer-message'>The images of this study could not be loaded. " +
                                  "Please reload the page; if that does not help, contact the researchers.</p>"});
    var k = 0;
    function addChecks(after) {
      while (k < checks.length && checks[k].after === after) {
        var c = checks[k];
        timeline.push(imageTrial(c.image, fill(texts.attention, {label: escapeHtml(buttons[c.expected].label)}),
                                 {disfer_task: "attention", disfer_position: k, disfer_after: c.after,
                                  disfer_expected: c.expected}));
        k++;
      }
    }
    checks.sort(function (x, y) { return x.after - y.after; });  // stable: the given order among equals
    for (var i = 0; i < trials.length; i++) {
      addChecks(i);
      timeline.push(imageTrial(trials[i].image, question,
                               {disfer_task: "rating", disfer_id: trials[i].id, disfer_position: i}));
    }
    addChecks(trials.length);

    var save = study.save || {mode: "download"};
    var saveTrial;
    if (save.mode === "post") {
      saveTrial = {
        type: jsPsychCallFunction, async: true,
        func: function (done) {
          jsPsych.getDisplayElement().innerHTML =
              "<p class='disfer-message'>Saving your answers. Please do not close this page.</p>";
          post(save.url, participant, jsPsych.data.get().csv()).then(function (r) {
            state.saved = r.success;
            state.failure = r.error;
            done(r);
          });
        }
      };
    } else if (save.mode === "datapipe") {
      saveTrial = {
        type: jsPsychPipe, action: "save", experiment_id: save.experiment_id,
        filename: safeName(participant) + ".csv",
        data_string: function () { return jsPsych.data.get().csv(); },
        on_finish: function (data) {
          state.saved = data.success === true;
          state.failure = data.result && (data.result.message || data.result.error) || "DataPipe refused the data";
        }
      };
    } else if (save.mode === "download") {
      saveTrial = {
        type: jsPsychCallFunction,
        func: function () {
          jsPsych.data.get().localSave("csv", safeName(participant) + ".csv");
          state.saved = true;
          return {success: true};
        }
      };
    } else {
      throw new Error("unknown save mode '" + save.mode + "'");
    }
    var retry = {
      timeline: [{
        type: jsPsychHtmlButtonResponse, choices: ["Try again"], save_trial_parameters: {stimulus: false},
        stimulus: function () {
          return "<div class='disfer-message disfer-error'><h1>Your answers could not be saved</h1>" +
                 "<p>" + escapeHtml(state.failure) + "</p><p>Please check your internet connection, then click " +
                 "<b>Try again</b>. Do not close this page: your answers are kept here until they are saved.</p></div>";
        }
      }],
      conditional_function: function () { return !state.saved; }
    };
    timeline.push({timeline: [saveTrial, retry], loop_function: function () { return !state.saved; }});
    return {timeline: timeline, state: state};
  }
  api.buildTimeline = buildTimeline;

  function showPage(html) {
    var div = document.createElement("div");
    div.className = "disfer-message";
    div.innerHTML = html;
    document.body.replaceChildren(div);
    return div;
  }

  function showError(message, retry) {
    var div = showPage("<div class='disfer-error'><h1>This study cannot start</h1><p>" + escapeHtml(message) +
                       "</p><p>Please check the link you followed, or contact the researchers.</p></div>");
    div.id = "disfer-error";
    if (retry) {
      var b = document.createElement("button");
      b.className = "jspsych-btn";
      b.textContent = "Try again";
      b.addEventListener("click", retry);
      div.appendChild(b);
    }
  }

  function randomId() {
    var bytes = new Uint8Array(8);
    if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(bytes);
    else for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    return "anon-" + Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  async function start() {
    var study = window.DISFER_STUDY;
    var sim = window.DISFER_SIMULATE || null;
    if (!study || study.format !== FORMAT) {
      showError("disfer-study.js is missing or is not a " + FORMAT + " study (found " +
                (study ? JSON.stringify(study.format) : "nothing") + ").");
      return;
    }
    if (study.title) document.title = study.title;
    if (sim && sim.backoff_ms) SAVE_BACKOFF_MS = sim.backoff_ms;
    var finished = null;
    var jsPsych = initJsPsych({
      on_finish: function () {
        // Reached once the save loop is done, so only after the data are saved.
        if (!finished || !finished.saved) return;
        var code = study.prolific && study.prolific.completion_code;
        var html = (study.texts && study.texts.completion) || "<p>Thank you.</p>";
        if (code) {
          var url = "https://app.prolific.com/submissions/complete?cc=" + encodeURIComponent(code);
          html += "<p>You will be returned to Prolific in a moment. If not, <a id='disfer-prolific' href='" +
                  escapeHtml(url) + "'>click here</a> (completion code <b>" + escapeHtml(code) + "</b>).</p>";
          setTimeout(function () { (sim && sim.redirect ? sim.redirect : function (u) { window.location.assign(u); })(url); },
                     sim ? 0 : REDIRECT_DELAY_MS);
        }
        jsPsych.getDisplayElement().innerHTML = "<div class='disfer-message' id='disfer-complete'>" + html + "</div>";
      }
    });
    api.jsPsych = jsPsych;
    var url = function (name) {
      var v = jsPsych.data.getURLVariable(name);
      return v === undefined ? "" : v;
    };
    var params = {playlist: jsPsych.data.getURLVariable("playlist"), order: jsPsych.data.getURLVariable("order"),
                  PROLIFIC_PID: url("PROLIFIC_PID")};
    var condition = null;
    var named = params.playlist !== undefined || params.order !== undefined;
    if (study.assignment === "datapipe" && !named) {
      try {
        condition = await jsPsychPipe.getCondition(study.save && study.save.experiment_id);
      } catch (e) {
        condition = null;
      }
      if (typeof condition !== "number") {
        showError("The study could not be assigned a condition by DataPipe (" + String(condition && condition.message ||
                  condition) + "). Please check your internet connection and try again.", start);
        return;
      }
    }
    var a = assign(study, params, condition);
    if (a.error) {
      showError(a.error.charAt(0).toUpperCase() + a.error.slice(1) + ".");
      return;
    }
    var participant = params.PROLIFIC_PID || randomId();
    var order = a.playlist.orders[a.order];
    jsPsych.data.addProperties({
      disfer_format: FORMAT, disfer_participant: participant, PROLIFIC_PID: params.PROLIFIC_PID,
      STUDY_ID: url("STUDY_ID"), SESSION_ID: url("SESSION_ID"), disfer_playlist: a.playlist.playlist,
      disfer_order: a.order, disfer_order_id: order.order_id
    });
    var built = buildTimeline(jsPsych, study, a, participant);
    finished = built.state;
    api.assignment = {playlist: a.playlist.playlist, order: a.order, order_id: order.order_id, how: a.how,
                      participant: participant};
    if (sim) await jsPsych.simulate(built.timeline, sim.mode || "data-only", sim.options || {});
    else await jsPsych.run(built.timeline);
  }
  api.start = start;
  window.DisferExperiment = api;

  if (!window.DISFER_NO_AUTOSTART) {
    var go = function () {
      api.started = start().catch(function (e) {
        showError("The study stopped with an error: " + (e && e.message || e));
      });
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
    else go();
  }
})();
