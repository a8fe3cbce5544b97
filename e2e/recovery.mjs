// Account Self-Recovery in a real browser (Chromium), walked page by page
// (lib.mjs `walker`: in English with the design checks, in LANG — de, fr,
// it — kept in PAGES_DIR for the test's check for English left).
//
// 1. A user with an authenticator app and recovery codes loses the phone at
//    the code prompt, recovers with a recovery code on this (known)
//    browser, and is sent to set up a new app.
// 2. On another browser the user starts again from "Can't sign in?", gives
//    the password, and closes the browser. Opened again (its lasting
//    cookies kept), "Can't sign in?" leads to the status page of the open
//    case: the password proven, the rest missing. "Send a new code" works
//    until its limit, which says so calmly and mails nothing more. The
//    newest code starts the wait; "I lost my second factor" at the next
//    sign-in leads to the case again, which says when it completes.
//
//   node recovery.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME [LANG PAGES_DIR]
//
// The tenant must have self-recovery active and require second factors.
// The user's mail is read by the test that runs this (`ask`: the codes
// mailed to an address so far).
import { ask, inChromium, totp, walker } from "./lib.mjs";

const [base, tenant, username, password, now, lang = "en", pages] = process.argv.slice(2);
if (!now) {
  console.error("usage: node recovery.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME [LANG PAGES_DIR]");
  process.exit(2);
}
const english = lang === "en";
// With SCREENSHOTS=DIR, these pages are saved there (docs/recovery.md).
const shots = {
  "1-prompt": "desktop-light",
  "2-proofs": "desktop-light",
  "3-finish": "desktop-light",
  "4-done": "desktop-light",
  "5-new-app": "phone-light",
  "6-status": "phone-light",
  "7-resend-limit": "phone-dark",
};
const walk = walker({ tenantName: "Strict Inc", lang, pages, prefix: "recovery", shots });
const mailbox = `${username}@${tenant}.example`;
/// The codes mailed to the user so far, once at least `n` came.
const mailedCodes = async (n) => (await ask(`codes ${mailbox} ${n}`)).split(" ").filter(Boolean);

await inChromium(base, tenant, `self-recovery in Chromium: a recovery code, then a case to come back to (${lang})`, async (page, h) => {
  await h.context.setExtraHTTPHeaders({ "accept-language": lang });
  const at = (p, path) => p.waitForURL((url) => url.pathname === `/t/${tenant}${path}`, { timeout: 30000 });
  const submit = async (p, selector) => {
    await Promise.all([p.waitForNavigation({ timeout: 30000 }), p.click(selector)]);
  };

  // 1. Required second factor: set up the app and save codes first.
  await h.signIn(username, password);
  await h.expectPath("/account/totp");
  await walk.visit(page, "required-app");
  const secret = (await page.textContent("code.secret")).trim();
  await page.fill("#code", totp(secret, Number(now)));
  await page.click("form[action$='/account/totp'] button[type=submit]");
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  const codes = await page.$$eval("ol.codes code", (els) => els.map((e) => e.textContent));
  await page.goto(h.at("/account"));
  await page.click("form[action$='/signout'] button");

  // The phone is gone: at the code prompt, "I lost my second factor".
  await h.signIn(username, password);
  await h.expectPath("/signin/otp");
  await walk.visit(page, "1-prompt");
  await page.click("form[action$='/recover/second-step'] button");
  await h.expectPath("/recover/case");
  if (english) await h.expectText("Your password ✓");
  await walk.visit(page, "2-proofs");
  await page.fill("#recovery", "not-a-code");
  await submit(page, "form:has(#recovery) button[type=submit]");
  await page.waitForSelector("#recovery[aria-invalid=true]", { timeout: 15000 });
  if (english) await h.expectText("tries left");
  await walk.visit(page, "proofs-error", { kind: "field-error" });
  await page.fill("#recovery", codes[0]);
  await submit(page, "form:has(#recovery) button[type=submit]");
  await h.expectPath("/recover/case");
  await page.waitForSelector("form[action$='/recover/complete'] button", { timeout: 15000 });
  await walk.visit(page, "3-finish");
  await submit(page, "form[action$='/recover/complete'] button");
  if (english) await h.expectText("You are back in");
  await walk.visit(page, "4-done");
  // The tenant requires a second factor: a new app before anything else.
  await page.click("main a.button");
  await h.expectPath("/account/totp");
  await walk.visit(page, "5-new-app");
  const fresh = (await page.textContent("code.secret")).trim();
  await page.fill("#code", totp(fresh, Number(now) + 30));
  await page.click("form[action$='/account/totp'] button[type=submit]");
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  await walk.visit(page, "new-recovery-codes");
  const newCodes = await page.$$eval("ol.codes code", (els) => els.map((e) => e.textContent));
  if (newCodes.includes(codes[1])) throw new Error("the old recovery codes are still shown");

  // 2. Another browser, which never signed in: "Can't sign in?".
  const browser = h.context.browser();
  const first = await browser.newContext();
  await first.setExtraHTTPHeaders({ "accept-language": lang });
  let other = await first.newPage();
  // one code so far: the one "I lost my second factor" mailed above
  const before = (await mailedCodes(1)).length;
  if (before !== 1) throw new Error(`${before} codes mailed before, not 1`);
  await other.goto(h.at("/signin"));
  await walk.visit(other, "sign-in");
  await other.click("main a[href*='/recover?return_to=']");
  await at(other, "/recover");
  await walk.visit(other, "start");
  await other.fill("#login", username);
  await submit(other, "form[action$='/recover'] button[type=submit]");
  await at(other, "/recover/case");
  await other.fill("#password", password);
  await submit(other, "form:has(#password) button[type=submit]");
  await at(other, "/recover/case");
  if (await other.locator("#password").count()) throw new Error("the password was not taken");

  // The browser is closed; opened again, it has its lasting cookies.
  const kept = (await first.cookies()).filter((c) => c.expires > 0);
  await first.close();
  const again = await browser.newContext();
  await again.setExtraHTTPHeaders({ "accept-language": lang });
  await again.addCookies(kept);
  other = await again.newPage();
  await other.goto(h.at("/signin"));
  await other.click("main a[href*='/recover?return_to=']");
  await at(other, "/recover/case");
  // what is proven (the password) and what is missing (the rest)
  const status = await other.$$eval("ul.status li", (items) =>
    items.map((li) => (li.querySelector(".ok") ? "proven" : li.querySelector(".muted") ? "missing" : "?")),
  );
  if (status.join(" ") !== "missing proven missing") {
    throw new Error(`the status page shows email code, password, recovery code as: ${status.join(", ")}`);
  }
  if (english) {
    const text = await other.textContent("main");
    for (const shown of ["Code from your email: still needed", "Your password: ✓ proven", "A recovery code: still needed", "What happens next", "Finish in this browser"]) {
      if (!text.replace(/\s+/g, " ").includes(shown)) throw new Error(`the status page does not say "${shown}"`);
    }
  }
  await walk.visit(other, "6-status");

  // "Send a new code", until its limit.
  let resent = 0;
  for (; resent < 5; resent++) {
    await submit(other, "form[action$='/recover/resend'] button");
    if (!new URL(other.url()).searchParams.has("resent")) break;
    if (resent === 0) await walk.visit(other, "new-code");
  }
  console.log(`new codes before the limit: ${resent}`);
  // three codes an hour for a name: the start's and two new ones
  if (resent !== 2) throw new Error(`${resent} new codes before the limit, not 2`);
  // a calm notice, not an error: nothing the person did was wrong
  await other.waitForSelector("main p.notice.warning[role=status]", { timeout: 15000 });
  if (await other.locator("main .error").count()) throw new Error("the limit is shown as an error");
  if (english) {
    const text = (await other.textContent("main")).replace(/\s+/g, " ");
    // the way on: the code already mailed (the walk uses it below), or a
    // recovery code
    for (const shown of ["No new code now", "The newest code this recovery mailed you still works", "your password with a recovery code"]) {
      if (!text.includes(shown)) throw new Error(`the limit does not say "${shown}"`);
    }
  }
  // the way on: the proofs that still work are on the page
  if (!(await other.locator("#email-code").count()) || !(await other.locator("#recovery").count())) {
    throw new Error("the limit's page does not offer the proofs that still work");
  }
  await walk.visit(other, "7-resend-limit");
  // mailed: the start's code and one per new code — none for the refused one
  const mailed = await mailedCodes(before + 1 + resent);
  if (mailed.length !== before + 1 + resent) {
    throw new Error(`${mailed.length - before} codes mailed for a start and ${resent} new codes`);
  }

  // The newest code: proven, the case waits (a browser never signed in).
  await other.fill("#email-code", mailed.at(-1));
  await submit(other, "form:has(#email-code) button[type=submit]");
  await at(other, "/recover/case");
  await other.waitForSelector("main p.notice[role=status]", { timeout: 15000 });
  if (await other.locator("#email-code, #recovery").count()) throw new Error("the newest code was not taken");
  const waiting = async () => {
    const notice = await other.textContent("main p.notice[role=status]");
    if (!notice.includes("24")) throw new Error(`the wait does not say when it completes: ${notice}`);
    if (english) {
      const zone = await other.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
      if (!notice.includes(`(${zone}), in 24 hours`)) throw new Error(`not on this browser's clock: ${notice}`);
    }
  };
  await waiting();
  await walk.visit(other, "8-waiting");

  // Back later, through the sign-in: "I lost my second factor" leads to
  // the same case.
  await other.goto(h.at("/signin"));
  await other.fill("#login", username);
  await other.fill("#password", password);
  await submit(other, "form[action$='/signin'] button[type=submit]");
  await at(other, "/signin/otp");
  await submit(other, "form[action$='/recover/second-step'] button");
  await at(other, "/recover/case");
  await waiting();
  await walk.visit(other, "waiting-again");
  await submit(other, "form[action$='/recover/stop'] button");
  await walk.visit(other, "stopped");
  await again.close();
  console.log(`walked ${walk.visited()} pages`);
});
