// "Recovery in a few clicks" (issue 14): on a known device, a person who
// lost their phone goes from an application's sign-in through "I lost my
// second factor" to a new authenticator app and back at the application.
// Every form submission of the journey is counted; at most 6 are allowed.
//
//   node journey.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME AUTHORIZE_URL REDIRECT_URI
import { createServer } from "node:http";
import { inChromium, totp, walker } from "./lib.mjs";

const [base, tenant, username, password, now, authorize, redirect] = process.argv.slice(2);
if (!redirect) {
  console.error("usage: node journey.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME AUTHORIZE_URL REDIRECT_URI");
  process.exit(2);
}
const LIMIT = 6;
// Every page on the way gets the design checks (lib.mjs `walker`; visits
// submit nothing); with SCREENSHOTS=DIR the next step offered after the
// recovery is saved there (docs/recovery.md).
const walk = walker({ tenantName: "Acme Corp", prefix: "journey", shots: { "done-next-step": "phone-light" } });

await inChromium(base, tenant, "recovery in at most 6 form submissions", async (page, h) => {
  // The application: where the browser comes back to.
  const app = createServer((_, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("back at the application");
  });
  await new Promise((resolve) => app.listen(Number(new URL(redirect).port), "127.0.0.1", resolve));
  app.unref();

  // Before: an authenticator app with its first recovery codes, and a
  // sign-in with it, so that this browser is a known device.
  await h.signIn(username, password);
  await page.goto(h.at("/account/totp"));
  const secret = (await page.textContent("code.secret")).trim();
  await page.fill("#code", totp(secret, Number(now)));
  await page.click("form[action$='/account/totp'] button[type=submit]");
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  const codes = await page.$$eval("ol.codes code", (els) => els.map((e) => e.textContent));
  await page.goto(h.at("/account"));
  await page.click("form[action$='/signout'] button");
  await h.signIn(username, password);
  await h.expectPath("/signin/otp");
  await page.fill("#code", totp(secret, Number(now) + 30));
  await page.click("form[action$='/signin/otp'] button[type=submit]");
  await h.expectPath("/account");
  await page.click("form[action$='/signout'] button");
  await h.expectPath("/signin");

  // The phone is gone. From here on, every form submission counts.
  const submitted = [];
  page.on("request", (r) => {
    if (r.isNavigationRequest() && r.method() === "POST" && r.frame() === page.mainFrame()) {
      submitted.push(new URL(r.url()).pathname.replace(`/t/${tenant}`, ""));
    }
  });
  await page.goto(authorize);
  await walk.visit(page, "application-sign-in");
  await page.fill("#login", username);
  await page.fill("#password", password);
  await page.click("form[action$='/signin'] button[type=submit]");
  await h.expectPath("/signin/otp");
  await walk.visit(page, "second-step");
  await page.click("form[action$='/recover/second-step'] button");
  await h.expectPath("/recover/case");
  await walk.visit(page, "proofs");
  await page.fill("#recovery", codes[0]);
  await page.click("form:has(#recovery) button[type=submit]");
  // a known device: no waiting period
  await page.waitForSelector("form[action$='/recover/complete'] button", { timeout: 15000 });
  await walk.visit(page, "finish");
  await page.click("form[action$='/recover/complete'] button");
  await h.expectText("You are back in");
  await walk.visit(page, "done-next-step");
  // the next step offered: a new app (a link, not a submission)
  await page.click(`a[href='/t/${tenant}/account/totp']`);
  await h.expectPath("/account/totp");
  await walk.visit(page, "new-app");
  const fresh = (await page.textContent("code.secret")).trim();
  await page.fill("#code", totp(fresh, Number(now)));
  await page.click("form[action$='/account/totp'] button[type=submit]");
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  await walk.visit(page, "new-recovery-codes");
  // "I saved them" leads back to the application's sign-in, which returns
  await page.click("a.button:not(.secondary):not([download])");
  await page.waitForURL((u) => u.href.startsWith(redirect), { timeout: 15000 });
  const back = new URL(page.url());
  if (!back.searchParams.get("code")) throw new Error(`no code at the application: ${back}`);
  console.log(`walked ${walk.visited()} pages`);
  console.log(`form submissions: ${submitted.length} (${submitted.join(" → ")})`);
  if (submitted.length > LIMIT) {
    throw new Error(`${submitted.length} form submissions, more than ${LIMIT}: ${submitted.join(", ")}`);
  }
});
