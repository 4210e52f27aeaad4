// The motion coach's page. The camera picture stays in the browser: MediaPipe Pose (served by
// this site from /vendor/mediapipe/pose/) finds 33 body keypoints in each frame, and only those
// numbers go to this server over a WebSocket, which answers with the phase, the count, the hold
// time and any form warning. Nothing is recorded; the camera stops when the set is finished.
//
// The page works without this script (it shows the instructions); when the camera, WebGL,
// WebAssembly or the model are missing, it says so in plain words. For the browser tests the
// page root carries counters as data attributes (data-frames-sent, data-states-received,
// data-last-phase, data-status); nothing else is exposed.
(function () {
  "use strict";

  var root = document.getElementById("coach");
  if (!root) return;
  var $ = function (id) { return document.getElementById(id); };

  var VENDOR = "/vendor/mediapipe/pose/";
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
    if (!muteButton) return;
    // A toggle: its name stays, its pressed state says whether the voice is muted.
    muteButton.setAttribute("aria-pressed", s.muted ? "true" : "false");
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

  function round4(v) { return Math.round((v || 0) * 10000) / 10000; }

  function sendFrame(lm) {
    var ws = s.socket;
    if (!ws || ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > MAX_BUFFERED_BYTES ||
        counters.framesSent - counters.statesReceived - counters.errors > MAX_UNANSWERED) {
      counters.framesSkipped += 1;
      return;
    }
    var t = Math.max(Math.round(performance.now()), s.lastT + 1);
    s.lastT = t;
    var rows = new Array(lm.length);
    for (var i = 0; i < lm.length; i++) {
      rows[i] = [round4(lm[i].x), round4(lm[i].y), round4(lm[i].z), round4(lm[i].visibility)];
    }
    ws.send(JSON.stringify({ t: t, lm: rows }));
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

    if (signedIn && saveForm) {
      var minutes = Math.min(600, Math.max(1, Math.round(elapsed / 60000)));
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

  // ---- Wiring --------------------------------------------------------------------------------

  setStatus("idle");
  publishCounters();
  if (!startButton) return; // the files are not installed: the page says so
  var why = missing();
  if (why) {
    say(why);
    if (statusLine) statusLine.classList.add("error");
    return;
  }
  startButton.hidden = false;
  say("Ready. Nothing is sent until you press Start.");
  renderMute();
  if (muteButton) {
    muteButton.hidden = !synth;
    muteButton.addEventListener("click", function () {
      s.muted = !s.muted;
      if (s.muted && synth) synth.cancel();
      try { window.localStorage.setItem(MUTE_KEY, s.muted ? "1" : "0"); } catch (e) { /* private mode */ }
      renderMute();
    });
  }
  startButton.addEventListener("click", start);
  recalibrateButton.addEventListener("click", recalibrate);
  finishButton.addEventListener("click", finish);
  window.addEventListener("pagehide", function () {
    stop();
    if (s.socket) s.socket.close(1000, "page closed");
  });
})();
