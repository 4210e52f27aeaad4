// The motion coach in a real browser: Debian's Chromium with a fake camera that plays a clip
// of real people (tests/e2e/clip/make-clip.sh), MediaPipe Pose running in the page, and the
// real binary answering over its WebSocket. Every request and every WebSocket message the page
// sends is recorded: all of them must go to the app, and the WebSocket must carry keypoints
// (33 × [x, y, z, visibility]) and commands only, never a picture. Without a camera the page
// runs the guided timer, driven here by Playwright's clock so that no test waits out a set; a
// second clip, which starts with nobody in the picture, shows the coach waiting for someone.
//
// Run through `cargo test` (tests/e2e.rs sets SPINEWISE_BIN), or by hand from tests/e2e:
//   SPINEWISE_BIN=../../target/debug/spinewise node --test coach.test.mjs
// The clip is made on first run (needs ffmpeg and python3 -m pip). Without them the test is
// skipped with a message, except under CI=true, where that is a failure.
// SPINEWISE_SCREENSHOT=1 also writes docs/coach.png.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser, startServer } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const artifacts = join(here, "artifacts");
const clip = join(here, "clip", "clip.y4m");
const nobodyFirst = join(here, "clip", "nobody-first.y4m");
const inCi = Boolean(process.env.CI) && process.env.CI !== "false";
// Pose estimation on a software-rendered GPU is slow (about one frame a second on two cores).
const SLOW = 180_000;

const works = (cmd, args) => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;

/** Makes the fake camera's clip if it is missing; a reason to skip, or null. */
function prepareClip() {
  if (existsSync(clip) && existsSync(nobodyFirst)) return null;
  const tools = works("ffmpeg", ["-version"]) && works("python3", ["-m", "pip", "--version"]);
  if (!tools) {
    const why = "the fake camera's clip needs ffmpeg and python3 -m pip (apt-get install -y ffmpeg python3-pip)";
    if (inCi) throw new Error(`${why}; under CI they must be installed`);
    return why;
  }
  const made = spawnSync(join(here, "clip", "make-clip.sh"), [clip], { encoding: "utf8" });
  assert.equal(made.status, 0, `make-clip.sh makes the clip:\n${made.stdout}${made.stderr}`);
  return null;
}

const skip = prepareClip();

let server;
let base;
let browser;

before(async () => {
  if (skip) return;
  // From the checkout, so the server finds web/ (and its node_modules) as in development;
  // the first start may install the pose package with npm ci.
  server = await startServer({ prefix: "spinewise-e2e-coach-", cwd: repo, timeoutMs: 120_000 });
  base = server.base;
  mkdirSync(artifacts, { recursive: true });
  browser = await launchBrowser([
    // A camera that plays the clip, allowed without asking.
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-video-capture=${clip}`,
    // MediaPipe Pose needs WebGL. Without a GPU it comes from SwiftShader, a CPU renderer:
    // headless Chromium 156 falls back to it by itself, a fallback Chromium is phasing out;
    // this flag asks for it explicitly. (--disable-software-rasterizer would remove WebGL.)
    "--enable-unsafe-swiftshader",
  ]);
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** A fresh context that records every request and WebSocket; `check()` fails on foreign ones. */
async function context(options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 900 }, ...options });
  const requests = [];
  const sockets = [];
  const sent = [];
  ctx.on("request", (r) => requests.push(r.url()));
  const page = await ctx.newPage();
  const blocked = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
  });
  page.on("websocket", (ws) => {
    sockets.push(ws.url());
    ws.on("framesent", (f) => sent.push(f.payload));
  });
  const wsBase = base.replace(/^http:/, "ws:");
  const ours = (u) => u.startsWith(base + "/") || u.startsWith(wsBase + "/") || u.startsWith("data:");
  const check = () => {
    const foreign = requests.filter((u) => !ours(u));
    assert.deepEqual(foreign, [], "every request stays on the app");
    assert.ok(requests.length > 0, "requests were recorded");
    const foreignSockets = sockets.filter((u) => !u.startsWith(wsBase + "/"));
    assert.deepEqual(foreignSockets, [], "every WebSocket goes to the app");
    assert.deepEqual(blocked, [], "the page needs nothing its Content-Security-Policy forbids");
  };
  return { ctx, page, check, requests, sockets, sent };
}

/** Signs up a new account in `page`'s context. */
async function signUp(page, login) {
  await page.goto(base + "/signup");
  await page.getByLabel("Username or email").fill(login);
  await page.getByLabel(/^Password/).fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Your recovery code" }).waitFor();
}

/** The page root's counters, as the page publishes them. */
async function counters(page) {
  return page.locator("#coach").evaluate((el) => ({
    status: el.dataset.status,
    framesSent: Number(el.dataset.framesSent),
    statesReceived: Number(el.dataset.statesReceived),
    lastPhase: el.dataset.lastPhase,
  }));
}

/** How many pixels of the overlay have the spine line's colours (see drawnWithNextFrame). */
function overlayPixels(page) {
  return page.locator("#coach-overlay").evaluate((canvas) => {
    const colours = new Set(["46,125,50", "224,161,0", "211,47,47", "158,158,158"]);
    const px = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) if (colours.has(`${px[i]},${px[i + 1]},${px[i + 2]}`)) n++;
    return n;
  });
}

/** Waits for the page's next sent frame and counts, at that moment, the overlay's pixels in the
 * spine line's colours. */
function drawnWithNextFrame(page, { pause = false } = {}) {
  return page.locator("#coach").evaluate(
    (root, [timeout, pause]) =>
      new Promise((resolve, reject) => {
        const canvas = document.getElementById("coach-overlay");
        const before = root.dataset.framesSent;
        const timer = setTimeout(() => reject(new Error("no frame was sent")), timeout);
        const observer = new MutationObserver(() => {
          if (root.dataset.framesSent === before) return;
          observer.disconnect();
          clearTimeout(timer);
          if (pause) document.getElementById("coach-video").pause();
          // The spine line's colours (static/coach.js), exactly: rare in a photograph.
          const colours = new Set(["46,125,50", "224,161,0", "211,47,47", "158,158,158"]);
          const px = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
          let n = 0;
          for (let i = 0; i < px.length; i += 4) if (colours.has(`${px[i]},${px[i + 1]},${px[i + 2]}`)) n++;
          resolve(n);
        });
        observer.observe(root, { attributes: true, attributeFilter: ["data-frames-sent"] });
      }),
    [SLOW, pause],
  );
}

/** Every message the page sent: a frame of 33 keypoints, or a command; nothing binary. */
function checkMessages(sent) {
  assert.ok(sent.length > 0, "the page sent messages");
  const times = [];
  for (const payload of sent) {
    if (typeof payload !== "string") {
      // A frame, in its binary form: the time (float64), then 33 × x, y, z, visibility
      // (float32), little-endian. Nothing else is ever sent as bytes.
      const bytes = Buffer.from(payload);
      assert.equal(bytes.length, 8 + 33 * 16, "a frame is 536 bytes");
      const t = bytes.readDoubleLE(0);
      assert.ok(Number.isInteger(t), "t is whole milliseconds");
      times.push(t);
      for (let at = 8; at < bytes.length; at += 4) {
        assert.ok(Number.isFinite(bytes.readFloatLE(at)), "finite numbers");
      }
      for (let i = 0; i < 33; i++) {
        const v = bytes.readFloatLE(8 + i * 16 + 12);
        assert.ok(v >= 0 && v <= 1, `visibility ${v} is 0–1`);
      }
      continue;
    }
    assert.ok(payload.length < 4096, `a message is small (${payload.length} bytes)`);
    const m = JSON.parse(payload);
    assert.deepEqual(Object.keys(m), ["cmd"], "text messages are commands");
    assert.ok(["finish", "recalibrate"].includes(m.cmd), m.cmd);
  }
  assert.ok(times.length > 0, "frames were sent");
  assert.ok(times.every((t, i) => i === 0 || t > times[i - 1]), "frame times increase");
}

test("without JavaScript the coach page still explains the exercise", { skip: skip ?? false }, async () => {
  const { ctx, page, check } = await context({ javaScriptEnabled: false });
  await page.goto(base + "/move/coach?exercise=hip-hinge");
  await page.getByRole("heading", { name: "Before you start" }).waitFor();
  assert.match(await page.locator("main").innerText(), /only the 33 body keypoints/);
  assert.equal(await page.getByRole("button", { name: "Start" }).isVisible(), false, "no Start button");
  assert.equal(await page.getByRole("button", { name: /guided timer/ }).isVisible(), false, "no timer to start");
  check();
  await ctx.close();
});

test("without WebGL the page says plainly that the model cannot run", { skip: skip ?? false }, async () => {
  const plain = await launchBrowser([
    "--disable-webgl",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
  ]);
  try {
    const page = await plain.newPage();
    await page.goto(base + "/move/coach?exercise=side-plank");
    const status = page.locator("#coach-status");
    await page.getByText(/WebGL is turned off or not available/).waitFor();
    assert.equal(await page.getByRole("button", { name: "Start", exact: true }).isVisible(), false);
    assert.match(await status.innerText(), /pose model needs it/);
    assert.equal((await counters(page)).framesSent, 0);
    // The guided timer is offered instead, and the camera's set-up steps give way to it.
    assert.ok(await page.getByRole("button", { name: "Follow a guided timer instead" }).isVisible());
    assert.equal(await page.getByText("Press Start and allow the camera").isVisible(), false);
  } finally {
    await plain.close();
  }
});

test(
  "the coach follows a person on camera, sends only keypoints, and saves the set",
  { skip: skip ?? false, timeout: 4 * SLOW },
  async () => {
    const { ctx, page, check, sent } = await context();
    page.on("pageerror", (e) => console.log(`# page error: ${e.message}`));

    await signUp(page, "e2e-coach");

    await page.goto(base + "/move/coach?exercise=hip-hinge");
    await page.getByRole("heading", { name: /Motion coach/ }).waitFor();
    const started = Date.now();
    await page.getByRole("button", { name: "Start", exact: true }).click();

    // The model loads, finds the person, the page sends keypoints and the server answers.
    await page.waitForFunction(
      () => {
        const d = document.getElementById("coach").dataset;
        if (d.status === "error") return true;
        return Number(d.statesReceived) >= 3 && d.lastPhase !== "";
      },
      null,
      { timeout: SLOW, polling: 250 },
    );
    const seen = await counters(page);
    const status = await page.locator("#coach-status").innerText();
    assert.notEqual(seen.status, "error", `the coach runs: ${status}`);
    assert.ok(seen.framesSent >= seen.statesReceived, JSON.stringify(seen));
    assert.ok(["calibrating", "tracking", "low_visibility"].includes(seen.lastPhase), seen.lastPhase);
    const modelMs = await page.locator("#coach").getAttribute("data-model-ms");
    console.log(
      `# motion coach: model ready in ${modelMs} ms; ${seen.statesReceived} states after ${Date.now() - started} ms; phase ${seen.lastPhase}`,
    );
    await page.locator("#coach-phase").waitFor();
    assert.ok((await page.locator("#coach-phase").innerText()).length > 0, "the phase is shown");

    // When a frame is sent, its keypoints have just been drawn over the picture.
    const drawn = await drawnWithNextFrame(page);
    assert.ok(drawn > 100, `the spine line and joints are drawn over the picture (${drawn} pixels)`);
    if (process.env.SPINEWISE_SCREENSHOT) {
      await page.evaluate(() => window.scrollTo(0, document.getElementById("coach-stage").offsetTop - 140));
      // Inference is slow here (the picture moves on while a frame is analysed): pause the
      // camera picture on a frame with a person drawn (the page analyses no paused frame), and
      // if the line is still there a moment later take the picture; play on either way.
      const video = page.locator("#coach-video");
      let shown = 0;
      for (let attempt = 0; attempt < 10 && shown <= 100; attempt++) {
        await drawnWithNextFrame(page, { pause: true });
        await page.waitForTimeout(2500);
        shown = await overlayPixels(page);
        if (shown > 100) await page.screenshot({ path: join(repo, "docs", "coach.png") });
        await video.evaluate((v) => v.play());
      }
      assert.ok(shown > 100, "a frame with the spine line was caught for the screenshot");
    }
    await page.screenshot({ path: join(artifacts, "coach.png") });

    await page.getByRole("button", { name: "Finish" }).click();
    const summary = page.getByRole("region", { name: "Set finished" });
    await summary.waitFor();
    assert.match(await summary.innerText(), /Repetitions/);
    assert.equal((await counters(page)).status, "finished");
    checkMessages(sent);
    assert.ok(sent.some((p) => p === '{"cmd":"finish"}'), "finish was sent");

    // Signed in: the set can be saved to the journal.
    const form = page.locator("#coach-save");
    await form.waitFor();
    assert.ok(Number(await page.getByLabel("Minutes").inputValue()) >= 1, "minutes are prefilled");
    await page.getByLabel("Same", { exact: true }).check();
    await page.getByRole("group", { name: /Back pain after/ }).getByLabel("2", { exact: true }).check();
    await page.getByRole("button", { name: "Save to journal" }).click();
    await page.waitForURL(/\/journal/);
    await page.getByText(/saved/i).first().waitFor();
    assert.match(await page.locator("ul.entries").innerText(), /camera coach/);
    check();
    await ctx.close();
  },
);

test("with the camera refused, the page says how to allow it and offers the guided timer", { skip: skip ?? false }, async () => {
  // A camera, but no permission to use it (nobody answers the browser's question).
  const refused = await launchBrowser(["--use-fake-device-for-media-stream", "--enable-unsafe-swiftshader"]);
  try {
    const ctx = await refused.newContext();
    const page = await ctx.newPage();
    await page.goto(base + "/move/coach?exercise=glute-bridge");
    const start = page.getByRole("button", { name: "Start", exact: true });
    await start.waitFor();
    // A camera is there: the timer is offered on the side.
    assert.ok(await page.getByRole("button", { name: "No camera? Follow a guided timer" }).isVisible());
    await start.click();
    const instead = page.getByRole("button", { name: "Follow a guided timer instead" });
    await instead.waitFor();
    assert.match(await page.locator("#coach-status").innerText(), /The camera was not allowed/);
    assert.equal((await counters(page)).framesSent, 0);
    await instead.click();
    await page.getByRole("region", { name: "Guided timer" }).waitFor();
    await ctx.close();
  } finally {
    await refused.close();
  }
});

test(
  "without a camera the guided timer paces the program's dose, and the set is saved",
  { skip: skip ?? false, timeout: SLOW },
  async () => {
    // No fake camera: this browser has none.
    const plain = await launchBrowser(["--enable-unsafe-swiftshader"]);
    try {
      const ctx = await plain.newContext({ viewport: { width: 390, height: 844 } });
      const requests = [];
      ctx.on("request", (r) => requests.push(r.url()));
      const page = await ctx.newPage();
      const sockets = [];
      page.on("websocket", (ws) => sockets.push(ws.url()));
      page.on("pageerror", (e) => console.log(`# page error: ${e.message}`));
      await signUp(page, "e2e-guided");
      await page.clock.install();
      await page.goto(base + "/move/coach?exercise=bird-dog&pain_type=flexion");

      // No camera: the page says so and offers the timer, and no Start for the camera.
      const offer = page.getByRole("button", { name: "Follow a guided timer instead" });
      await offer.waitFor();
      assert.match(await page.locator("#coach-status").innerText(), /camera/i);
      assert.equal(await page.getByRole("button", { name: "Start", exact: true }).isVisible(), false);
      await offer.click();
      const timer = page.getByRole("region", { name: "Guided timer" });
      await timer.waitFor();
      assert.match(await timer.innerText(), /level 1/, "the program's level for a new account");
      const plan = JSON.parse(await page.locator("#guided").getAttribute("data-plan"));
      const reps = plan.steps.filter((step) => step.rep).length;
      const hold = Math.max(...plan.steps.filter((step) => step.kind === "hold").map((step) => step.s));
      const root = page.locator("#coach");
      const phase = page.locator("#guided-phase");
      const clock = page.locator("#guided-clock");
      assert.equal(await phase.getAttribute("aria-live"), "polite", "a new phase is announced");
      assert.equal(await clock.evaluate((el) => el.closest("[aria-live]")), null, "the seconds are not");

      // Once in position, the first round begins.
      await page.getByRole("button", { name: "Start the timer" }).click();
      assert.equal(await root.getAttribute("data-guided"), "running");
      await page.clock.runFor(plan.steps[0].s * 1000 + 500);
      assert.equal(await phase.innerText(), plan.steps[1].phase);
      assert.equal(await page.locator("#guided-step").innerText(), plan.steps[1].title);

      // Paused, nothing moves however long the pause.
      await page.getByRole("button", { name: "Pause" }).click();
      assert.equal(await root.getAttribute("data-guided"), "paused");
      assert.equal(await phase.innerText(), "Paused");
      const shown = await clock.innerText();
      await page.clock.fastForward(5 * 60_000);
      assert.equal(await clock.innerText(), shown);
      await page.getByRole("button", { name: "Resume" }).click();
      assert.equal(await root.getAttribute("data-guided"), "running");
      assert.equal(await phase.innerText(), plan.steps[1].phase);

      // Finish stops it: the summary, and the form to save what was done.
      await page.getByRole("button", { name: "Finish" }).click();
      const summary = page.getByRole("region", { name: "Set finished" });
      await summary.waitFor();
      assert.match(await summary.innerText(), /Stopped after/);
      const form = page.locator("#coach-save");
      assert.ok(await form.isVisible(), "signed in, the set can be saved");
      assert.equal(await form.locator("[name=mode]").inputValue(), "guided");

      // The whole set, start to end: every repetition counted, the holds held.
      await page.getByRole("button", { name: "Start again" }).click();
      assert.equal(await summary.isVisible(), false);
      await page.clock.fastForward(plan.total_s * 1000 + 1000);
      await summary.waitFor();
      assert.equal(await root.getAttribute("data-guided"), "finished");
      assert.match(await summary.innerText(), /Every step of the set was done/);
      assert.equal(await page.locator("#coach-sum-reps").innerText(), String(reps));
      assert.equal(await page.locator("#coach-sum-hold").innerText(), `${hold} s`);
      assert.equal(await page.locator("#coach-sum-warnings-row").isVisible(), false, "no camera, no form warnings");
      assert.equal(await form.locator("[name=reps]").inputValue(), String(reps));
      assert.equal(await form.locator("[name=hold_s]").inputValue(), String(hold));
      assert.equal(await form.locator("[name=warnings]").inputValue(), "0");
      assert.ok(Number(await page.getByLabel("Minutes").inputValue()) >= 1, "minutes are prefilled");

      await page.getByLabel("Same", { exact: true }).check();
      await page.getByRole("button", { name: "Save to journal" }).click();
      await page.waitForURL(/\/journal/);
      assert.match(await page.locator("ul.entries").innerText(), /Bird dog \(guided timer\)/);
      const body = await (await page.request.get(base + "/api/v1/journal/entries")).json();
      const entries = body.entries ?? body;
      const sets = entries.flatMap((e) => e.sets ?? []);
      assert.equal(sets.length, 1, JSON.stringify(entries));
      assert.deepEqual(
        [sets[0].exercise, sets[0].reps, sets[0].hold_s, sets[0].coached, sets[0].level],
        ["bird-dog", reps, hold, false, 1],
      );

      assert.deepEqual(sockets, [], "the timer opens no connection");
      const wsBase = base.replace(/^http:/, "ws:");
      assert.deepEqual(requests.filter((u) => !u.startsWith(base + "/") && !u.startsWith(wsBase + "/") && !u.startsWith("data:")), []);
      await ctx.close();
    } finally {
      await plain.close();
    }
  },
);

test(
  "the coach waits while nobody is in view, and picks up when someone steps in",
  { skip: skip ?? false, timeout: 4 * SLOW },
  async () => {
    // A camera that shows the empty place for a while, then people, and again.
    const camera = await launchBrowser([
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-video-capture=${nobodyFirst}`,
      "--enable-unsafe-swiftshader",
    ]);
    try {
      const page = await camera.newPage({ viewport: { width: 1000, height: 900 } });
      page.on("pageerror", (e) => console.log(`# page error: ${e.message}`));
      const sockets = [];
      const closed = [];
      const answers = [];
      page.on("websocket", (ws) => {
        sockets.push(ws.url());
        ws.on("close", () => closed.push(ws.url()));
        ws.on("framereceived", (f) => answers.push(String(f.payload)));
      });
      await page.goto(base + "/move/coach?exercise=hip-hinge");
      await page.getByRole("button", { name: "Start", exact: true }).click();
      await page.waitForFunction(
        () => ["running", "error"].includes(document.getElementById("coach").dataset.status),
        null,
        { timeout: SLOW, polling: 250 },
      );
      assert.equal((await counters(page)).status, "running", await page.locator("#coach-status").innerText());

      // Nobody in the picture: the page says so, and waits.
      const phase = page.locator("#coach-phase");
      await page.getByText(/No one in the picture/).waitFor({ timeout: SLOW });
      const waiting = await counters(page);
      assert.equal(waiting.status, "running");

      // Someone steps in: frames go again on the same connection and the coach answers them.
      await page.waitForFunction(
        (before) => {
          const d = document.getElementById("coach").dataset;
          const text = document.getElementById("coach-phase").textContent;
          return Number(d.statesReceived) >= before + 3 && !/No one in the picture/.test(text);
        },
        waiting.statesReceived,
        { timeout: SLOW, polling: 250 },
      );
      const back = await counters(page);
      assert.equal(back.status, "running");
      assert.ok(back.framesSent > waiting.framesSent, JSON.stringify({ waiting, back }));
      assert.ok(["calibrating", "tracking", "low_visibility"].includes(back.lastPhase), back.lastPhase);
      assert.ok((await phase.innerText()).length > 0);
      assert.equal(sockets.length, 1, "one connection throughout");
      assert.deepEqual(closed, [], "the server kept the session open");
      assert.ok(!answers.some((a) => a.includes('"type":"summary"')), "nothing ended the set");
      assert.doesNotMatch(await page.locator("#coach-status").innerText(), /ended the session|connection to the server was lost/);

      await page.getByRole("button", { name: "Finish" }).click();
      await page.getByRole("region", { name: "Set finished" }).waitFor();
    } finally {
      await camera.close();
    }
  },
);

test(
  "a second visit to the coach takes the whole pose model from the browser's cache",
  { skip: skip ?? false, timeout: 4 * SLOW },
  async () => {
    const { ctx, page, check } = await context();
    // What each of the model's files cost on the wire, by the browser's own count.
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Network.enable");
    const urls = new Map();
    let visit = [];
    cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
    cdp.on("Network.loadingFinished", (e) => {
      const url = urls.get(e.requestId) ?? "";
      if (url.includes("/vendor/mediapipe/pose/")) visit.push({ url, bytes: e.encodedDataLength });
    });
    const loadModel = async () => {
      await page.goto(base + "/move/coach?exercise=hip-hinge");
      await page.getByRole("button", { name: "Start", exact: true }).click();
      await page.waitForFunction(
        () => {
          const d = document.getElementById("coach").dataset;
          return d.status === "error" || d.modelMs !== undefined;
        },
        null,
        { timeout: SLOW, polling: 250 },
      );
      const status = await page.locator("#coach-status").innerText();
      assert.notEqual((await counters(page)).status, "error", `the model loads: ${status}`);
      const files = visit;
      visit = [];
      return files;
    };
    const first = await loadModel();
    const firstBytes = first.reduce((n, f) => n + f.bytes, 0);
    assert.ok(firstBytes > 5_000_000, `the first visit fetches the model (${firstBytes} bytes)`);
    await page.goto(base + "/");
    const second = await loadModel();
    assert.ok(second.length >= 3, `the second visit uses the model's files: ${JSON.stringify(second)}`);
    const secondBytes = second.reduce((n, f) => n + f.bytes, 0);
    console.log(`# model: ${firstBytes} bytes on the first visit, ${secondBytes} on the second`);
    assert.equal(secondBytes, 0, `nothing of the model travels again: ${JSON.stringify(second)}`);
    check();
    await ctx.close();
  },
);
