// Screenshots of every main page at a phone's size (390×844) and a laptop's (1280×800), into
// docs/screenshots/, so that a change to what people see can be compared with what was there.
// A demo account with a synthetic year of journal entries fills the journal's pages. The
// motion coach's guided timer (this browser has no camera) is shown running, a few seconds into
// a hold on Playwright's clock, and at the end of the set with its save form.
//
//   cargo build && (cd tests/e2e && npm ci) && SPINEWISE_BIN=target/debug/spinewise node tests/e2e/screenshots.mjs

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { answerSteps, launchBrowser, startServer } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, "..", "..", "docs", "screenshots");
mkdirSync(out, { recursive: true });

const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };

// A demo account, made before the server starts on the same data directory.
const dataDir = mkdtempSync(join(tmpdir(), "spinewise-screenshots-"));
const demo = execFileSync(resolve(process.env.SPINEWISE_BIN), ["--data-dir", dataDir, "demo"], {
  encoding: "utf8",
});
const password = demo.match(/Password:\s+(\S+)/)[1];

const server = await startServer({ dataDir });
const browser = await launchBrowser();
const base = server.base;

/** A screenshot of the page as it is once loaded, taken again if the browser was not ready. */
async function shoot(page, path) {
  await page.waitForLoadState("load");
  try {
    await page.screenshot({ path });
  } catch {
    await page.waitForTimeout(500);
    await page.screenshot({ path });
  }
}

/** Each page: a name and how to reach it from a fresh page. */
const PAGES = [
  ["home", async (p) => p.goto(base + "/")],
  ["assessment", async (p) => {
    await p.goto(base + "/assess");
    await p.getByRole("button", { name: "Next" }).click();
  }],
  ["assessment-result", async (p) => {
    await p.goto(base + "/assess");
    await p.getByRole("button", { name: "Next" }).click();
    await answerSteps(p);
    await p.getByRole("heading", { name: "Your result" }).waitFor();
  }],
  ["plan", async (p) => {
    await p.goto(base + "/plan");
    await p.selectOption("#pain_type", "flexion");
    await p.selectOption("#role", "receptive");
    await p.selectOption("#partner_pain_type", "extension");
    await p.getByRole("button", { name: "Show the positions" }).click();
    await p.getByRole("heading", { name: "At a glance" }).waitFor();
  }],
  ["check", async (p) => p.goto(base + "/check")],
  ["faq", async (p) => p.goto(base + "/faq")],
  ["move", async (p) => p.goto(base + "/move?pain_type=flexion")],
  ["sign-in", async (p) => p.goto(base + "/login")],
];
/** The pages of the demo account, signed in. */
const SIGNED_IN = [
  ["plan-signed-in", async (p) => p.goto(base + "/plan")],
  ["journal", async (p) => p.goto(base + "/journal")],
  ["journal-log", async (p) => p.goto(base + "/journal/log/intimacy")],
  ["insights", async (p) => p.goto(base + "/journal/insights")],
  ["account", async (p) => p.goto(base + "/account")],
];

try {
  for (const [size, viewport] of Object.entries(SIZES)) {
    const ctx = await browser.newContext({ viewport });
    const page = await ctx.newPage();
    for (const [name, reach] of PAGES) {
      await reach(page);
      await shoot(page, join(out, `${name}-${size}.png`));
    }
    await page.goto(base + "/login");
    await page.fill("#login", "demo");
    await page.fill("#password", password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/journal/);
    for (const [name, reach] of SIGNED_IN) {
      await reach(page);
      await shoot(page, join(out, `${name}-${size}.png`));
    }
    // The guided timer, on a page of its own with the clock under the script's control.
    const coach = await ctx.newPage();
    await coach.clock.install();
    await coach.goto(base + "/move/coach?exercise=bird-dog");
    await coach.getByRole("button", { name: /guided timer/ }).click();
    await coach.getByRole("button", { name: "Start the timer" }).click();
    const plan = JSON.parse(await coach.locator("#guided").getAttribute("data-plan"));
    const firstHold = plan.steps.findIndex((step) => step.kind === "hold");
    const into = plan.steps.slice(0, firstHold).reduce((ms, step) => ms + step.s * 1000, 0);
    await coach.clock.runFor(into + 3000);
    const top = (el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 8);
    await coach.locator("#guided").evaluate(top);
    await shoot(coach, join(out, `coach-guided-${size}.png`));
    await coach.clock.fastForward(plan.total_s * 1000);
    await coach.getByRole("region", { name: "Set finished" }).waitFor();
    await coach.locator("#guided").evaluate(top);
    await shoot(coach, join(out, `coach-guided-finished-${size}.png`));
    await ctx.close();
  }
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  server.stop();
}
