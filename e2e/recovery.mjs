// Account Self-Recovery in a real browser (Chromium): a user with an
// authenticator app and recovery codes loses the phone at the code prompt,
// recovers with a recovery code, and is sent to set up a new app.
//
//   node recovery.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME
//
// The tenant must have self-recovery active and require second factors.
import { inChromium, totp } from "./lib.mjs";

// With SCREENSHOTS=DIR, the pages of the journey are saved there (for
// docs/recovery.md); the test itself does not need them.
const shots = process.env.SCREENSHOTS;
async function shot(page, name) {
  if (shots) {
    await page.setViewportSize({ width: 900, height: 700 });
    await page.screenshot({ path: `${shots}/recovery-${name}.png`, fullPage: true });
  }
}

const [base, tenant, username, password, now] = process.argv.slice(2);
if (!now) {
  console.error("usage: node recovery.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME");
  process.exit(2);
}

await inChromium(base, tenant, "self-recovery with a recovery code in Chromium, then a new app required", async (page, h) => {
  // Required second factor: set up the app and save codes first.
  await h.signIn(username, password);
  await h.expectPath("/account/totp");
  const secret = (await page.textContent("code.secret")).trim();
  await page.fill("#code", totp(secret, Number(now)));
  await page.click("text=Turn on");
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  const codes = await page.$$eval("ol.codes code", (els) => els.map((e) => e.textContent));
  await page.goto(h.at("/account"));
  await page.click("text=Sign out");

  // The phone is gone: at the code prompt, "I lost my second factor".
  await h.signIn(username, password);
  await h.expectPath("/signin/otp");
  await shot(page, "1-prompt");
  await page.click("text=I lost my second factor");
  await h.expectPath("/recover/case");
  await h.expectText("Your password ✓");
  await shot(page, "2-proofs");
  await page.fill("#recovery", codes[0]);
  await page.click("text=Check recovery code");
  await h.expectPath("/recover/case");
  await h.expectText("Finish the recovery");
  await shot(page, "3-finish");
  await page.click("text=Finish the recovery");
  await h.expectText("You are back in");
  await shot(page, "4-done");
  await page.click("text=Continue");
  // The tenant requires a second factor: a new app before anything else.
  await h.expectPath("/account/totp");
  await h.expectText("Set up an authenticator app");
  await shot(page, "5-new-app");
});
