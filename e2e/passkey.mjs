// Passkeys in a real browser: Chromium with a virtual authenticator (the
// DevTools WebAuthn domain) runs latchkey's pages and webauthn.js.
//
//   node passkey.mjs BASE_URL TENANT USERNAME PASSWORD
//
// The tenant must allow passwordless sign-in; the user must have no second
// factor yet.
import { inChromium, virtualAuthenticator } from "./lib.mjs";

const [base, tenant, username, password] = process.argv.slice(2);
if (!password) {
  console.error("usage: node passkey.mjs BASE_URL TENANT USERNAME PASSWORD");
  process.exit(2);
}

await inChromium(base, tenant, "registration, second step and passwordless sign-in in Chromium", async (page, h) => {
  await virtualAuthenticator(h.context, page);

  // Password sign-in, then a passkey from the account page.
  await h.signIn(username, password);
  await h.expectPath("/account");
  await page.fill("#passkey-name", "Laptop");
  await page.click("text=Add a passkey");
  // webauthn.js starts the ceremony by itself and posts the answer.
  // The first recovery codes come with it, without another click.
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  await page.goto(h.at("/account"));
  await h.expectText("Laptop");
  await h.expectText("synced passkey");

  // The sign-in page offers saved passkeys in the username field
  // (webauthn.js). Chromium's virtual authenticator picks the passkey there
  // by itself, as a person would from the field's suggestions; where the
  // steps below test the other ways in, the autofill request is held back.
  const noAutofill = () => page.route("**/signin/passwordless/autofill", (r) => r.abort());
  const autofill = () => page.unroute("**/signin/passwordless/autofill");

  // Sign out; sign in with password and then the passkey.
  await noAutofill();
  await page.click("text=Sign out");
  await h.expectPath("/signin");
  await h.signIn(username, password);
  await h.expectPath("/signin/otp");
  await page.click("text=Use my passkey");
  await h.expectPath("/account");
  await h.expectText("password, passkey");

  // Sign out; the passkey offered in the username field signs in alone.
  await autofill();
  await page.click("text=Sign out");
  await h.expectPath("/account");
  await h.expectText("UTC with passkey");

  // Sign out; sign in with the passkey alone, by the button.
  await noAutofill();
  await page.click("text=Sign out");
  await h.expectPath("/signin");
  await page.click("text=Sign in with a passkey");
  await h.expectPath("/account");
  await h.expectText("UTC with passkey");
});
