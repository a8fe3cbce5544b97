// An authenticator app and recovery codes in a real browser (Chromium):
// set up the app from the page's key, save recovery codes, then sign in with
// an app code and, later, with a recovery code.
//
//   node totp.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME
//
// Codes are computed here (RFC 6238) for the server's clock, which the
// tests set.
import { inChromium, totp } from "./lib.mjs";

const [base, tenant, username, password, now] = process.argv.slice(2);
if (!now) {
  console.error("usage: node totp.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME");
  process.exit(2);
}

await inChromium(base, tenant, "authenticator app and recovery codes in Chromium", async (page, h) => {
  await h.signIn(username, password);
  await h.expectPath("/account");
  await page.click("text=Set up an authenticator app");
  await h.expectPath("/account/totp");
  const secret = (await page.textContent("code.secret")).trim();
  await page.fill("#code", totp(secret, Number(now)));
  await page.click("text=Turn on");
  // The first recovery codes come with the app, without another click.
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  const codes = await page.$$eval("ol.codes code", (els) => els.map((e) => e.textContent));
  if (codes.length !== 10) {
    throw new Error(`expected 10 recovery codes, saw ${codes.length}`);
  }
  // Copy puts them on the clipboard, one per line, and says so.
  await h.context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.click("#codes-copy");
  await page.waitForSelector("#codes-status:has-text('Copied')", { timeout: 5000 });
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  if (copied !== codes.join("\n") + "\n") {
    throw new Error(`the clipboard holds ${JSON.stringify(copied)}`);
  }
  if (!(await page.isVisible("#codes-print"))) {
    throw new Error("the print button is not shown");
  }

  // The app's next code (the one used to set it up is spent).
  await page.goto(h.at("/account"));
  await page.click("text=Sign out");
  await h.signIn(username, password);
  await h.expectPath("/signin/otp");
  await page.fill("#code", totp(secret, Number(now) + 30));
  await page.click("text=Continue");
  await h.expectPath("/account");
  await h.expectText("password, authenticator app");

  // Phone lost: a recovery code instead.
  await page.click("text=Sign out");
  await h.signIn(username, password);
  await h.expectPath("/signin/otp");
  await page.click("text=Use a recovery code");
  await page.fill("#recovery", codes[0]);
  await page.click("text=Use recovery code");
  await h.expectPath("/account");
  await h.expectText("password, recovery code");
  await h.expectText("9 unused");
});
