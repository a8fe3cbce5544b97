// The design system in a real browser (Chromium): the main pages at 1280 px
// and 390 px, in light and dark mode, checked with axe-core (no serious or
// critical violation), for no sideways scrolling on a phone, for form
// errors linked to their fields (aria-invalid + aria-describedby to an
// element that exists) and for a link forward on every error page.
//
//   node design.mjs BASE_URL TENANT TENANT_NAME MEMBER ADMIN PASSWORD SERVER_UNIX_TIME [CASE_COOKIE CASE_TOKEN]
//
// With CASE_COOKIE and CASE_TOKEN (a recovery case of MEMBER's that waits
// 24 hours, set up by the test), its status page is checked too: on this
// browser's clock, as its time zone script reported it.
// The tenant must have self-recovery active and second factors optional;
// MEMBER and ADMIN (a tenant administrator) have no second factor yet.
// With SCREENSHOTS=DIR, a few pages are saved there in each mode (for
// docs/decisions/0012-design-system.md).
import { auditor, inChromium, totp } from "./lib.mjs";

const [base, tenant, tenantName, member, admin, password, now, caseCookie, caseToken] = process.argv.slice(2);
if (!now) {
  console.error("usage: node design.mjs BASE_URL TENANT TENANT_NAME MEMBER ADMIN PASSWORD SERVER_UNIX_TIME");
  process.exit(2);
}
const shots = process.env.SCREENSHOTS;
const SHOT = new Set(["sign-in", "sign-in-error", "account", "admin-console", "admin-people", "admin-person", "audit-log", "recovery-case", "recovery-waiting", "not-found"]);
const checks = auditor({ tenantName, shots, shotNames: SHOT });
const audit = checks.audit;

await inChromium(base, tenant, "the main pages pass axe in light and dark mode at 1280 and 390 px, and lead on", async (page, h) => {
  const signOut = async () => {
    await page.goto(h.at("/account"));
    await page.click("form[action$='/signout'] button");
    await h.expectPath("/signin");
  };

  // Ways forward where something went wrong.
  await page.goto(h.at("/no-such-page"));
  await audit(page, "not-found", { kind: "error" });
  await page.goto(`${base}/t/no-such-tenant/signin`);
  await audit(page, "unknown tenant", { kind: "error", named: false });
  await page.goto(h.at("/reset-password?token=used-or-expired"));
  await audit(page, "used reset link", { kind: "error" });
  if (!(await page.locator(`main a[href='/t/${tenant}/forgot-password']`).count())) {
    throw new Error("a used reset link must offer a new one");
  }

  // Sign-in, its errors, and an expired form.
  await page.goto(h.at("/signin"));
  await audit(page, "sign-in");
  await h.signIn(member, "not the password");
  await audit(page, "sign-in-error", { kind: "field-error" });
  await page.goto(h.at("/signin"));
  await page.fill("#login", member);
  await page.fill("#password", password);
  await page.evaluate(() => {
    document.querySelector("form[action$='/signin'] input[name=csrf]").value = "expired";
  });
  await page.click("form[action$='/signin'] button[type=submit]");
  await h.expectText("This form has expired");
  await audit(page, "expired form", { kind: "error" });

  // The language switcher.
  await page.goto(h.at("/signin"));
  await page.click("nav.languages a[hreflang=de]");
  await h.expectPath("/signin");
  await h.expectText("Anmelden");
  if ((await page.getAttribute("html", "lang")) !== "de") throw new Error("the switcher did not switch");
  await audit(page, "sign-in in German");
  await page.click("nav.languages a[hreflang=en]");
  await h.expectPath("/signin");

  // A member: the account, and the console they may not use.
  await h.signIn(member, password);
  await h.expectPath("/account");
  await audit(page, "account");
  await page.goto(h.at("/admin"));
  await audit(page, "wrong role", { kind: "error" });
  await signOut();

  // An administrator: the console, a new application.
  await h.signIn(admin, password);
  await h.expectPath("/account");
  await page.goto(h.at("/admin"));
  await audit(page, "admin-console");
  // The people: the table, a search, a person's page.
  await page.click("a[href$='/admin/people']");
  await h.expectPath("/admin/people");
  await audit(page, "admin-people");
  await page.fill("#q", member);
  await page.click("form[role=search] button[type=submit]");
  await h.expectText(member);
  await audit(page, "people search");
  await page.click(`table.people a:text-is("${member}")`);
  await audit(page, "admin-person");
  // The unready list (decision 0024): a reminder with nobody chosen (the
  // message beside the boxes), then one person's confirmation, and back.
  await page.goto(h.at("/admin/people?ready=no"));
  await h.expectText(member);
  await audit(page, "unready list");
  await page.click("button[name=all][value=no]");
  await page.waitForSelector("p.error[role=alert]", { timeout: 15000 });
  await audit(page, "reminder error", { kind: "field-error" });
  await page.check("table.people input[name=person] >> nth=0");
  await page.click("button[name=all][value=no]");
  await h.expectText("Remind one person by mail?");
  await audit(page, "reminder confirmation");
  await page.click("a:text-is('Back to the people who are not ready')");
  await h.expectText("Remind everyone in this list");
  await page.goto(h.at("/admin/people?after=Not%20A%20Key"));
  await audit(page, "people search error", { kind: "field-error" });
  // Adding a person (decision 0029): an address the server refuses, said
  // beside its field, then their page with the invitation waiting.
  await page.goto(h.at("/admin/people/new"));
  await audit(page, "add a person");
  await page.fill("#username", "invitee");
  await page.fill("#email", "a@b");
  await page.click("form[action$='/admin/people/new'] button[type=submit]");
  await page.waitForSelector("#email-error", { timeout: 15000 });
  await audit(page, "add a person error", { kind: "field-error" });
  await page.fill("#email", "invitee@example.com");
  await page.click("form[action$='/admin/people/new'] button[type=submit]");
  await h.expectText("Invitation waiting");
  await audit(page, "person invited");
  await page.goto(h.at("/admin"));
  await page.fill("#app-name", "Shop");
  await page.fill("#app-redirects", "https://shop.example/callback");
  await page.click("form[action$='/admin/applications'] button[type=submit]");
  await h.expectText("Shop");
  await audit(page, "new application");
  // The audit log (its table scrolls inside its card on a phone), and a
  // wrong filter: the message beside the field.
  await page.goto(h.at("/admin/audit"));
  await h.expectText("client.created");
  await audit(page, "audit-log");
  await page.fill("#audit-from", "2026-12-05");
  await page.fill("#audit-to", "2026-12-01");
  await page.click("form[action$='/admin/audit'] button[type=submit]");
  await page.waitForSelector("#audit-to-error", { timeout: 15000 });
  await audit(page, "audit log error", { kind: "field-error" });

  // The authenticator app's set-up, a wrong code, then recovery codes.
  await page.goto(h.at("/account/totp"));
  await audit(page, "app set-up");
  const secret = (await page.textContent("code.secret")).trim();
  const right = totp(secret, Number(now));
  await page.fill("#code", right === "000000" ? "111111" : "000000");
  await page.click("form[action$='/account/totp'] button[type=submit]");
  await h.expectPath("/account/totp");
  await audit(page, "app set-up error", { kind: "field-error" });
  await page.fill("#code", right);
  await page.click("form[action$='/account/totp'] button[type=submit]");
  // the first recovery codes come with the app
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  await audit(page, "first recovery codes");
  await page.goto(h.at("/account/recovery-codes"));
  await audit(page, "recovery codes");
  await page.click("form[action$='/account/recovery-codes'] button[type=submit]");
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  await audit(page, "new recovery codes");
  // Removing the app asks first and says what goes with it (shown, kept).
  await page.goto(h.at("/account"));
  await page.click("a.danger[href$='/account/totp/remove']");
  await h.expectText("Remove your authenticator app?");
  await audit(page, "remove app confirmation");
  await page.click("a:text-is('Keep it')");
  await h.expectPath("/account");
  // The helpdesk reset's confirmation (shown, not confirmed): the
  // administrator's own page, now that there is something to remove.
  await page.goto(h.at("/admin/people?q=" + admin));
  await page.click(`table.people a:text-is("${admin}")`);
  await page.fill("#reason", "checked by a video call");
  await page.click("form[action$='/reset'] button[type=submit]");
  await h.expectText("Reset the second factors of");
  await audit(page, "reset confirmation");
  await signOut();

  // The second step, a wrong code, then "I lost my second factor".
  await h.signIn(admin, password);
  await h.expectPath("/signin/otp");
  await audit(page, "second step");
  const next = totp(secret, Number(now) + 30);
  await page.fill("#code", next === "000000" ? "111111" : "000000");
  await page.click("form[action$='/signin/otp'] button[type=submit]");
  await audit(page, "second step error", { kind: "field-error" });
  await page.click("form[action$='/recover/second-step'] button");
  await h.expectPath("/recover/case");
  await audit(page, "recovery-case");
  await page.fill("#recovery", "not-a-code");
  await page.click("form:has(#recovery) button[type=submit]");
  await audit(page, "recovery case error", { kind: "field-error" });
  // A new code, twice; the next is one too many for the name this hour.
  const resend = async () => {
    await Promise.all([page.waitForNavigation(), page.click("form[action$='/recover/resend'] button")]);
  };
  await resend();
  await h.expectText("a new code is on its way");
  await audit(page, "recovery new code");
  // (the name's count: three an hour; a start on a known device is not
  // counted, so how many came before depends on the browser)
  for (let i = 0; i < 4 && !(await page.textContent("body")).includes("No new code now"); i++) {
    await resend();
  }
  await h.expectText("No new code now");
  await audit(page, "recovery new code limit");
  // "Can't sign in?" leads back to the open case.
  await page.goto(h.at("/recover"));
  await h.expectPath("/recover/case");
  await page.click("form[action$='/recover/stop'] button");
  await h.expectPath("/recover/case");
  await audit(page, "recovery ended");
  await page.goto(h.at("/recover"));
  await audit(page, "recovery start");
  await page.goto(h.at("/forgot-password"));
  await audit(page, "forgot password");
  if (caseCookie) {
    // The status page of a case that waits, on this browser's clock.
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    const reported = (await h.context.cookies()).find((c) => c.name === "latchkey-tz");
    if (!reported || reported.value !== zone) {
      throw new Error(`the time zone script did not report ${zone}: ${JSON.stringify(reported)}`);
    }
    await h.context.addCookies([{ name: caseCookie, value: caseToken, url: base }]);
    await page.goto(h.at("/recover"));
    await h.expectPath("/recover/case");
    await h.expectText(`(${zone}), in 24 hours`);
    await h.expectText("Finish in this browser");
    await audit(page, "recovery-waiting");
  }
  console.log(`audited ${checks.audited()} page views`);
});
