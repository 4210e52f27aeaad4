// The motion coach's page. The camera picture stays in the browser: MediaPipe Pose (served by
// this site from /vendor/mediapipe/pose/<digest>/, the page root's data-model) finds 33 body keypoints in each frame, and only those
// numbers go to this server over a WebSocket, which answers with the phase, the count, the hold
// time and any form warning. Nothing is recorded; the camera stops when the set is finished.
//
// The page works without this script (it shows the instructions); when the camera, WebGL,
// WebAssembly or the model are missing, it says so in plain words and offers the guided timer
// instead, which anyone can also choose: the person's dose from their program, worked out by the
// server as timed steps (the #guided section's data-plan), shown and spoken here at the dose's
// pace, with nothing sent until the set is saved. For the browser tests the page root carries
// counters as data attributes (data-frames-sent, data-states-received, data-last-phase,
// data-status, data-guided); nothing else is exposed.
(function () {
  "use strict";

  var root = document.getElementById("coach");
  if (!root) return;
  var $ = function (id) { return document.getElementById(id); };

  // The model's files, under a name that changes with them: kept by the browser for good.
  var VENDOR = root.getAttribute("data-model") || "/vendor/mediapipe/pose/missing/";
  // Landmark indices (MediaPipe Pose).
  var NOSE = 0, L_EAR = 7, R_EAR = 8, L_SHOULDER = 11, R_SHOULDER = 12, L_HIP = 23, R_HIP = 24;
  var L_KNEE = 25, R_KNEE = 26, L_ANKLE = 27, R_ANKLE = 28;
  var BONES = [[11, 12], [11, 13], [13, 15], [12, 14], [14, 16], [11, 23], [12, 24], [23, 24],
    [23, 25], [25, 27], [24, 26], [26, 28], [27, 31], [28, 32]];
  // Do not queue frames behind a slow connection: skip a frame instead.
  var MAX_BUFFERED_BYTES = 16 * 1024;
  var MAX_UNANSWERED = 8;
  var BACK_COLOURS = { ok: "#2e7d32", near: "#e0a100", rounding: "#d32f2f", unknown: "#9e9e9e" };
  var BACK_WORDS = {
    ok: "within your neutral",
    near: "near the limit",
    rounding: "rounding past your neutral",
    unknown: "not judged"
  };
  var PHASE_WORDS = {
    calibrating: "Hold still in the starting position",
    tracking: "Go ahead: counting",
    low_visibility: "Cannot see you well enough: keep your whole body in the picture"
  };

  var exercise = root.getAttribute("data-exercise") || "";
  // The circumstances the page was opened with (pain type, conditions, week of a pregnancy):
  // the server judges the set in the same ones.
  var circumstances = root.getAttribute("data-query") || "";
  var goal = root.getAttribute("data-goal") || "reps";
  var signedIn = root.getAttribute("data-signed-in") === "true";

  var startButton = $("coach-start");
  var recalibrateButton = $("coach-recalibrate");
  var finishButton = $("coach-finish");
  var muteButton = $("coach-mute");
  var statusLine = $("coach-status");
  var stage = $("coach-stage");
  var video = $("coach-video");
  var canvas = $("coach-overlay");
  var live = $("coach-live");
  var warningsBox = $("coach-warnings");
  var summaryBox = $("coach-summary");
  var saveForm = $("coach-save");
  var controls = startButton ? startButton.parentNode : null;
  var guidedBox = $("guided");
  var guidedOffer = $("guided-offer");
  var guidedOpenButton = $("guided-open");
  var guidedStartButton = $("guided-start");
  var guidedPauseButton = $("guided-pause");
  var guidedFinishButton = $("guided-finish");
  var guidedMuteButton = $("guided-mute");
  var guidedCameraButton = $("guided-camera");

  var frame = document.createElement("canvas");
  var counters = { framesSent: 0, statesReceived: 0, framesSkipped: 0, errors: 0 };
  var s = {
    status: "idle",
    stream: null,
    pose: null,
    socket: null,
    running: false,
    startedAt: 0,
    lastT: 0,
    lastSeen: 0,
    back: "unknown",
    side: null,
    phase: "",
    phaseShown: false,
    reps: 0,
    bestHoldMs: 0,
    warnings: 0,
    muted: false,
    spoken: {},
    lastSpokenAt: 0
  };

  function setStatus(status) {
    s.status = status;
    root.setAttribute("data-status", status);
  }
  function publishCounters() {
    root.setAttribute("data-frames-sent", String(counters.framesSent));
    root.setAttribute("data-states-received", String(counters.statesReceived));
    root.setAttribute("data-last-phase", s.phase);
  }
  function say(text) {
    if (statusLine) statusLine.textContent = text;
  }
  function fail(text) {
    setStatus("error");
    say(text);
    if (statusLine) statusLine.classList.add("error");
    stop();
    if (live) live.hidden = true;
    if (s.socket) { s.socket.close(1000, "stopped"); s.socket = null; }
    if (startButton) {
      startButton.hidden = false;
      startButton.disabled = false;
      startButton.textContent = "Try again";
    }
    g.cameraPossible = false;
    offerGuided(true);
  }

  // ---- What this browser can do --------------------------------------------------------------

  function missing() {
    if (!window.WebSocket) return "This browser cannot open a WebSocket, which the coach needs.";
    if (typeof WebAssembly !== "object") {
      return "This browser cannot run WebAssembly, which the pose model needs.";
    }
    var gl = document.createElement("canvas").getContext("webgl2") ||
      document.createElement("canvas").getContext("webgl");
    if (!gl) return "WebGL is turned off or not available in this browser, and the pose model needs it.";
    var lose = gl.getExtension("WEBGL_lose_context");
    if (lose) lose.loseContext(); // only a probe: give the context back
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return window.isSecureContext === false
        ? "Browsers allow the camera only on secure pages: open this site over HTTPS (or on this computer at localhost)."
        : "This browser gives web pages no access to a camera.";
    }
    return null;
  }

  // ---- Speech --------------------------------------------------------------------------------

  var synth = window.speechSynthesis;
  var MUTE_KEY = "spinewise-coach-muted";
  try { s.muted = window.localStorage.getItem(MUTE_KEY) === "1"; } catch (e) { s.muted = false; }

  function renderMute() {
    // A toggle: its name stays, its pressed state says whether the voice is muted.
    [muteButton, guidedMuteButton].forEach(function (b) {
      if (b) b.setAttribute("aria-pressed", s.muted ? "true" : "false");
    });
  }
  function toggleMute() {
    s.muted = !s.muted;
    if (s.muted && synth) synth.cancel();
    try { window.localStorage.setItem(MUTE_KEY, s.muted ? "1" : "0"); } catch (e) { /* private mode */ }
    renderMute();
  }
  function speak(text, urgent) {
    if (s.muted || !synth || typeof SpeechSynthesisUtterance !== "function") return;
    try {
      if (urgent) synth.cancel();
      var u = new SpeechSynthesisUtterance(text);
      u.lang = document.documentElement.lang || "en";
      synth.speak(u);
    } catch (e) { /* no voice: the words are on the screen */ }
  }
  // A warning is spoken at most once every 8 s per kind, and nothing is said twice within 3 s.
  function speakWarning(kind, text) {
    var now = performance.now();
    if (now - (s.spoken[kind] || -1e9) < 8000 || now - s.lastSpokenAt < 3000) return;
    s.spoken[kind] = now;
    s.lastSpokenAt = now;
    speak(text, false);
  }

  // ---- Display -------------------------------------------------------------------------------

  function seconds(ms) { return Math.floor(ms / 1000); }

  function showState(m) {
    var phase = m.phase || "";
    if (phase !== s.phase || !s.phaseShown) {
      s.phase = phase;
      s.phaseShown = true;
      text("coach-phase", PHASE_WORDS[phase] || phase);
    }
    if (typeof m.reps === "number" && m.reps !== s.reps) {
      if (m.reps > s.reps) speak(String(m.reps), true);
      s.reps = m.reps;
    }
    s.bestHoldMs = Math.max(s.bestHoldMs, m.best_hold_ms || 0);
    text("coach-reps", String(s.reps));
    text("coach-hold", seconds(m.hold_ms || 0) + " s");
    text("coach-best-hold", seconds(s.bestHoldMs) + " s");
    s.back = BACK_COLOURS[m.back] ? m.back : "unknown";
    s.side = m.measures && m.measures.side ? m.measures.side : null;
    var backEl = $("coach-back");
    if (backEl) {
      backEl.textContent = BACK_WORDS[s.back];
      backEl.className = "back-" + s.back;
    }
    (m.warnings || []).forEach(function (w) {
      s.warnings += 1;
      addWarning(w.message || String(w.kind));
      speakWarning(w.kind, w.message || String(w.kind));
    });
    publishCounters();
  }

  function addWarning(text) {
    if (!warningsBox) return;
    var item = document.createElement("li");
    var at = new Date();
    var time = document.createElement("span");
    time.className = "when";
    time.textContent = String(at.getHours()).padStart(2, "0") + ":" +
      String(at.getMinutes()).padStart(2, "0") + ":" + String(at.getSeconds()).padStart(2, "0") + " ";
    item.appendChild(time);
    item.appendChild(document.createTextNode(text));
    warningsBox.insertBefore(item, warningsBox.firstChild);
    while (warningsBox.children.length > 5) warningsBox.removeChild(warningsBox.lastChild);
  }

  function point(lm, i) {
    return { x: lm[i].x * canvas.width, y: lm[i].y * canvas.height, v: lm[i].visibility || 0 };
  }
  function mid(a, b) { return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, v: Math.min(a.v, b.v) }; }

  // The overlay shows the very frame the model analysed, then its keypoints on it, so the two
  // line up however slow the model is (the live video underneath shows until the first result).
  function draw(image, lm) {
    var g = canvas.getContext("2d");
    if (!g) return;
    g.clearRect(0, 0, canvas.width, canvas.height);
    if (image) g.drawImage(image, 0, 0, canvas.width, canvas.height);
    if (!lm) return;
    var scale = Math.max(1, canvas.width / 640);
    // The body, faintly: where the model thinks the joints are.
    g.lineWidth = 2 * scale;
    g.strokeStyle = "rgba(255, 255, 255, 0.55)";
    BONES.forEach(function (b) {
      var p = point(lm, b[0]), q = point(lm, b[1]);
      if (p.v < 0.3 || q.v < 0.3) return;
      g.beginPath(); g.moveTo(p.x, p.y); g.lineTo(q.x, q.y); g.stroke();
    });
    // The spine line: mid-hip, mid-shoulder, ear, coloured by the server's judgement of the back.
    var hip = mid(point(lm, L_HIP), point(lm, R_HIP));
    var shoulder = mid(point(lm, L_SHOULDER), point(lm, R_SHOULDER));
    var left = point(lm, L_EAR), right = point(lm, R_EAR);
    var ear = s.side === "left" ? left : s.side === "right" ? right : (left.v >= right.v ? left : right);
    if (ear.v < 0.3) ear = point(lm, NOSE);
    g.lineCap = "round";
    g.lineJoin = "round";
    g.lineWidth = 7 * scale;
    g.strokeStyle = BACK_COLOURS[s.back];
    g.beginPath(); g.moveTo(hip.x, hip.y); g.lineTo(shoulder.x, shoulder.y); g.lineTo(ear.x, ear.y); g.stroke();
    g.fillStyle = BACK_COLOURS[s.back];
    [hip, shoulder, ear].forEach(function (p) {
      g.beginPath(); g.arc(p.x, p.y, 6 * scale, 0, 2 * Math.PI); g.fill();
    });
    [L_KNEE, R_KNEE, L_ANKLE, R_ANKLE].forEach(function (i) {
      var p = point(lm, i);
      if (p.v < 0.3) return;
      g.fillStyle = "rgba(255, 255, 255, 0.8)";
      g.beginPath(); g.arc(p.x, p.y, 4 * scale, 0, 2 * Math.PI); g.fill();
    });
  }

  // ---- The connection ------------------------------------------------------------------------

  // A frame in its compact binary form: the time in milliseconds as a little-endian float64,
  // then x, y, z and visibility of each of the 33 landmarks as little-endian float32.
  var LANDMARKS = 33;
  var FRAME_BYTES = 8 + LANDMARKS * 16;

  function encodeFrame(t, lm) {
    var buffer = new ArrayBuffer(FRAME_BYTES);
    var view = new DataView(buffer);
    view.setFloat64(0, t, true);
    // A coordinate the model did not give goes as NaN, which the server refuses and names; a
    // missing visibility counts as not visible.
    var number = function (v) { return typeof v === "number" ? v : NaN; };
    for (var i = 0; i < LANDMARKS; i++) {
      var p = lm[i] || {};
      var at = 8 + i * 16;
      view.setFloat32(at, number(p.x), true);
      view.setFloat32(at + 4, number(p.y), true);
      view.setFloat32(at + 8, number(p.z), true);
      view.setFloat32(at + 12, typeof p.visibility === "number" ? p.visibility : 0, true);
    }
    return buffer;
  }

  function sendFrame(lm) {
    var ws = s.socket;
    if (!ws || ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > MAX_BUFFERED_BYTES ||
        counters.framesSent - counters.statesReceived - counters.errors > MAX_UNANSWERED) {
      counters.framesSkipped += 1;
      return;
    }
    var t = Math.max(Math.round(performance.now()), s.lastT + 1);
    s.lastT = t;
    ws.send(encodeFrame(t, lm));
    counters.framesSent += 1;
    publishCounters();
  }

  function connect(aspect) {
    return new Promise(function (resolve, reject) {
      var scheme = location.protocol === "https:" ? "wss:" : "ws:";
      var url = scheme + "//" + location.host + "/move/coach/ws?exercise=" +
        encodeURIComponent(exercise) + "&aspect=" + aspect.toFixed(4) +
        (circumstances ? "&" + circumstances : "");
      var ws;
      try { ws = new WebSocket(url); } catch (e) { reject(e); return; }
      var ready = false;
      ws.onmessage = function (event) {
        var m;
        try { m = JSON.parse(event.data); } catch (e) { return; }
        if (m.type === "ready") {
          if (!ready) { ready = true; resolve(ws); }
          showState({ phase: "calibrating", reps: s.reps, hold_ms: 0, best_hold_ms: s.bestHoldMs, back: "unknown" });
        } else if (m.type === "state") {
          counters.statesReceived += 1;
          showState(m);
        } else if (m.type === "summary") {
          finished(m);
        } else if (m.type === "error") {
          counters.errors += 1;
          root.setAttribute("data-errors-received", String(counters.errors));
          if (window.console) console.warn("motion coach:", m.message);
        }
      };
      ws.onerror = function () {
        if (!ready) reject(new Error("no connection"));
      };
      ws.onclose = function (event) {
        if (!ready) { reject(new Error("closed")); return; }
        if (s.socket === ws) s.socket = null;
        if (s.status === "running") {
          finished(null, event.reason
            ? "The server ended the session (" + event.reason + ")."
            : "The connection to the server was lost.");
        }
      };
    });
  }

  // ---- The model -----------------------------------------------------------------------------

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (typeof window.Pose === "function") { resolve(); return; }
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = function () { resolve(); };
      tag.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(tag);
    });
  }

  function loadModel() {
    var t0 = performance.now();
    return loadScript(VENDOR + "pose.js").then(function () {
      if (typeof window.Pose !== "function") throw new Error("pose.js defines no Pose");
      var pose = new window.Pose({ locateFile: function (file) { return VENDOR + file; } });
      pose.setOptions({
        modelComplexity: 1,
        smoothLandmarks: true,
        enableSegmentation: false,
        minDetectionConfidence: 0.5,
        minTrackingConfidence: 0.5
      });
      pose.onResults(function (results) {
        if (!s.running) return;
        var lm = results.poseLandmarks && results.poseLandmarks.length === 33 ? results.poseLandmarks : null;
        var now = performance.now();
        draw(frame, lm);
        if (lm) {
          s.lastSeen = now;
          sendFrame(lm);
        } else if (now - s.lastSeen > 3000) {
          text("coach-phase", "No one in the picture: step back until your whole body is in view");
          s.phaseShown = false;
        }
      });
      return pose.initialize().then(function () {
        root.setAttribute("data-model-ms", String(Math.round(performance.now() - t0)));
        return pose;
      });
    });
  }

  // One frame at a time: the next is taken when the model has answered the last.
  function loop() {
    if (!s.running) return;
    var next = function () {
      if (!s.running) return;
      if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(loop);
      else window.requestAnimationFrame(loop);
    };
    // Only live frames: none yet, or the picture is paused (nothing new to analyse).
    if (video.readyState < 2 || video.paused) { next(); return; }
    // The frame is copied first, so that the very picture analysed can be shown with its result.
    if (frame.width !== video.videoWidth || frame.height !== video.videoHeight) {
      frame.width = video.videoWidth;
      frame.height = video.videoHeight;
    }
    frame.getContext("2d").drawImage(video, 0, 0, frame.width, frame.height);
    s.pose.send({ image: frame }).then(next, function (e) {
      fail("The pose model stopped working in this browser (" + (e && e.message ? e.message : e) + ").");
    });
  }

  // ---- Start, recalibrate, finish ------------------------------------------------------------

  function cameraProblem(e) {
    var name = e && e.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return "The camera was not allowed. To use the coach, allow this site to use the camera in the browser's settings, then try again.";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError") return "No camera was found on this device.";
    if (name === "NotReadableError" || name === "AbortError") {
      return "The camera is in use by another program or could not be started.";
    }
    return "The camera could not be started" + (e && e.message ? " (" + e.message + ")." : ".");
  }

  function start() {
    var why = missing();
    if (why) { fail(why); return; }
    startButton.disabled = true;
    if (statusLine) statusLine.classList.remove("error");
    if (summaryBox) summaryBox.hidden = true;
    if (saveForm) saveForm.hidden = true;
    setStatus("starting");
    if (guidedOffer) guidedOffer.hidden = true;
    say("Starting the camera…");
    s.reps = 0; s.bestHoldMs = 0; s.warnings = 0; s.phase = ""; s.back = "unknown";
    counters.framesSent = 0; counters.statesReceived = 0; counters.framesSkipped = 0; counters.errors = 0;
    if (warningsBox) warningsBox.textContent = "";
    publishCounters();
    navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }
    }).then(function (stream) {
      s.stream = stream;
      video.srcObject = stream;
      stage.hidden = false;
      return video.play();
    }, function (e) {
      throw new Error(cameraProblem(e));
    }).then(function () {
      canvas.width = video.videoWidth || 640;
      canvas.height = video.videoHeight || 480;
      say("Loading the pose model (about 12 MB the first time)…");
      setStatus("loading");
      return s.pose ? s.pose : loadModel().catch(function (e) {
        throw new Error("The pose model could not start in this browser: it needs WebAssembly and WebGL (" +
          (e && e.message ? e.message : e) + ").");
      });
    }).then(function (pose) {
      s.pose = pose;
      // Connect once the model is ready: the server closes a connection that stays silent.
      return connect(canvas.width / canvas.height).catch(function () {
        throw new Error("Could not connect to the coach on this server. Check the connection and try again.");
      });
    }).then(function (socket) {
      s.socket = socket;
      if (!s.stream) { socket.close(1000, "stopped"); return; } // the page was left meanwhile
      s.running = true;
      s.startedAt = Date.now();
      s.lastSeen = performance.now();
      setStatus("running");
      say("Running. Only the 33 body keypoints of each frame are sent; the picture stays on this device.");
      startButton.hidden = true;
      recalibrateButton.hidden = false;
      finishButton.hidden = false;
      live.hidden = false;
      loop();
    }).catch(function (e) {
      fail(e && e.message ? e.message : String(e));
    });
  }

  function stop() {
    s.running = false;
    if (s.stream) {
      s.stream.getTracks().forEach(function (t) { t.stop(); });
      s.stream = null;
    }
    if (video) video.srcObject = null;
    if (canvas) draw(null, null);
    if (stage) stage.hidden = true;
    if (recalibrateButton) recalibrateButton.hidden = true;
    if (finishButton) finishButton.hidden = true;
  }

  function recalibrate() {
    if (s.socket && s.socket.readyState === WebSocket.OPEN) {
      s.socket.send(JSON.stringify({ cmd: "recalibrate" }));
      say("Calibrating again: hold still in the starting position.");
    }
  }

  function finish() {
    if (s.status !== "running") return;
    setStatus("finishing");
    s.running = false;
    finishButton.disabled = true;
    var ws = s.socket;
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ cmd: "finish" }));
      // The server answers at once; if it does not, show what the page saw.
      window.setTimeout(function () { if (s.status === "finishing") finished(null); }, 5000);
    } else {
      finished(null);
    }
  }

  function text(id, value) { var el = $(id); if (el) el.textContent = value; }

  function finished(summary, note) {
    if (s.status === "finished") return;
    var elapsed = s.startedAt ? Date.now() - s.startedAt : 0;
    stop();
    setStatus("finished");
    if (finishButton) finishButton.disabled = false;
    startButton.hidden = false;
    startButton.disabled = false;
    startButton.textContent = "Start a new set";
    live.hidden = true;
    if (s.socket && s.socket.readyState === WebSocket.OPEN) s.socket.close(1000, "finished");
    s.socket = null;

    var reps = summary ? summary.reps : s.reps;
    var holdS = seconds(summary ? summary.best_hold_ms : s.bestHoldMs);
    var warnings = s.warnings;
    var kinds = [];
    if (summary && summary.warnings) {
      warnings = 0;
      Object.keys(summary.warnings).forEach(function (k) {
        warnings += summary.warnings[k];
        kinds.push(k.replace(/_/g, " ") + ": " + summary.warnings[k]);
      });
    }
    showRows({ reps: true, hold: true, minutes: false, warnings: true });
    text("coach-sum-reps", String(reps));
    text("coach-sum-rejected", summary && summary.rejected_reps
      ? " (" + summary.rejected_reps + " more too small or too quick to count)" : "");
    text("coach-sum-hold", holdS + " s");
    text("coach-sum-warnings", String(warnings) + (kinds.length ? " (" + kinds.join(", ") + ")" : ""));
    text("coach-sum-frames", summary
      ? (summary.frames - summary.skipped) + " of " + summary.frames + " frames used"
      : counters.framesSent + " frames sent; the server's totals were not received");
    text("coach-sum-note", note || "");
    say(note || "Set finished. The camera is off.");
    summaryBox.hidden = false;
    summaryBox.focus();
    offerGuided(false);

    if (signedIn && saveForm) {
      var minutes = Math.min(600, Math.max(1, Math.round(elapsed / 60000)));
      saveForm.elements.namedItem("mode").value = "camera";
      saveForm.elements.namedItem("reps").value = goal === "reps" ? String(reps) : "";
      saveForm.elements.namedItem("hold_s").value = goal === "hold" ? String(holdS) : "";
      saveForm.elements.namedItem("warnings").value = String(warnings);
      saveForm.elements.namedItem("minutes").value = String(minutes);
      saveForm.elements.namedItem("entry_id").value = uuid();
      saveForm.hidden = false;
    }
  }

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // ---- The guided timer ---------------------------------------------------------------------
  //
  // The plan's steps run one after another against the clock (Date.now), so that a tab the
  // browser slowed down catches up instead of drifting: each tick moves on by the time that has
  // passed, through as many steps as it covers. The phase (round, side, rest) is announced to
  // screen readers when it changes; the seconds are shown, never announced.

  var plan = null;
  if (guidedBox) {
    try { plan = JSON.parse(guidedBox.getAttribute("data-plan") || "null"); } catch (e) { plan = null; }
  }
  var TICK_MS = 250;
  var g = {
    status: "closed",
    index: 0,
    inStepMs: 0,
    doneMs: 0,
    activeMs: 0,
    last: 0,
    reps: 0,
    bestHoldMs: 0,
    timer: null,
    phase: "",
    wakeLock: null,
    cameraPossible: false
  };
  var totalMs = 0;
  if (plan && plan.steps) plan.steps.forEach(function (step) { totalMs += step.s * 1000; });

  function setGuided(status) {
    g.status = status;
    root.setAttribute("data-guided", status);
  }

  function clock(ms) {
    var secs = Math.max(0, Math.ceil(ms / 1000));
    if (secs < 60) return String(secs);
    var m = Math.floor(secs / 60), r = secs % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }
  function minutesAndSeconds(ms) {
    var secs = Math.max(0, Math.floor(ms / 1000));
    var r = secs % 60;
    return Math.floor(secs / 60) + ":" + (r < 10 ? "0" : "") + r;
  }

  /** Shows the guided timer as an alternative: `primary` when the camera coach did not run. */
  function offerGuided(primary) {
    if (!guidedOffer || !plan || g.status !== "closed") return;
    guidedOffer.hidden = false;
    var line = $("guided-offer-text");
    if (line) line.hidden = !primary;
    guidedOpenButton.textContent = primary ? "Follow a guided timer instead" : "No camera? Follow a guided timer";
    guidedOpenButton.classList.toggle("secondary", !primary);
  }

  function showRows(rows) {
    [["coach-sum-reps-row", rows.reps], ["coach-sum-hold-row", rows.hold],
      ["coach-sum-minutes-row", rows.minutes], ["coach-sum-warnings-row", rows.warnings]].forEach(function (r) {
      var el = $(r[0]);
      if (el) el.hidden = !r[1];
    });
  }

  function openGuided() {
    if (!plan || !guidedBox) return;
    if (s.status === "running" || s.status === "starting" || s.status === "loading") return;
    if (controls) controls.hidden = true;
    if (statusLine) statusLine.hidden = true;
    if (guidedOffer) guidedOffer.hidden = true;
    if (summaryBox) summaryBox.hidden = true;
    if (saveForm) saveForm.hidden = true;
    var row = $("guided-reps-row");
    if (row) row.hidden = !plan.counts_reps;
    row = $("guided-hold-row");
    if (row) row.hidden = !plan.holds;
    guidedBox.hidden = false;
    root.classList.add("guided-mode");
    resetGuided();
    setGuided("ready");
    guidedStartButton.hidden = false;
    guidedStartButton.textContent = "Start the timer";
    guidedStartButton.classList.remove("secondary");
    guidedPauseButton.hidden = true;
    guidedFinishButton.hidden = true;
    if (guidedMuteButton) guidedMuteButton.hidden = !synth;
    if (guidedCameraButton) guidedCameraButton.hidden = !g.cameraPossible;
    renderGuided();
    guidedBox.setAttribute("tabindex", "-1");
    if (guidedBox.scrollIntoView) guidedBox.scrollIntoView({ block: "start" });
    guidedBox.focus({ preventScroll: true });
  }

  function closeGuided() {
    stopTicking();
    setGuided("closed");
    guidedBox.hidden = true;
    root.classList.remove("guided-mode");
    if (summaryBox) summaryBox.hidden = true;
    if (saveForm) saveForm.hidden = true;
    if (controls) controls.hidden = false;
    if (statusLine) statusLine.hidden = false;
    offerGuided(false);
    if (startButton && !startButton.hidden) startButton.focus();
  }

  function resetGuided() {
    var now = $("guided-now"), readout = $("guided-readout");
    if (now) now.hidden = false;
    if (readout) readout.hidden = false;
    g.index = 0;
    g.inStepMs = 0;
    g.doneMs = 0;
    g.activeMs = 0;
    g.reps = 0;
    g.bestHoldMs = 0;
    g.phase = "";
    text("guided-phase", "");
  }

  function step() { return plan.steps[Math.min(g.index, plan.steps.length - 1)]; }

  function renderGuided() {
    var now = step();
    var kind = now.kind;
    var box = $("guided-now");
    if (box) box.className = "guided-now guided-" + kind;
    text("guided-step", now.title);
    text("guided-detail", now.detail);
    text("guided-clock", kind === "done" ? "✓" : clock(now.s * 1000 - g.inStepMs));
    var bar = $("guided-progress");
    if (bar) bar.value = totalMs ? Math.min(1, (g.doneMs + g.inStepMs) / totalMs) : 0;
    text("guided-reps", String(g.reps));
    var best = g.bestHoldMs;
    if (kind === "hold") best = Math.max(best, g.inStepMs);
    text("guided-best-hold", seconds(best) + " s");
    text("guided-elapsed", minutesAndSeconds(g.activeMs));
    root.setAttribute("data-guided-step", kind);
  }

  // A new step: its phase announced when it changed, its words spoken.
  function enterStep() {
    var now = step();
    if (now.phase !== g.phase) {
      g.phase = now.phase;
      text("guided-phase", now.phase);
    }
    speak(now.say, true);
  }

  function advance(ms) {
    var entered = false;
    while (ms > 0 && step().kind !== "done") {
      var now = step();
      var left = now.s * 1000 - g.inStepMs;
      if (ms < left) {
        g.inStepMs += ms;
        g.activeMs += ms;
        ms = 0;
        break;
      }
      ms -= left;
      g.activeMs += left;
      if (now.rep) g.reps += 1;
      if (now.kind === "hold") g.bestHoldMs = Math.max(g.bestHoldMs, now.s * 1000);
      g.doneMs += now.s * 1000;
      g.index += 1;
      g.inStepMs = 0;
      entered = true;
    }
    // Only the step reached is announced: a tab that slept does not read out what it missed.
    if (entered) enterStep();
    renderGuided();
    if (step().kind === "done") finishGuided(true);
  }

  function tick() {
    var now = Date.now();
    var ms = Math.max(0, now - g.last);
    g.last = now;
    if (g.status === "running") advance(ms);
  }

  function startTicking() {
    stopTicking();
    g.last = Date.now();
    g.timer = window.setInterval(tick, TICK_MS);
    if (navigator.wakeLock && typeof navigator.wakeLock.request === "function") {
      navigator.wakeLock.request("screen").then(function (lock) { g.wakeLock = lock; }, function () {});
    }
  }
  function stopTicking() {
    if (g.timer !== null) window.clearInterval(g.timer);
    g.timer = null;
    if (g.wakeLock) { g.wakeLock.release().catch(function () {}); g.wakeLock = null; }
  }

  function startGuided() {
    resetGuided();
    if (summaryBox) summaryBox.hidden = true;
    if (saveForm) saveForm.hidden = true;
    setGuided("running");
    guidedStartButton.hidden = true;
    guidedStartButton.classList.remove("secondary");
    guidedPauseButton.hidden = false;
    guidedPauseButton.textContent = "Pause";
    guidedFinishButton.hidden = false;
    if (guidedCameraButton) guidedCameraButton.hidden = true;
    enterStep();
    renderGuided();
    startTicking();
    guidedPauseButton.focus();
  }

  function pauseGuided() {
    if (g.status === "running") {
      tick();
      if (g.status !== "running") return;
      stopTicking();
      setGuided("paused");
      guidedPauseButton.textContent = "Resume";
      text("guided-phase", "Paused");
      if (synth) synth.cancel();
    } else if (g.status === "paused") {
      setGuided("running");
      guidedPauseButton.textContent = "Pause";
      g.phase = step().phase;
      text("guided-phase", g.phase);
      speak(step().say, true);
      startTicking();
    }
  }

  function finishGuided(completed) {
    if (g.status !== "running" && g.status !== "paused") return;
    if (g.status === "running" && !completed) tick();
    stopTicking();
    setGuided("finished");
    if (!completed) {
      // What was held so far counts as held.
      if (step().kind === "hold") g.bestHoldMs = Math.max(g.bestHoldMs, g.inStepMs);
      speak("Stopped. " + (plan.counts_reps ? g.reps + " repetitions done." : ""), true);
    }
    renderGuided();
    // The summary below says what was done; the timer keeps only its dose and buttons.
    var now = $("guided-now"), readout = $("guided-readout");
    if (now) now.hidden = true;
    if (readout) readout.hidden = true;
    guidedPauseButton.hidden = true;
    guidedFinishButton.hidden = true;
    guidedStartButton.hidden = false;
    guidedStartButton.textContent = "Start again";
    // Saving what was done comes first now.
    guidedStartButton.classList.add("secondary");
    if (guidedCameraButton) guidedCameraButton.hidden = !g.cameraPossible;

    var holdS = seconds(g.bestHoldMs);
    var minutes = Math.min(600, Math.max(1, Math.round(g.activeMs / 60000)));
    showRows({ reps: plan.counts_reps, hold: plan.holds, minutes: true, warnings: false });
    text("coach-sum-reps", String(g.reps));
    text("coach-sum-rejected", "");
    text("coach-sum-hold", holdS + " s");
    text("coach-sum-minutes", String(minutes));
    text("coach-sum-frames", completed ? "Every step of the set was done." :
      "Stopped after " + minutesAndSeconds(g.activeMs) + " of about " + minutesAndSeconds(totalMs) + ".");
    text("coach-sum-note", "Followed with the guided timer: no camera, and nothing was sent while it ran.");
    if (summaryBox) {
      summaryBox.hidden = false;
      summaryBox.focus();
    }
    if (signedIn && saveForm) {
      saveForm.elements.namedItem("mode").value = "guided";
      saveForm.elements.namedItem("reps").value = plan.counts_reps ? String(g.reps) : "";
      saveForm.elements.namedItem("hold_s").value = plan.holds ? String(holdS) : "";
      saveForm.elements.namedItem("warnings").value = "0";
      saveForm.elements.namedItem("minutes").value = String(minutes);
      saveForm.elements.namedItem("entry_id").value = uuid();
      saveForm.hidden = false;
    }
  }

  // ---- Wiring --------------------------------------------------------------------------------

  setStatus("idle");
  publishCounters();
  renderMute();
  if (plan) {
    setGuided("closed");
    guidedOpenButton.addEventListener("click", openGuided);
    guidedStartButton.addEventListener("click", startGuided);
    guidedPauseButton.addEventListener("click", pauseGuided);
    guidedFinishButton.addEventListener("click", function () { finishGuided(false); });
    if (guidedMuteButton) guidedMuteButton.addEventListener("click", toggleMute);
    if (guidedCameraButton) guidedCameraButton.addEventListener("click", closeGuided);
  }
  window.addEventListener("pagehide", function () {
    stop();
    stopTicking();
    if (s.socket) s.socket.close(1000, "page closed");
  });
  // The camera coach cannot run here: its instructions give way to the guided timer.
  function noCamera() {
    root.classList.add("no-camera");
    offerGuided(true);
  }
  if (!startButton) { // the files are not installed: the page says so
    noCamera();
    return;
  }
  var why = missing();
  if (why) {
    say(why);
    if (statusLine) statusLine.classList.add("error");
    noCamera();
    return;
  }
  if (muteButton) muteButton.addEventListener("click", toggleMute);
  startButton.addEventListener("click", start);
  recalibrateButton.addEventListener("click", recalibrate);
  finishButton.addEventListener("click", finish);

  function cameraReady() {
    g.cameraPossible = true;
    startButton.hidden = false;
    if (muteButton) muteButton.hidden = !synth;
    say("Ready. Nothing is sent until you press Start.");
    offerGuided(false);
  }
  // Without a camera on the device, say so at once rather than after Start.
  if (typeof navigator.mediaDevices.enumerateDevices === "function") {
    navigator.mediaDevices.enumerateDevices().then(function (devices) {
      var cameras = devices.filter(function (d) { return d.kind === "videoinput"; });
      if (cameras.length > 0) { cameraReady(); return; }
      say("No camera was found on this device.");
      if (statusLine) statusLine.classList.add("error");
      noCamera();
    }, cameraReady);
  } else {
    cameraReady();
  }
})();
