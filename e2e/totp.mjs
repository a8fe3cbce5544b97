// An authenticator app and recovery codes in a real browser (Chromium):
// set up the app from the page's key, save recovery codes, then sign in with
// an app code and, later, with a recovery code. Every page is walked
// (lib.mjs `walker`): in English with the design checks, in LANG (de, fr,
// it) kept in PAGES_DIR for the test's check for English left.
//
//   node totp.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME [LANG PAGES_DIR]
//
// Codes are computed here (RFC 6238) for the server's clock, which the
// tests set.
import { inChromium, totp, walker } from "./lib.mjs";

const [base, tenant, username, password, now, lang = "en", pages] = process.argv.slice(2);
if (!now) {
  console.error("usage: node totp.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME [LANG PAGES_DIR]");
  process.exit(2);
}
const english = lang === "en";
// With SCREENSHOTS=DIR, these pages are saved there (docs/account-security.md).
const shots = { "app-set-up": "desktop-light", "recovery-codes": "phone-light", "second-step": "phone-dark" };
const walk = walker({ tenantName: "Acme Corp", lang, pages, prefix: "factors", shots });

await inChromium(base, tenant, `authenticator app and recovery codes in Chromium (${lang})`, async (page, h) => {
  await h.context.setExtraHTTPHeaders({ "accept-language": lang });
  // A wrong code in the form posting to `action` (its error walked as
  // `name`), then the `right` one.
  const wrongThenRight = async (action, right, name) => {
    const submit = `form[action$='${action}'] button[type=submit]`;
    await page.fill("#code", right === "000000" ? "111111" : "000000");
    await page.click(submit);
    await page.waitForSelector("#code[aria-invalid=true]", { timeout: 15000 });
    await walk.visit(page, name, { kind: "field-error" });
    await page.fill("#code", right);
    await page.click(submit);
  };
  const signOut = async () => {
    await page.click("form[action$='/signout'] button");
    await h.expectPath("/signin");
  };
  await page.goto(h.at("/signin"));
  await walk.visit(page, "sign-in");
  await h.signIn(username, password);
  await h.expectPath("/account");
  await walk.visit(page, "account");
  await page.click(`main a[href='/t/${tenant}/account/totp']`);
  await h.expectPath("/account/totp");
  await walk.visit(page, "app-set-up");
  const secret = (await page.textContent("code.secret")).trim();
  await wrongThenRight("/account/totp", totp(secret, Number(now)), "app-set-up-error");
  // The first recovery codes come with the app, without another click.
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  await walk.visit(page, "recovery-codes");
  const codes = await page.$$eval("ol.codes code", (els) => els.map((e) => e.textContent));
  if (codes.length !== 10) {
    throw new Error(`expected 10 recovery codes, saw ${codes.length}`);
  }
  // Copy puts them on the clipboard, one per line, and says so.
  await h.context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.click("#codes-copy");
  await page.waitForSelector("#codes-status:not(:empty)", { timeout: 5000 });
  if (english) await h.expectText("Copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  if (copied !== codes.join("\n") + "\n") {
    throw new Error(`the clipboard holds ${JSON.stringify(copied)}`);
  }
  if (!(await page.isVisible("#codes-print"))) {
    throw new Error("the print button is not shown");
  }
  await walk.visit(page, "recovery-codes-copied");

  // The app's next code (the one used to set it up is spent).
  await page.goto(h.at("/account"));
  await signOut();
  await h.signIn(username, password);
  await h.expectPath("/signin/otp");
  await walk.visit(page, "second-step");
  await wrongThenRight("/signin/otp", totp(secret, Number(now) + 30), "second-step-error");
  await h.expectPath("/account");
  if (english) await h.expectText("password, authenticator app");

  // Phone lost: a recovery code instead.
  await signOut();
  await h.signIn(username, password);
  await h.expectPath("/signin/otp");
  await page.click("details summary");
  await page.fill("#recovery", "not-a-code");
  await page.click("form[action$='/signin/recovery-code'] button[type=submit]");
  await page.waitForSelector("#recovery[aria-invalid=true]", { timeout: 15000 });
  await walk.visit(page, "recovery-code-error", { kind: "field-error" });
  await page.fill("#recovery", codes[0]);
  await page.click("form[action$='/signin/recovery-code'] button[type=submit]");
  // The offer of a fresh set comes first (decision 0031) …
  await h.expectPath("/account/recovery-codes/used");
  await walk.visit(page, "recovery-code-used");
  if (english) await h.expectText("You have 9 recovery codes left.");
  // … and stands on the account page until answered: "Later".
  await page.goto(h.at("/account"));
  await page.waitForSelector("#codes-used", { timeout: 15000 });
  await walk.visit(page, "account-with-app");
  if (english) {
    await h.expectText("password, recovery code");
    await h.expectText("9 unused");
  }
  await page.click("#codes-used form[action$='/recovery-codes/later'] button[type=submit]");
  await h.expectPath("/account");
  if ((await page.locator("#codes-used").count()) !== 0) {
    throw new Error("the offer stands after Later");
  }
  console.log(`walked ${walk.visited()} pages`);
});
