// Browser tests of the spinewise web app: Debian's Chromium, driven by playwright-core,
// against the real binary started on a free port with a fresh database. Every request the
// browser makes is recorded; any that does not go to the app fails the test.
//
// Run through `cargo test` (tests/e2e.rs sets SPINEWISE_BIN), or by hand:
//   SPINEWISE_BIN=target/debug/spinewise node --test tests/e2e/

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { answerStep, answerSteps, launchBrowser, pick, startServer } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, "artifacts");

let server;
let base;
let browser;

before(async () => {
  server = await startServer();
  base = server.base;
  mkdirSync(artifacts, { recursive: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** A fresh browser context that records every request; `check()` fails on any foreign one. */
async function context(options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 900, height: 1200 }, ...options });
  const requests = [];
  ctx.on("request", (r) => requests.push(r.url()));
  const page = await ctx.newPage();
  const check = () => {
    const foreign = requests.filter((u) => !u.startsWith(base + "/") && !u.startsWith("data:"));
    assert.deepEqual(foreign, [], "every request stays on the app");
    assert.ok(requests.length > 0, "requests were recorded");
  };
  return { ctx, page, check, requests };
}

/** Walks the step-by-step assessment with the keyboard-friendly labels, as a person would. */
async function takeAssessment(page, { save = false } = {}) {
  await page.goto(base + "/");
  await page.getByRole("link", { name: "Find your pain type" }).first().click();
  await page.getByRole("button", { name: "Next" }).click(); // no red flags
  await answerSteps(page, { save });
  await page.getByRole("heading", { name: "Flexion-intolerant" }).waitFor();
}

test("the assessment leads from the home page to a plan with drawings", async () => {
  const { ctx, page, check } = await context();
  await takeAssessment(page);
  await page.selectOption("#role", "receptive");
  await page.selectOption("#partner_pain_type", "extension");
  await page.getByRole("button", { name: "Show the positions" }).click();
  await page.getByRole("heading", { name: "Positions, best first" }).waitFor();
  const cards = page.locator("ol.positions > li");
  assert.ok((await cards.count()) >= 12, "every position is shown");
  const drawing = page.locator("svg.drawing").first();
  assert.match((await drawing.getAttribute("aria-label")) ?? "", /^Schematic (side view|view from above the bed) of /);
  await page.screenshot({ path: join(artifacts, "plan.png"), fullPage: false });
  check();
  await ctx.close();
});

test("the plan leads with its answer on a phone, with and without JavaScript", async () => {
  for (const javaScriptEnabled of [true, false]) {
    const { ctx, page, check } = await context({ viewport: { width: 390, height: 844 }, javaScriptEnabled });
    await page.goto(base + "/plan");
    await page.selectOption("#pain_type", "flexion");
    await page.selectOption("#role", "receptive");
    await page.getByRole("button", { name: "Show the positions" }).click();
    const glance = page.getByRole("heading", { name: "At a glance" });
    await glance.waitFor();
    const box = await glance.boundingBox();
    assert.ok(box.y < 844, `the summary starts on the first screen (at ${box.y}px)`);
    // Folded, the whole plan is a few screens, not twenty thousand pixels.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height < 8 * 844, `the folded plan is ${height}px tall`);
    // A position opens where it is, without JavaScript too.
    const first = page.locator("ol.positions > li").first();
    assert.equal(await first.locator("details").getAttribute("open"), null);
    await first.locator("summary").click();
    await first.locator("svg.drawing").waitFor({ state: "visible" });
    await page.screenshot({ path: join(artifacts, `plan-summary-${javaScriptEnabled ? "js" : "nojs"}.png`) });
    check();
    await ctx.close();
  }
});

test("Enter on an answer in the assessment goes forward, not back", async () => {
  const { ctx, page, check } = await context();
  await page.goto(base + "/assess");
  await page.getByRole("button", { name: "Next" }).click(); // no red flags
  await page.getByText("Step 2 of 4").waitFor();
  await answerStep(page);
  const last = page.locator("input[type=radio]:checked").last();
  await last.focus();
  await page.keyboard.press("Enter");
  await page.getByText("Step 3 of 4").waitFor();
  // "Back" is still shown before "Next".
  const back = await page.getByRole("button", { name: "Back" }).boundingBox();
  const next = await page.getByRole("button", { name: "Next" }).boundingBox();
  assert.ok(back.x < next.x, "Back is on the left");
  check();
  await ctx.close();
});

test("installed, the app opens without a network and keeps no page on the device", async () => {
  const { ctx, page, check } = await context();
  await page.goto(base + "/");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await ctx.setOffline(true);
  await page.goto(base + "/faq");
  await page.getByRole("heading", { name: "You are offline" }).waitFor();
  const kept = await page.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const r of await cache.keys()) out.push(new URL(r.url).pathname);
    }
    return out.sort();
  });
  // The files are kept under their content-hashed names (style.<hash>.css).
  for (const path of kept) {
    if (path !== "/offline") assert.match(path, /^\/static\/[a-z0-9-]+\.[0-9a-f]{12}\.[a-z]+$/);
  }
  assert.deepEqual(kept.map((p) => p.replace(/\.[0-9a-f]{12}\./, ".")).sort(), [
    "/offline",
    "/static/app.js",
    "/static/icon-192.png",
    "/static/icon-512.png",
    "/static/icon.svg",
    "/static/style.css",
  ]);
  await ctx.setOffline(false);
  check();
  await ctx.close();
});

test("the printable summary fits on one A4 page", async () => {
  const { ctx, page, check } = await context();
  await page.goto(base + "/plan");
  await page.selectOption("#pain_type", "extension");
  await page.selectOption("#role", "receptive");
  await page.selectOption("#partner_pain_type", "flexion");
  await page.getByLabel(/Disc problem/).first().check();
  await page.getByRole("button", { name: "Show the positions" }).click();
  await page.getByRole("button", { name: "Printable one-page summary" }).click();
  await page.getByRole("heading", { name: "spinewise plan summary" }).waitFor();
  const pdf = (await page.pdf({ format: "A4" })).toString("latin1");
  const pages = (pdf.match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
  assert.equal(pages, 1, "one page");
  check();
  await ctx.close();
});

test("the plan works without JavaScript too", async () => {
  const { ctx, page, check } = await context({ javaScriptEnabled: false });
  await takeAssessment(page);
  await page.selectOption("#role", "insertive");
  await page.getByRole("button", { name: "Show the positions" }).click();
  await page.getByRole("heading", { name: "Positions, best first" }).waitFor();
  check();
  await ctx.close();
});

test("an emergency red flag is unmistakable and comes before anything else", async () => {
  const { ctx, page, check } = await context();
  await page.goto(base + "/check");
  await page.getByLabel(/saddle/).check();
  await page.getByRole("button", { name: "Check" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /Get emergency care now/);
  check();
  await ctx.close();
});

test("an account saves the profile and is deleted with everything in it", async () => {
  const { ctx, page, check } = await context();
  await page.goto(base + "/signup");
  await page.getByLabel("Username or email").fill("e2e-user");
  await page.getByLabel(/^Password/).fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Your recovery code" }).waitFor();
  await page.goto(base + "/account");
  await page.getByText("Signed in as").waitFor();

  await takeAssessment(page, { save: true });
  await page.getByText("Saved to your profile.").waitFor();
  await page.goto(base + "/account");
  assert.match(await page.locator("main").innerText(), /Your pain type: Flexion-intolerant/);

  await page.getByLabel("Your password", { exact: true }).fill("a long enough password");
  await page.getByLabel(/I understand/).check();
  await page.getByRole("button", { name: /Delete my account/ }).click();
  await page.getByRole("heading", { name: "Your account is deleted" }).waitFor();
  await page.goto(base + "/account");
  assert.ok(page.url().endsWith("/login"), "signed out: the account page sends to sign-in");
  check();
  await ctx.close();
});

test("a journal entry logged on a phone shows up in the list and on the chart", async () => {
  const { ctx, page, check } = await context({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await page.goto(base + "/signup");
  await page.getByLabel("Username or email").fill("e2e-journal");
  await page.getByLabel(/^Password/).fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  const code = await page.locator("#recovery-code").innerText();
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4})+$/, "a recovery code is shown once");
  await page.getByRole("button", { name: "Copy the code" }).waitFor({ state: "visible" });
  const file = await page.getByRole("link", { name: "Download it as a text file" }).getAttribute("href");
  assert.ok(decodeURIComponent(file).includes(code), "the download holds the code");
  // The page was reached by a redirect: a reload shows the same code, and signs nobody up.
  await page.reload();
  assert.equal(await page.locator("#recovery-code").innerText(), code, "a reload shows the same code");
  await page.getByRole("button", { name: /go to my journal/ }).click();
  await page.getByRole("heading", { name: "Your journal", exact: true }).waitFor();

  // A morning check-in, then intimacy in the evening: a few taps each.
  const log = page.getByRole("navigation", { name: "Log" });
  await log.getByRole("link", { name: "Daily check-in", exact: true }).click();
  await pick(page, "Back pain on getting up", 6);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Daily check-in saved.").waitFor();

  await log.getByRole("link", { name: "Log intimacy", exact: true }).click();
  // The common entry fits in about a screen and a half, symptoms folded and 0–10 on one row,
  // with pain scores and buttons at least 44 px tall.
  const form = page.locator("form.journal-form");
  const height = await form.evaluate((f) => f.getBoundingClientRect().height);
  assert.ok(height <= 1.6 * 844, `the intimacy form is ${height}px tall on a phone`);
  const rows = await form.locator(".picks.row").evaluateAll((rs) =>
    rs.map((r) => new Set([...r.querySelectorAll("label")].map((l) => Math.round(l.getBoundingClientRect().top))).size),
  );
  assert.ok(rows.length > 0 && rows.every((n) => n === 1), `each 0–10 scale is one row: ${rows}`);
  const short = await form.locator(".picks label, button").evaluateAll((els) =>
    els.filter((e) => e.getBoundingClientRect().height < 44).length,
  );
  assert.equal(short, 0, "every pain score and button is at least 44 px tall");
  await page.getByLabel("Spooning (side-lying)", { exact: true }).check();
  await page.getByLabel("A warm bath or shower", { exact: true }).check();
  await pick(page, "Back pain just before", 3);
  await pick(page, "Back pain right after", 4);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Intimacy saved.").waitFor();

  const list = await page.locator("ul.entries").innerText();
  assert.match(list, /Spooning \(side-lying\)/);
  assert.match(list, /pain 3 → 4/);
  const chart = page.locator("figure.chart svg");
  const summary = await chart.locator("desc").textContent();
  assert.match(summary, /1 intimacy log/, summary);
  assert.ok((await chart.locator("circle").count()) > 0, "the intimacy log is marked on the chart");
  await page.screenshot({ path: join(artifacts, "journal-phone.png"), fullPage: true });
  check();
  await ctx.close();
});
