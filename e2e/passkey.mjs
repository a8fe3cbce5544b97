// Passkeys in a real browser: Chromium with a virtual authenticator (the
// DevTools WebAuthn domain) runs latchkey's pages and webauthn.js. Every
// page is walked (lib.mjs `walker`): in English with the design checks, in
// LANG (de, fr, it) kept in PAGES_DIR for the test's check for English left.
//
//   node passkey.mjs BASE_URL TENANT USERNAME PASSWORD [LANG PAGES_DIR]
//
// The tenant must allow passwordless sign-in; the user must have no second
// factor yet.
import { inChromium, virtualAuthenticator, walker } from "./lib.mjs";

const [base, tenant, username, password, lang = "en", pages] = process.argv.slice(2);
if (!password) {
  console.error("usage: node passkey.mjs BASE_URL TENANT USERNAME PASSWORD [LANG PAGES_DIR]");
  process.exit(2);
}
const english = lang === "en";
// With SCREENSHOTS=DIR, these pages are saved there (docs/account-security.md).
const shots = { "account-with-passkey": "phone-light", "passkey-second-step": "desktop-dark" };
const walk = walker({ tenantName: "Keys Ltd", lang, pages, prefix: "passkeys", shots });

await inChromium(base, tenant, `registration, second step and passwordless sign-in in Chromium (${lang})`, async (page, h) => {
  await h.context.setExtraHTTPHeaders({ "accept-language": lang });
  await virtualAuthenticator(h.context, page);
  const signOut = async () => {
    await page.click("form[action$='/signout'] button");
  };

  // The sign-in page offers saved passkeys in the username field
  // (webauthn.js). Chromium's virtual authenticator picks the passkey there
  // by itself, as a person would from the field's suggestions; where the
  // steps below test the other ways in, the autofill request is held back.
  const noAutofill = () => page.route("**/signin/passwordless/autofill", (r) => r.abort());
  const autofill = () => page.unroute("**/signin/passwordless/autofill");

  // Password sign-in, then a passkey from the account page.
  await page.goto(h.at("/signin"));
  await walk.visit(page, "passwordless-sign-in");
  await h.signIn(username, password);
  await h.expectPath("/account");
  await walk.visit(page, "account");
  await page.fill("#passkey-name", "Laptop");
  await page.click("form[action$='/account/passkeys'] button[type=submit]");
  // webauthn.js starts the ceremony by itself and posts the answer.
  // The first recovery codes come with it, without another click.
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  await walk.visit(page, "recovery-codes-after-passkey");
  await page.goto(h.at("/account"));
  await h.expectText("Laptop");
  if (english) await h.expectText("synced passkey");
  await walk.visit(page, "account-with-passkey");
  // Removing it asks first (shown, kept).
  await page.click("ul.passkeys a.danger");
  await page.waitForURL((u) => u.pathname.endsWith("/remove"), { timeout: 15000 });
  await walk.visit(page, "remove-passkey-confirmation");
  await page.goto(h.at("/account"));

  // Sign out; sign in with password and then the passkey.
  await noAutofill();
  await signOut();
  await h.expectPath("/signin");
  await h.signIn(username, password);
  await h.expectPath("/signin/otp");
  await walk.visit(page, "passkey-second-step");
  await page.click("form[action$='/signin/passkey'] button[type=submit]");
  await h.expectPath("/account");
  if (english) await h.expectText("password, passkey");

  // Sign out; the passkey offered in the username field signs in alone.
  await autofill();
  await signOut();
  await h.expectPath("/account");
  if (english) await h.expectText("UTC with passkey");
  await walk.visit(page, "account-after-passkey-sign-in");

  // Sign out; sign in with the passkey alone, by the button.
  await noAutofill();
  await signOut();
  await h.expectPath("/signin");
  await page.click("form[action$='/signin/passwordless'] button[type=submit]");
  await h.expectPath("/account");
  if (english) await h.expectText("UTC with passkey");
  console.log(`walked ${walk.visited()} pages`);
});
