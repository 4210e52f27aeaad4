// What the browser tests share: this build's server on a free port with its own data
// directory, and Chromium launched headless with the flags every test needs.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

export const chromiumPath = process.env.SPINEWISE_CHROMIUM ?? "/usr/bin/chromium";

/** The flags of every launch: headless, no sandbox or GPU, nothing fetched in the background. */
export const BROWSER_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Chromium with the common flags and `extraArgs`; Playwright gives it a fresh user-data-dir. */
export function launchBrowser(extraArgs = []) {
  return chromium.launch({ executablePath: chromiumPath, args: [...BROWSER_ARGS, ...extraArgs] });
}

/**
 * Starts `spinewise serve` (from SPINEWISE_BIN) on a free port with a fresh data directory
 * (or `dataDir`, which it then removes when stopped), in `cwd` when given. Resolves to `{ base, stop }` once the server says where it runs.
 */
export function startServer({ prefix = "spinewise-e2e-data-", cwd, timeoutMs = 30_000, dataDir: given } = {}) {
  const bin = process.env.SPINEWISE_BIN;
  assert.ok(bin, "SPINEWISE_BIN names the spinewise binary");
  const dataDir = given ?? mkdtempSync(join(tmpdir(), prefix));
  const server = spawn(resolve(bin), ["serve", "--bind", "127.0.0.1:0"], {
    cwd,
    env: { ...process.env, SPINEWISE_DATA_DIR: dataDir, RUST_LOG: "warn" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const stop = () => {
    server.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  };
  return new Promise((resolvePromise, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${seen}`)), timeoutMs);
    server.stderr.on("data", (chunk) => {
      seen += chunk;
      const m = seen.match(/running at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ base: m[1], stop });
      }
    });
    server.on("exit", (code) => reject(new Error(`the server exited with ${code}:\n${seen}`)));
  });
}

/** The answers of a flexion-intolerant back, by questionnaire item. */
const FLEXION = {
  sitting: "worse",
  bending: "worse",
  standing: "better",
  walking: "better",
  arching: "no-change",
  "lying-face-down": "better",
  "time-of-day": "morning",
  "any-direction": "one-direction",
  twisting: "no-change",
  relief: "stand-or-walk",
};

/** Ticks the flexion answers to the questions on the assessment's current step. */
export async function answerStep(page) {
  for (const [item, option] of Object.entries(FLEXION)) {
    const radio = page.locator(`input[type=radio][name="a.${item}"][value="${option}"]`);
    if ((await radio.count()) > 0) await radio.check();
  }
}

/** Answers steps 2 to 4 of the assessment as a flexion-intolerant back, to the result. */
export async function answerSteps(page, { save = false } = {}) {
  for (let step = 2; step <= 4; step++) {
    await answerStep(page);
    if (step === 4 && save) await page.getByLabel("Save the result to my profile").check();
    await page.getByRole("button", { name: step === 4 ? "See my result" : "Next" }).click();
  }
}

/** Signs `login` up on the page and goes past the recovery code. */
export async function signUp(page, base, login, password = "a long enough password") {
  await page.goto(base + "/signup");
  await page.getByLabel("Username or email").fill(login);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Your recovery code" }).waitFor();
}

/** Saves a pain type and a role to the signed-in account's profile through the plan form. */
export async function saveProfile(page, base, { painType, role }) {
  await page.goto(base + "/plan");
  await page.selectOption("#pain_type", painType);
  await page.selectOption("#role", role);
  await page.check("#save");
  await page.getByRole("button", { name: "Show the positions" }).click();
  await page.getByRole("heading", { name: "At a glance" }).waitFor();
}

/**
 * Links two signed-in pages' accounts on the Partner page: `inviter` makes a code, `invitee`
 * opens the invitation's link and accepts. Resolves to the code.
 */
export async function linkPartners(inviter, invitee, base) {
  await inviter.goto(base + "/partner");
  await inviter.getByRole("button", { name: "Make an invitation code" }).click();
  const code = (await inviter.locator("#invitation-code").innerText()).trim();
  await invitee.goto(`${base}/partner/join?code=${encodeURIComponent(code)}`);
  await invitee.getByRole("button", { name: "Link our accounts" }).click();
  await invitee.getByText("Each of you sees only what the other chooses to share.").waitFor();
  return code;
}

/** Ticks exactly `items` (ids such as "pain_type_role") among what the page shares, and saves. */
export async function shareItems(page, base, items) {
  await page.goto(base + "/partner#sharing");
  for (const box of await page.locator("input[name=item]").all()) {
    const value = await box.getAttribute("value");
    await box.setChecked(items.includes(value));
  }
  await page.getByRole("button", { name: "Save what I share" }).click();
  await page.getByRole("heading", { name: "Our plan today" }).waitFor();
}

/** Picks a value in a row of 0–10 (or 1–5) buttons, found by the row's legend. */
export async function pick(page, legend, value) {
  const row = page.getByRole("group", { name: legend });
  // A tap lands on the (transparent) radio button that covers its numbered label.
  await row.getByLabel(String(value), { exact: true }).check();
}
