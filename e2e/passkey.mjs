// Passkeys in a real browser: Chromium with a virtual authenticator (the
// DevTools WebAuthn domain) runs latchkey's pages and webauthn.js.
//
//   node passkey.mjs BASE_URL TENANT USERNAME PASSWORD
//
// The tenant must allow passwordless sign-in; the user must have no second
// factor yet. Exits non-zero, with the page's text, at the first failure.
import { chromium } from "playwright-core";

const [base, tenant, username, password] = process.argv.slice(2);
if (!password) {
  console.error("usage: node passkey.mjs BASE_URL TENANT USERNAME PASSWORD");
  process.exit(2);
}
const at = (path) => `${base}/t/${tenant}${path}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
let page;
try {
  const context = await browser.newContext();
  page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      defaultBackupEligibility: true,
      defaultBackupState: true,
    },
  });

  const expectPath = async (path) => {
    await page.waitForURL((url) => url.pathname === `/t/${tenant}${path}`, { timeout: 15000 });
  };
  const expectText = async (text) => {
    const body = await page.textContent("body");
    if (!body.includes(text)) {
      throw new Error(`expected "${text}" on ${page.url()}`);
    }
  };

  // Password sign-in, then a passkey from the account page.
  await page.goto(at("/signin"));
  await page.fill("#login", username);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await expectPath("/account");
  await page.fill("#passkey-name", "Laptop");
  await page.click("text=Add a passkey");
  // webauthn.js starts the ceremony by itself and posts the answer.
  await expectPath("/account/recovery-codes");
  await page.click("text=Create 10 recovery codes");
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  await page.goto(at("/account"));
  await expectText("Laptop");
  await expectText("synced passkey");

  // Sign out; sign in with password and then the passkey.
  await page.click("text=Sign out");
  await expectPath("/signin");
  await page.fill("#login", username);
  await page.fill("#password", password);
  await page.click("form[action$='/signin'] button[type=submit]");
  await expectPath("/signin/otp");
  await page.click("text=Use my passkey");
  await expectPath("/account");
  await expectText("password, passkey");

  // Sign out; sign in with the passkey alone.
  await page.click("text=Sign out");
  await expectPath("/signin");
  await page.click("text=Sign in with a passkey");
  await expectPath("/account");
  await expectText("UTC with passkey");
  console.log("ok: registration, second step and passwordless sign-in in Chromium");
} catch (err) {
  console.error(`failed: ${err.message}`);
  if (page) {
    console.error(`at ${page.url()}:\n${(await page.textContent("body").catch(() => "")) || ""}`);
  }
  process.exitCode = 1;
} finally {
  await browser.close();
}
