// Accessibility of every main page, at a phone's size and a laptop's: axe-core's WCAG 2.1 A
// and AA rules find nothing. The pages are reached as a person would, a signed-in journal
// included, and the motion coach's guided timer (this browser has no camera) running and
// finished.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { launchBrowser, startServer } from "./harness.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const SIZES = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];
const PASSWORD = "a long enough password";

let server;
let browser;

before(async () => {
  server = await startServer({ prefix: "spinewise-a11y-data-" });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** axe-core's WCAG 2.1 A and AA violations on the page as it is now. */
async function violations(page) {
  await page.addScriptTag({ path: axePath });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  return found;
}

/** The coach page's guided timer: offered, running, and finished (with the save form when
 * signed in). */
async function guidedTimer(page, base, where) {
  await page.goto(base + "/move/coach?exercise=bird-dog&pain_type=flexion");
  const offer = page.getByRole("button", { name: /guided timer/ });
  await offer.waitFor();
  assert.deepEqual(await violations(page), [], `the coach, offering the guided timer, ${where}`);
  await offer.click();
  await page.getByRole("button", { name: "Start the timer" }).click();
  await page.getByRole("button", { name: "Pause" }).waitFor();
  assert.deepEqual(await violations(page), [], `the guided timer running, ${where}`);
  await page.getByRole("button", { name: "Finish" }).click();
  await page.getByRole("region", { name: "Set finished" }).waitFor();
  assert.deepEqual(await violations(page), [], `the guided timer finished, ${where}`);
}

test("every main page has no accessibility violations, at both sizes", async () => {
  const base = server.base;
  for (const viewport of SIZES) {
    // The checker is injected as a script, which the pages' own policy would refuse.
    const ctx = await browser.newContext({ viewport, bypassCSP: true });
    const page = await ctx.newPage();
    const pages = [
      ["home", async () => page.goto(base + "/")],
      ["assessment", async () => {
        await page.goto(base + "/assess");
        await page.getByRole("button", { name: "Next" }).click();
        await page.getByText("Step 2 of 4").waitFor();
      }],
      ["plan", async () => {
        await page.goto(base + "/plan");
        await page.selectOption("#pain_type", "flexion");
        await page.selectOption("#role", "receptive");
        await page.getByRole("button", { name: "Show the positions" }).click();
        await page.getByRole("heading", { name: "At a glance" }).waitFor();
      }],
      ["check", async () => page.goto(base + "/check")],
      ["faq", async () => page.goto(base + "/faq")],
      ["sources", async () => page.goto(base + "/sources")],
      ["move", async () => page.goto(base + "/move?pain_type=flexion")],
      ["sign-up", async () => page.goto(base + "/signup")],
    ];
    for (const [name, reach] of pages) {
      await reach();
      assert.deepEqual(await violations(page), [], `${name} at ${viewport.width}px`);
    }
    await guidedTimer(page, base, `signed out at ${viewport.width}px`);
    // Signed in: the journal, a form to log, insights, sharing and the account.
    await page.goto(base + "/signup");
    await page.fill("#login", `a11y-${viewport.width}`);
    await page.fill("#password", PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("recovery code", { exact: false }).first().waitFor();
    for (const path of ["/journal", "/journal/log/intimacy", "/journal/insights", "/journal/summary", "/journal/share", "/account", "/plan", "/partner"]) {
      await page.goto(base + path);
      assert.deepEqual(await violations(page), [], `${path} at ${viewport.width}px`);
    }
    // A link for a clinician: shown once, then its PIN form and the page it opens.
    await page.goto(base + "/journal/share");
    await page.fill("#share-pin", "4321");
    await page.getByRole("button", { name: "Make the link" }).click();
    const link = (await page.locator("#link-value").textContent()).trim();
    assert.deepEqual(await violations(page), [], `a new link at ${viewport.width}px`);
    await page.goto(link);
    assert.deepEqual(await violations(page), [], `a link's PIN form at ${viewport.width}px`);
    await page.fill("#pin", "4321");
    await page.getByRole("button", { name: "Open the summary" }).click();
    await page.getByRole("heading", { name: "Shared health summary" }).waitFor();
    assert.deepEqual(await violations(page), [], `a shared page at ${viewport.width}px`);
    await guidedTimer(page, base, `signed in at ${viewport.width}px`);
    await ctx.close();
  }
});
