// Sharing with a clinician in Chromium: the demo account (a synthetic year of journal entries)
// makes a link with every part and a PIN; a browser without any account opens it, gives the
// PIN, and prints the page, which fits one A4 sheet and one Letter sheet. No request leaves the
// app, and the page is neither stored nor indexed.
//
// Run through `cargo test` (tests/e2e.rs sets SPINEWISE_BIN), or by hand:
//   SPINEWISE_BIN=target/debug/spinewise node --test tests/e2e/share.test.mjs

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { launchBrowser, startServer } from "./harness.mjs";

let server;
let base;
let browser;
let password;

before(async () => {
  // The demo account is made before the server starts on the same data directory.
  const dataDir = mkdtempSync(join(tmpdir(), "spinewise-e2e-share-"));
  const demo = execFileSync(resolve(process.env.SPINEWISE_BIN), ["--data-dir", dataDir, "demo"], {
    encoding: "utf8",
  });
  password = demo.match(/Password:\s+(\S+)/)?.[1];
  assert.ok(password, "the demo prints its password");
  server = await startServer({ dataDir });
  base = server.base;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** How many pages a PDF has. */
function pageCount(pdf) {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

test("a clinician opens a shared link with its PIN and prints it on one A4 and one Letter page", async () => {
  // The patient makes the link.
  const patient = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await patient.newPage();
  await page.goto(base + "/login");
  await page.fill("#login", "demo");
  await page.fill("#password", password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/journal/);
  await page.goto(base + "/journal/summary");
  await page.getByRole("link", { name: "Share with a clinician" }).click();
  for (const part of ["plan", "summary", "adherence", "fhir"]) await page.check(`#part-${part}`);
  await page.fill("#share-days", "3");
  await page.fill("#share-pin", "5821");
  await page.getByRole("button", { name: "Make the link" }).click();
  const link = (await page.locator("#link-value").textContent()).trim();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{43}$/);
  await page.getByRole("button", { name: "I have copied it" }).click();
  assert.equal(await page.locator("#link-value").count(), 0, "the link is shown once");
  await patient.close();

  // The clinician: no account, only the link and the PIN.
  const clinician = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const requests = [];
  clinician.on("request", (r) => requests.push(r.url()));
  const view = await clinician.newPage();
  const first = await view.goto(link);
  assert.equal(first.headers()["cache-control"], "no-store");
  assert.match(first.headers()["x-robots-tag"], /noindex/);
  assert.equal(first.headers()["referrer-policy"], "no-referrer");
  await view.fill("#pin", "5821");
  await view.getByRole("button", { name: "Open the summary" }).click();
  await view.getByRole("heading", { name: "Shared health summary" }).waitFor();
  await view.getByText("Shared by the patient through spinewise. Health education, not diagnosis.").waitFor();
  for (const row of ["Plan", "Pain type", "PEG score", "Flare-ups", "Exercise sessions"]) {
    assert.equal(await view.getByRole("rowheader", { name: row, exact: true }).count(), 1, row);
  }
  await view.getByRole("button", { name: "Download FHIR R4 bundle" }).waitFor();
  for (const format of ["A4", "Letter"]) {
    assert.equal(pageCount(await view.pdf({ format })), 1, `one ${format} page`);
  }
  const foreign = requests.filter((u) => !u.startsWith(base + "/") && !u.startsWith("data:"));
  assert.deepEqual(foreign, [], "every request stays on the app");
  await clinician.close();
});
