// Couple mode in Chromium, with two browser contexts: one partner on a laptop, the other on a
// phone, each with their own account. They link through an invitation, choose what they share,
// see the couple plan learn what was shared, mark positions privately (the list shows only what
// both marked, never one partner's no), and one asks the other, from an intimacy log, how their
// back is the next morning. Ending the link takes every shared thing away at once.
//
// Run through `cargo test` (tests/e2e.rs sets SPINEWISE_BIN), or by hand:
//   SPINEWISE_BIN=target/debug/spinewise node --test tests/e2e/couple.test.mjs

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser, linkPartners, pick, saveProfile, shareItems, signUp, startServer } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, "artifacts");

let server;
let base;
let browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer({ prefix: "spinewise-e2e-couple-" });
  base = server.base;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** A context of its own for one partner, recording every request that leaves the app. */
async function partner(options) {
  const ctx = await browser.newContext(options);
  const foreign = [];
  ctx.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(base + "/") && !url.startsWith("data:") && !url.startsWith("blob:")) foreign.push(url);
  });
  const page = await ctx.newPage();
  return { ctx, page, foreign };
}

/** The names in one list of "Our list" ("You both said yes" or "Yes or maybe for both"). */
async function listed(page, heading) {
  const list = page.getByRole("list", { name: heading });
  return (await list.count()) === 0 ? [] : list.getByRole("listitem").allInnerTexts();
}

/** What the plan says it does not know. */
async function notKnown(page) {
  const note = page.locator('[role="note"]', { hasText: "This plan does not know" });
  return (await note.count()) === 0 ? "" : await note.innerText();
}

test("two partners link, share, plan, mark and ask about the next morning, each in their own browser", async () => {
  const alex = await partner({ viewport: { width: 1280, height: 800 } });
  const blair = await partner({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const a = alex.page;
  const b = blair.page;

  // Two accounts, each with their own pain type and role.
  await signUp(a, base, "alex");
  await saveProfile(a, base, { painType: "flexion", role: "receptive" });
  await signUp(b, base, "blair");
  await saveProfile(b, base, { painType: "extension", role: "insertive" });

  // Alex invites from the Partner page in the menu; Blair opens the link and accepts.
  await a.goto(base + "/journal");
  await a.getByRole("navigation").getByRole("link", { name: "Partner", exact: true }).click();
  await a.getByRole("heading", { name: "You and your partner" }).waitFor();
  const code = await linkPartners(a, b, base);
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/, "a code of 16 letters and digits");
  await b.getByText("Linked with alex").waitFor();
  await a.goto(base + "/partner");
  await a.getByText("Linked with blair").waitFor();
  assert.equal(await a.getByText(code).count(), 0, "the code is shown once");
  for (const [page, other] of [[a, "blair"], [b, "alex"]]) {
    await page.goto(base + "/account");
    assert.match(await page.locator("#partner-link").innerText(), new RegExp(`^Linked with ${other} since `));
  }

  // Nothing is shared yet: Alex's plan says what it does not know, and judges Blair's back as
  // Alex saved it on the plan form (no back pain).
  await a.goto(base + "/partner");
  assert.match(await notKnown(a), /your partner's back pain today/);
  const theirBack = () => a.locator('table.couple-plan td[data-label="Your partner\'s back"]').allInnerTexts();
  const before = await theirBack();

  // Blair has a bad morning, and each chooses what to share.
  await b.goto(base + "/journal/log/daily");
  await pick(b, "Back pain on getting up", 7);
  await b.getByRole("button", { name: "Save", exact: true }).click();
  await b.getByText("Daily check-in saved.").waitFor();
  await shareItems(b, base, ["pain_type_role", "todays_pain", "morning_answer"]);
  await shareItems(a, base, ["pain_type_role"]);

  // Alex's plan now judges Blair's extension-intolerant back on a bad day.
  await a.goto(base + "/partner");
  const aKnows = await notKnown(a);
  assert.doesNotMatch(aKnows, /back pain today/, "Blair shared today's pain");
  assert.match(aKnows, /your partner's conditions/, "Blair did not share conditions");
  assert.notDeepEqual(await theirBack(), before, "Blair's back is judged as Blair shared it");
  await b.goto(base + "/partner");
  assert.match(await notKnown(b), /your partner's back pain today/, "Alex did not share today's pain");
  assert.equal(
    await a.locator("table.couple-plan tbody th").count(),
    await b.locator("table.couple-plan tbody th").count(),
    "both see every position",
  );

  // Three positions suitable for both backs today, as Alex's plan judges them.
  const rows = a.locator("table.couple-plan tbody tr:not(.verdict-avoid)");
  assert.ok((await rows.count()) >= 3, "at least three positions suit both backs");
  const picked = [];
  for (let i = 0; i < 3; i++) {
    const row = rows.nth(i);
    const name = (await row.locator("th").innerText()).trim();
    const select = await row.locator("select").getAttribute("name");
    picked.push({ name, select });
  }
  const [first, second, third] = picked;

  // Blair marks all three yes first: alone, that shows nothing to either.
  await b.goto(base + "/partner");
  for (const p of picked) await b.selectOption(`select[name="${p.select}"]`, "yes");
  await b.getByRole("button", { name: "Save my marks" }).click();
  await b.getByRole("heading", { name: "Our plan today" }).waitFor();
  await a.goto(base + "/partner");
  await a.getByText("Nothing yet: a position shows here once you have both marked it").waitFor();

  // Alex: yes, maybe, no.
  await a.selectOption(`select[name="${first.select}"]`, "yes");
  await a.selectOption(`select[name="${second.select}"]`, "maybe");
  await a.selectOption(`select[name="${third.select}"]`, "no");
  await a.getByRole("button", { name: "Save my marks" }).click();
  await a.getByRole("heading", { name: "Our plan today" }).waitFor();
  for (const page of [a, b]) {
    await page.goto(base + "/partner");
    assert.deepEqual(await listed(page, "You both said yes"), [first.name]);
    assert.deepEqual(await listed(page, "Yes or maybe for both"), [first.name, second.name]);
  }
  // Blair's page never shows Alex's marks, so Alex's no cannot be read off it.
  assert.equal(await b.locator(`select[name="${third.select}"]`).inputValue(), "yes", "Blair sees only Blair's mark");
  await a.screenshot({ path: join(artifacts, "couple-desktop.png"), fullPage: true });
  await b.screenshot({ path: join(artifacts, "couple-phone.png"), fullPage: true });

  // Alex logs an occasion and asks Blair from the log form.
  // Last night, so that this morning is Blair's morning after.
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await a.goto(base + "/journal/log/intimacy");
  await a.fill("#at", `${yesterday}T22:00`);
  await a.locator("input[name=position]").first().check();
  await pick(a, "Back pain just before", 2);
  await pick(a, "Back pain right after", 2);
  await a.getByLabel("Ask my partner how their back is the next morning").check();
  await a.getByRole("button", { name: "Save", exact: true }).click();
  await a.getByText("Your partner will be asked how their back is the next morning.").waitFor();

  // Blair answers in their own journal.
  await b.goto(base + "/partner");
  const question = b.getByText(`Your partner asks: how is your back this morning, after ${yesterday}?`);
  await question.waitFor();
  await b.getByLabel(/Pain on getting up, 0–10/).fill("3");
  await b.getByRole("button", { name: "Save to my journal" }).click();
  await b.getByRole("heading", { name: "Our plan today" }).waitFor();
  assert.equal(await b.getByText(/Your partner asks/).count(), 0, "answered once");
  await b.goto(base + "/journal");
  assert.match(await b.locator("main").innerText(), /Daily check-in/, "the answer is in Blair's own journal");

  // Blair shares morning answers, but Alex sees Blair's only once Alex shares theirs too.
  await a.goto(base + "/partner#mornings");
  const occasion = a.locator("#mornings li").first();
  assert.match(await occasion.innerText(), new RegExp(`^${yesterday}: you asked\\. .*your partner's: not shared\\.$`));
  await shareItems(a, base, ["pain_type_role", "morning_answer"]);
  assert.match(await occasion.innerText(), /you asked\. Your back the next morning: not logged; your partner's: 3\/10\./);

  // Blair ends the link: Alex's plan loses everything Blair shared, at once.
  await b.goto(base + "/partner");
  await b.getByLabel(/End it for both of us/).check();
  await b.getByRole("button", { name: "End the link" }).click();
  await b.getByRole("button", { name: "Make an invitation code" }).waitFor();
  await a.goto(base + "/partner");
  await a.getByRole("button", { name: "Make an invitation code" }).waitFor();
  assert.equal(await a.getByText("Our list").count(), 0);
  await a.goto(base + "/journal/log/intimacy");
  assert.equal(await a.getByText("Ask my partner").count(), 0, "no partner to ask");

  assert.deepEqual(alex.foreign, [], "every request of Alex's stays on the app");
  assert.deepEqual(blair.foreign, [], "every request of Blair's stays on the app");
  await alex.ctx.close();
  await blair.ctx.close();
});
