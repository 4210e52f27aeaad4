// Runs the frames of one rendered clip through @mediapipe/pose in Chromium, configured exactly
// as the coach page configures it and served by spinewise itself, and writes the landmarks in
// the same form as landmarks.py's trace. compare.py then measures how far the two lie apart:
// the corpus's traces come from the Python package for speed, and this shows they are what the
// page would have sent.
//
//   cargo build && (cd tests/e2e && npm ci)
//   SPINEWISE_BIN=target/debug/spinewise node tools/motion-corpus/browser_landmarks.mjs FRAMES_DIR
//
// FRAMES_DIR holds frame-NNNN.png (render.py's output, kept with make_corpus.py --keep-frames);
// browser-trace.json is written beside them.

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, startServer } from "../../tests/e2e/harness.mjs";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: browser_landmarks.mjs FRAMES_DIR");
  process.exit(2);
}
const frames = readdirSync(dir)
  .filter((f) => /^frame-\d+\.png$/.test(f))
  .sort();
const truth = JSON.parse(readFileSync(join(dir, "truth.json"), "utf8"));
const fps = truth.clip.fps;

const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  // The coach page: its CSP allows the model's WebAssembly, and its origin serves /vendor/.
  await page.goto(server.base + "/move/coach?exercise=hip-hinge");
  await page.evaluate(async () => {
    const VENDOR = "/vendor/mediapipe/pose/";
    await new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = VENDOR + "pose.js";
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
    const pose = new window.Pose({ locateFile: (file) => VENDOR + file });
    // As static/coach.js sets them.
    pose.setOptions({
      modelComplexity: 1,
      smoothLandmarks: true,
      enableSegmentation: false,
      minDetectionConfidence: 0.5,
      minTrackingConfidence: 0.5,
    });
    window.__last = null;
    pose.onResults((r) => {
      window.__last = r.poseLandmarks && r.poseLandmarks.length === 33 ? r.poseLandmarks : null;
    });
    await pose.initialize();
    window.__pose = pose;
  });
  const out = [];
  let size = null;
  for (const [n, name] of frames.entries()) {
    const url = "data:image/png;base64," + readFileSync(join(dir, name)).toString("base64");
    const result = await page.evaluate(async ({ url, t }) => {
      const img = new Image();
      img.src = url;
      await img.decode();
      await window.__pose.send({ image: img }, t);
      const lm = window.__last;
      return {
        size: [img.naturalWidth, img.naturalHeight],
        landmarks: lm
          ? lm.map((l) => [+l.x.toFixed(5), +l.y.toFixed(5), +l.z.toFixed(5), +(l.visibility ?? 0).toFixed(3)])
          : null,
      };
    }, { url, t: Math.round((n * 1000) / fps) });
    size = result.size;
    out.push({ t_ms: Math.round((n * 1000) / fps), landmarks: result.landmarks });
  }
  writeFileSync(join(dir, "browser-trace.json"), JSON.stringify({ size, fps, frames: out }));
  const found = out.filter((f) => f.landmarks).length;
  console.log(`browser-trace.json: ${found} of ${out.length} frames with a person`);
} finally {
  await browser.close();
  server.stop();
}
