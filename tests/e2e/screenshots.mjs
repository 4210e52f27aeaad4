// Screenshots of every main page at a phone's size (390×844) and a laptop's (1280×800), into
// docs/screenshots/, so that a change to what people see can be compared with what was there.
// A demo account with a synthetic year of journal entries fills the journal's pages. The
// motion coach's guided timer (this browser has no camera) is shown running, a few seconds into
// a hold on Playwright's clock, and at the end of the set with its save form. Last, the demo
// account is linked with a second account for the couple view on the Partner page.
//
// Then every position's drawing on one sheet, docs/positions.png, and the plan with its first
// positions open, docs/plan.png: the drawings are copied from a real plan page (a couple whose
// backs dislike rounding and arching, so that colours and suggested pillows vary) onto a plain
// grid with each position's name and caption. `positions` as the argument takes only these two.
//
//   cargo build && (cd tests/e2e && npm ci) && SPINEWISE_BIN=target/debug/spinewise node tests/e2e/screenshots.mjs [positions]

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { answerSteps, launchBrowser, linkPartners, saveProfile, shareItems, signUp, startServer } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const docs = resolve(here, "..", "..", "docs");
const out = join(docs, "screenshots");
mkdirSync(out, { recursive: true });
const onlyPositions = process.argv[2] === "positions";

const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };

// A demo account, made before the server starts on the same data directory.
const dataDir = mkdtempSync(join(tmpdir(), "spinewise-screenshots-"));
const demo = onlyPositions
  ? ""
  : execFileSync(resolve(process.env.SPINEWISE_BIN), ["--data-dir", dataDir, "demo"], {
      encoding: "utf8",
    });
const password = demo.match(/Password:\s+(\S+)/)?.[1];

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

/** The plan of a couple whose backs differ: flexion-intolerant receptive, extension-intolerant insertive. */
async function openPlan(p) {
  await p.goto(base + "/plan");
  await p.selectOption("#pain_type", "flexion");
  await p.selectOption("#role", "receptive");
  await p.selectOption("#partner_pain_type", "extension");
  await p.getByRole("button", { name: "Show the positions" }).click();
  await p.getByRole("heading", { name: "At a glance" }).waitFor();
}

/** Escapes text for the sheet's markup. */
const html = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * docs/positions.png: every position's drawing as the plan shows it, with its name and caption,
 * three to a row; and docs/plan.png: the plan at a laptop's width with its first two positions
 * open.
 */
async function positionSheets() {
  const ctx = await browser.newContext({ viewport: { width: 900, height: 1200 } });
  const page = await ctx.newPage();
  await openPlan(page);
  const cards = page.locator("ol.positions > li");
  const drawings = [];
  for (let i = 0; i < (await cards.count()); i++) {
    const card = cards.nth(i);
    drawings.push({
      name: (await card.locator("summary h3").evaluate((h) => h.firstChild.textContent)).trim(),
      verdict: (await card.locator("summary .verdict").innerText()).trim(),
      svg: await card.locator("svg.drawing").evaluate((s) => s.outerHTML),
      caption: (await card.locator("figcaption").textContent()).trim(),
    });
  }
  for (let i = 0; i < 2; i++) await cards.nth(i).locator("summary").click();
  await page.getByRole("heading", { name: "Positions, best first" }).evaluate((h) => h.scrollIntoView());
  await page.screenshot({ path: join(docs, "plan.png") });

  const sheet = await ctx.newPage();
  await sheet.setViewportSize({ width: 1290, height: 800 });
  await sheet.setContent(`<!doctype html><html lang="en"><head><style>
    body { margin: 0; padding: 16px; font: 14px/1.35 system-ui, sans-serif; color: #1f2933; background: #f4f5f7; }
    h1 { font-size: 18px; margin: 0 0 4px; }
    p.lead { margin: 0 0 12px; color: #52606d; }
    .grid { display: grid; grid-template-columns: repeat(3, 410px); gap: 12px; }
    figure { margin: 0; padding: 8px; background: #fff; border: 1px solid #d9dde3; border-radius: 6px; }
    h2 { font-size: 15px; margin: 0 0 6px; }
    .verdict { font-weight: normal; color: #52606d; }
    svg { display: block; width: 100%; height: auto; }
    figcaption { font-size: 12px; color: #52606d; margin-top: 6px; }
  </style></head><body>
  <h1>Every position, as the plan draws it</h1>
  <p class="lead">For a couple where the receptive partner's back dislikes rounding and the insertive partner's dislikes arching: receptive partner in blue, insertive partner in sand, each lower back green, amber or red by how well the position suits it.</p>
  <div class="grid">${drawings
    .map(
      (d) => `<figure><h2>${html(d.name)} <span class="verdict">· ${html(d.verdict)}</span></h2>${d.svg}<figcaption>${html(d.caption)}</figcaption></figure>`,
    )
    .join("")}</div></body></html>`);
  await sheet.screenshot({ path: join(docs, "positions.png"), fullPage: true });
  await ctx.close();
}

/** Signs the demo account in on `page`. */
async function signInDemo(page) {
  await page.goto(base + "/login");
  await page.fill("#login", "demo");
  await page.fill("#password", password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/journal/);
}

/**
 * The couple view, partner-desktop.png and partner-phone.png: the demo account (flexion-
 * intolerant, receptive) linked with a partner whose back dislikes arching. Both share their
 * pain type and role; each has marked three positions, which meet on one yes and one maybe.
 */
async function coupleView() {
  const demoCtx = await browser.newContext({ viewport: SIZES.desktop });
  const demoPage = await demoCtx.newPage();
  await signInDemo(demoPage);
  const partnerCtx = await browser.newContext({ viewport: SIZES.desktop });
  const partner = await partnerCtx.newPage();
  await signUp(partner, base, "sam");
  await saveProfile(partner, base, { painType: "extension", role: "insertive" });
  await linkPartners(demoPage, partner, base);
  await shareItems(partner, base, ["pain_type_role", "morning_answer"]);
  await shareItems(demoPage, base, ["pain_type_role", "morning_answer"]);
  const rows = demoPage.locator("table.couple-plan tbody tr:not(.verdict-avoid) select");
  const marks = [];
  for (let i = 0; i < 3; i++) marks.push(await rows.nth(i).getAttribute("name"));
  for (const [page, answers] of [[partner, ["yes", "yes", "maybe"]], [demoPage, ["yes", "maybe", "no"]]]) {
    await page.goto(base + "/partner");
    for (const [i, name] of marks.entries()) await page.selectOption(`select[name="${name}"]`, answers[i]);
    await page.getByRole("button", { name: "Save my marks" }).click();
    await page.getByRole("heading", { name: "Our plan today" }).waitFor();
  }
  // On a laptop the whole plan with "our list" under it; on a phone, its first screen.
  await demoPage.goto(base + "/partner");
  await demoPage.locator('section[aria-labelledby="plan-head"]').screenshot({ path: join(out, "partner-desktop.png") });
  await demoPage.setViewportSize(SIZES.phone);
  await demoPage.goto(base + "/partner");
  await demoPage.getByRole("heading", { name: "Our plan today" }).evaluate((h) => h.scrollIntoView());
  await shoot(demoPage, join(out, "partner-phone.png"));
  await demoCtx.close();
  await partnerCtx.close();
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
  ["plan", openPlan],
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
  await positionSheets();
  console.log(`drawings in ${join(docs, "positions.png")} and ${join(docs, "plan.png")}`);
  for (const [size, viewport] of onlyPositions ? [] : Object.entries(SIZES)) {
    const ctx = await browser.newContext({ viewport });
    const page = await ctx.newPage();
    for (const [name, reach] of PAGES) {
      await reach(page);
      await shoot(page, join(out, `${name}-${size}.png`));
    }
    await signInDemo(page);
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
  if (!onlyPositions) {
    await coupleView();
    console.log(`screenshots in ${out}`);
  }
} finally {
  await browser.close();
  server.stop();
}
