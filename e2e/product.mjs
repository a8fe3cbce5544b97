// The whole product in one journey, in a real browser (Chromium, a virtual
// authenticator), driven by crates/latchkey/tests/it/product.rs:
//
//  1. the operator signs in to the console, creates the organisations
//     "gamma" (passwords) and "delta" (to be passkey-only) and invites their
//     administrators;
//  2. gamma's administrator accepts the mailed invitation and runs the
//     set-up wizard: asked for second factors (required, recommended), asks
//     the operator for self-recovery, registers the application "Shop";
//  3. the operator approves; the administrator is mailed;
//  4. delta's administrator adds a passkey and chooses passkeys only: the
//     wizard skips second factors and says why;
//  5. a person (made with the operator's CLI) confirms the mailed address,
//     signs in to Shop (a real OIDC client: code flow with PKCE and the
//     client secret), sets up an authenticator app and saves recovery codes;
//  6. on a new device, having lost the phone and the codes, the person
//     recovers with the mailed code and the password, waits the 24 hours
//     (the server's clock moved by the test), finishes, sets up a new app
//     and is back at Shop;
//  7. gamma's administrator sees the recovery in the statistics, the audit
//     log and the exported CSV;
//  8. a legacy (v1) organisation's administrator upgrades to the new
//     onboarding and asks for self-recovery; the operator approves; the
//     administrator is mailed.
//
// Every page goes through the design checks (`auditor`: axe-core at 1280
// and 390 px in light and dark mode, errors beside their fields, error
// pages that lead on); the pages administrators and people see are loaded
// in German, French and Italian too, and the test says whether English is
// left (the catalogue's comparison, `english_left`). With SCREENSHOTS=DIR,
// each page is saved there as `product-NAME.png` (1280 × 900, light).
//
//   node product.mjs BASE_URL OPERATOR PASSWORD OPERATOR_TOTP_SECRET SERVER_UNIX_TIME
//
// The test answers the questions this script writes as `ask {json}` lines
// (mail that arrived, the CLI, the clock) on its standard input.
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { auditor, helpersFor, inChromium, totp, virtualAuthenticator } from "./lib.mjs";

const [base, operatorName, password, operatorSecret, start] = process.argv.slice(2);
if (!start) {
  console.error("usage: node product.mjs BASE_URL OPERATOR PASSWORD OPERATOR_TOTP_SECRET SERVER_UNIX_TIME");
  process.exit(2);
}
let now = Number(start);
const shots = process.env.SCREENSHOTS;

// --- The test's desk --------------------------------------------------------

const desk = createInterface({ input: process.stdin });
const answers = desk[Symbol.asyncIterator]();
async function ask(question) {
  process.stdout.write(`ask ${JSON.stringify(question)}\n`);
  const { value, done } = await answers.next();
  if (done) throw new Error(`no answer to ${JSON.stringify(question)}`);
  return JSON.parse(value);
}
/// The next mail to `to` with `needle` in its text.
const mail = async (to, needle) => (await ask({ mail: { to, contains: needle } })).text;
/// The first address in `text` that contains `needle`.
function linkIn(text, needle) {
  const link = text.split(/\s+/).find((w) => w.startsWith("http") && w.includes(needle));
  if (!link) throw new Error(`no link with ${needle} in:\n${text}`);
  return link;
}
async function cli(args, stdin = "") {
  const o = await ask({ cli: { args, stdin } });
  if (o.status !== 0) throw new Error(`latchkey ${args.join(" ")}: ${o.stderr}`);
  now = o.now;
  return o.stdout;
}
/// Moves the server's clock on.
async function advance(seconds) {
  now = (await ask({ advance: seconds })).now;
}

// --- Looking at pages -------------------------------------------------------

const names = new Map([
  ["gamma", "Gamma GmbH"],
  ["delta", "Delta AG"],
  ["oldco", "Oldco SA"],
]);
const audits = new Map([...names].map(([slug, name]) => [slug, auditor({ tenantName: name }).audit]));
const operatorAudit = auditor({ tenantName: "latchkey" }).audit;
let last;
let looked = 0;
let spoken = 0;

/// A browser of its own (a person's device) on `tenant`'s pages.
async function device(browser, tenant, { passkeys = false } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (passkeys) await virtualAuthenticator(context, page);
  return { context, page, tenant, ...helpersFor(page, base, tenant) };
}

/// The design checks on the page `v` shows; a screenshot with SCREENSHOTS;
/// with `speaks`, the same address in German, French and Italian, with no
/// English left.
async function look(v, name, { kind = "page", speaks = false, shown } = {}) {
  last = v.page;
  const audit = v.tenant ? audits.get(v.tenant) : operatorAudit;
  await audit(v.page, name, { kind });
  looked += 1;
  if (shots) {
    // (`shown`: the part of a long page the picture is about)
    if (shown) await v.page.locator(shown).first().evaluate((e) => e.scrollIntoView({ block: "start" }));
    await v.page.screenshot({ path: `${shots}/product-${name}.png` });
  }
  if (speaks) {
    const address = v.page.url();
    for (const lang of ["de", "fr", "it"]) {
      await v.page.goto(withLanguage(address, lang));
      await v.page.waitForURL((u) => !u.searchParams.has("lang"), { timeout: 15000 });
      const { english } = await ask({ english: { lang, html: await v.page.content() } });
      if (english.length) {
        throw new Error(`"${name}" in ${lang} has English left: ${english.join(" | ")}`);
      }
      spoken += 1;
    }
    await v.page.goto(withLanguage(address, "en"));
    await v.page.waitForURL((u) => !u.searchParams.has("lang"), { timeout: 15000 });
  }
}
function withLanguage(address, lang) {
  const url = new URL(address);
  url.searchParams.set("lang", lang);
  return url.href;
}
async function expectGone(v, selector, what) {
  if (await v.page.locator(selector).count()) throw new Error(`${what} on ${v.page.url()}`);
}

// --- The application "Shop": a real OIDC client -----------------------------

const shop = { clientId: "", secret: "", redirect: "", verifier: "" };
const app = createServer(async (req, res) => {
  const url = new URL(req.url, shop.redirect);
  const code = url.searchParams.get("code");
  let answer;
  try {
    const r = await fetch(`${base}/t/gamma/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: shop.redirect,
        code_verifier: shop.verifier,
        client_id: shop.clientId,
        client_secret: shop.secret,
      }),
    });
    const tokens = await r.json();
    if (!tokens.id_token) throw new Error(JSON.stringify(tokens));
    const claims = JSON.parse(Buffer.from(tokens.id_token.split(".")[1], "base64url"));
    answer = `Signed in to Shop as ${claims.preferred_username} (${claims.amr.join(", ")})`;
  } catch (err) {
    answer = `Shop could not sign in: ${err.message}`;
  }
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html lang="en"><title>Shop</title><main><h1>Shop</h1><p id="who">${answer}</p></main></html>`);
});
await new Promise((resolve) => app.listen(0, "127.0.0.1", resolve));
app.unref();
shop.redirect = `http://127.0.0.1:${app.address().port}/cb`;

/// Shop's sign-in: an authorization request with a new PKCE verifier.
function shopSignIn() {
  shop.verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(shop.verifier).digest("base64url");
  const q = new URLSearchParams({
    client_id: shop.clientId,
    redirect_uri: shop.redirect,
    response_type: "code",
    scope: "openid email profile",
    state: randomBytes(8).toString("hex"),
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  return `${base}/t/gamma/authorize?${q}`;
}
/// Back at Shop, signed in as pat by the methods `amr` (the ID token's).
async function expectShop(v, amr) {
  await v.page.waitForURL((u) => u.href.startsWith(shop.redirect), { timeout: 15000 });
  const who = await v.page.textContent("#who");
  if (who !== `Signed in to Shop as pat (${amr})`) throw new Error(`at Shop: ${who}`);
  console.log(who);
}

// --- The journey ------------------------------------------------------------

await inChromium(base, "gamma", "one journey from the operator to the statistics", async (first, h) => {
  const browser = h.context.browser();
  try {
    await journey(browser, { context: h.context, page: first, tenant: null });
  } catch (err) {
    err.page = last;
    throw err;
  }
  console.log(`looked at ${looked} pages (4 modes each), ${spoken} of them in German, French and Italian`);
});
desk.close();

async function journey(browser, operator) {
  const o = operator.page;
  const next = "form[action*='/admin/setup/'] button[type=submit]:not(.secondary)";

  // 1. The operator: console sign-in, two organisations, two invitations.
  const operatorSignIn = async (first) => {
    await o.goto(`${base}/operator`);
    await o.waitForURL((u) => u.pathname === "/operator/signin", { timeout: 15000 });
    if (first) await look(operator, "operator-signin");
    await o.fill("#name", operatorName);
    await o.fill("#password", password);
    await o.fill("#code", totp(operatorSecret, now));
    await o.click("form[action='/operator/signin'] button[type=submit]");
    await o.waitForURL((u) => u.pathname === "/operator", { timeout: 15000 });
  };
  await operatorSignIn(true);
  await look(operator, "operator-organisations");
  const create = async (name, slug) => {
    await o.goto(`${base}/operator/tenants/new`);
    await o.fill("#display_name", name);
    await o.fill("#slug", slug);
    await o.click("form[action='/operator/tenants/new'] button[type=submit]");
  };
  await create("Gamma GmbH", "Gamma GmbH");
  await o.waitForSelector("#slug-error", { timeout: 15000 });
  if ((await o.inputValue("#display_name")) !== "Gamma GmbH") throw new Error("the typed name was lost");
  await look(operator, "operator-new-organisation-error", { kind: "field-error" });
  await o.fill("#slug", "gamma");
  await o.click("form[action='/operator/tenants/new'] button[type=submit]");
  await o.waitForURL((u) => u.pathname === "/operator/tenants/gamma", { timeout: 15000 });
  const invite = async (slug, email) => {
    await o.fill("#email", email);
    await o.click(`form[action='/operator/tenants/${slug}/invite'] button[type=submit]`);
    await o.waitForURL((u) => u.search === "?done=invited", { timeout: 15000 });
  };
  await invite("gamma", "boss@gamma.example");
  await look(operator, "operator-organisation");
  await create("Delta AG", "delta");
  await o.waitForURL((u) => u.pathname === "/operator/tenants/delta", { timeout: 15000 });
  await invite("delta", "kim@delta.example");

  // 2. Gamma's administrator: the invitation, then the wizard.
  const admin = await device(browser, "gamma");
  const a = admin.page;
  const invitation = linkIn(await mail("boss@gamma.example", "/t/gamma/invitation?token="), "/t/gamma/invitation?token=");
  await a.goto(invitation);
  await admin.expectText("boss@gamma.example");
  await look(admin, "invitation", { speaks: true });
  await a.fill("#username", "boss");
  await a.fill("#password", password);
  await a.fill("#repeat", password);
  await a.click("form[action='/t/gamma/invitation'] button[type=submit]");
  await admin.expectPath("/admin/setup");
  await admin.expectText("Step 1 of 6");
  await look(admin, "wizard-organisation", { speaks: true });
  await a.fill("#setup-name", "Gamma GmbH");
  await a.click(next);
  await admin.expectText("How people sign in");
  await look(admin, "wizard-sign-in", { speaks: true });
  await a.check("input[name=signin_methods][value=password]");
  await a.click(next);
  // a password organisation is asked for second factors, the recommended
  // choice made
  await admin.expectText("People who sign in with a password should confirm it");
  if (!(await a.isChecked("input[name=second_factor][value=required]"))) {
    throw new Error("the recommended policy (required) is not chosen");
  }
  await look(admin, "wizard-second-factors", { speaks: true });
  await a.click(next);
  // the policy holds for its administrator at once: an app first, then
  // back to the wizard
  await admin.expectPath("/account/totp");
  admin.secret = (await a.textContent("code.secret")).trim();
  await a.fill("#code", totp(admin.secret, now));
  await a.click("form[action$='/account/totp'] button[type=submit]");
  await a.waitForSelector("ol.codes", { timeout: 15000 });
  await a.click("a.button:not(.secondary):not([download])");
  await askTheOperator(admin, "For everyone at Gamma, please.", "waiting for the operator");
  await look(admin, "wizard-self-recovery", { speaks: true });
  await a.click(next);
  await admin.expectText("Your first application");
  await look(admin, "wizard-application", { speaks: true });
  await a.fill("#app-name", "Shop");
  await a.check("input[name=kind][value=web]");
  await a.fill("#app-redirects", shop.redirect);
  await a.click("form[action$='/admin/setup/step/application'] button[type=submit]:not(.secondary)");
  await admin.expectText("OIDC_ISSUER=");
  await look(admin, "wizard-application-registered");
  const facts = await a.$$eval("dl.facts dd code", (els) => els.map((e) => e.textContent.trim()));
  [shop.clientId, shop.secret] = facts;
  if (!shop.clientId || !shop.secret) throw new Error(`no client id and secret: ${facts}`);
  await a.click("a.button:text-is('Go on')");
  await admin.expectText("A first application — done");
  await look(admin, "wizard-summary", { speaks: true });
  await a.click("form[action$='/admin/setup/finish'] button[type=submit]");
  await admin.expectPath("/admin");
  await admin.expectText("The set-up is finished.");

  // 3. The operator approves; the administrator is told by mail.
  await o.goto(`${base}/operator/requests`);
  await operator.page.waitForSelector("#request-gamma", { timeout: 15000 });
  const request = await o.textContent("section[aria-labelledby='request-gamma']");
  if (!request.includes("boss@gamma.example") || !request.includes("For everyone at Gamma")) {
    throw new Error(`the request does not say who asked and why: ${request}`);
  }
  await look(operator, "operator-requests");
  await o.click("form[action='/operator/tenants/gamma/decide'] button[value=approve]");
  await o.waitForSelector("text=The decision was recorded", { timeout: 15000 });
  const approved = await mail("boss@gamma.example", "approved your request");
  if (!approved.includes("/t/gamma/admin")) throw new Error(`the approval leads nowhere:\n${approved}`);

  // 4. Delta's administrator: a passkey, then passkeys only — no second
  // factors to ask for, and the wizard says why.
  const keys = await device(browser, "delta", { passkeys: true });
  const k = keys.page;
  await k.goto(linkIn(await mail("kim@delta.example", "/t/delta/invitation?token="), "/t/delta/invitation?token="));
  await k.fill("#username", "kim");
  await k.fill("#password", password);
  await k.fill("#repeat", password);
  await k.click("form[action='/t/delta/invitation'] button[type=submit]");
  await keys.expectPath("/admin/setup");
  await k.goto(keys.at("/account"));
  await k.fill("#passkey-name", "Laptop");
  await k.click("form[action$='/account/passkeys'] button[type=submit]");
  await k.waitForSelector("ol.codes", { timeout: 15000 });
  await k.goto(keys.at("/admin/setup"));
  await k.fill("#setup-name", "Delta AG");
  await k.click(next);
  await k.check("input[name=signin_methods][value=passkey]");
  await k.click(next);
  await keys.expectText("A passkey already is two factors");
  await expectGone(keys, "input[name=second_factor]", "second factors asked of a passkey-only organisation");
  await look(keys, "wizard-second-factors-skipped", { speaks: true });

  // 5. A person: made with the CLI, the address confirmed from the mail,
  // then Shop's sign-in, an authenticator app and recovery codes.
  await cli(["user", "create", "--tenant", "gamma", "--username", "pat", "--name", "Pat Meier", "--email", "pat@gamma.example", "--password-stdin"], `${password}\n`);
  const laptop = await device(browser, "gamma");
  const p = laptop.page;
  await p.goto(linkIn(await mail("pat@gamma.example", "/t/gamma/verify-email?token="), "/t/gamma/verify-email?token="));
  await look(laptop, "confirm-address", { speaks: true });
  await p.click("form[action$='/verify-email'] button[type=submit]");
  await p.waitForSelector("text=Email address confirmed", { timeout: 15000 });
  await look(laptop, "address-confirmed");
  await p.goto(shopSignIn());
  await laptop.expectPath("/signin");
  await look(laptop, "sign-in", { speaks: true });
  await p.fill("#login", "pat");
  await p.fill("#password", password);
  await p.click("form[action$='/signin'] button[type=submit]");
  // second factors are required: an app before anything else
  await laptop.expectPath("/account/totp");
  await look(laptop, "app-set-up", { speaks: true });
  const secret = (await p.textContent("code.secret")).trim();
  await p.fill("#code", totp(secret, now));
  await p.click("form[action$='/account/totp'] button[type=submit]");
  await p.waitForSelector("ol.codes", { timeout: 15000 });
  await look(laptop, "recovery-codes");
  // (the wizard's first application is first-party: no consent to give)
  await p.click("a.button:not(.secondary):not([download])");
  await expectShop(laptop, "pwd");
  await p.goto(laptop.at("/account"));
  await laptop.expectText("pat@gamma.example (verified)");
  await look(laptop, "account", { speaks: true });
  await laptop.context.close();

  // 6. Phone, codes and laptop are gone. A new device: Shop's sign-in,
  // "I lost my second factor", the mailed code; 24 hours; finished.
  const phone = await device(browser, "gamma");
  const n = phone.page;
  await n.goto(shopSignIn());
  await n.fill("#login", "pat");
  await n.fill("#password", password);
  await n.click("form[action$='/signin'] button[type=submit]");
  await phone.expectPath("/signin/otp");
  await look(phone, "second-step", { speaks: true });
  await n.click("form[action$='/recover/second-step'] button");
  await phone.expectPath("/recover/case");
  await phone.expectText("Your password ✓");
  const code = (await mail("pat@gamma.example", "is recovering your")).match(/\b\d{8}\b/)?.[0];
  if (!code) throw new Error("no 8-digit code in the mail");
  await look(phone, "recovery-proofs", { speaks: true });
  await n.fill("#email-code", code);
  await n.click("form:has(#email-code) button[type=submit]");
  await phone.expectText("in 24 hours");
  await look(phone, "recovery-waiting", { speaks: true });
  const waiting = await mail("pat@gamma.example", "/t/gamma/recover/cancel?token=");
  linkIn(waiting, "/t/gamma/recover/cancel?token=");
  await advance(24 * 3600 + 60);
  await n.goto(phone.at("/recover"));
  await phone.expectPath("/recover/case");
  linkIn(await mail("pat@gamma.example", "account recovery is over"), "/t/gamma/recover");
  await look(phone, "recovery-ready", { speaks: true });
  await n.fill("#password", password);
  await n.click("form[action$='/recover/complete'] button[type=submit]");
  await phone.expectText("You are back in");
  await look(phone, "recovery-done");
  await n.click("main a.button:not(.secondary)");
  await phone.expectPath("/account/totp");
  const fresh = (await n.textContent("code.secret")).trim();
  await n.fill("#code", totp(fresh, now));
  await n.click("form[action$='/account/totp'] button[type=submit]");
  await n.waitForSelector("ol.codes", { timeout: 15000 });
  await n.click("a.button:not(.secondary):not([download])");
  await expectShop(phone, "pwd, recovery");

  // 7. Gamma's administrator sees it, a few minutes later: statistics
  // (this week's column too), audit log, CSV.
  await advance(300);
  await a.goto(admin.at("/admin"));
  await signInAgainIfAsked(admin, "boss", admin.at("/admin"));
  await admin.expectPath("/admin");
  const stats = await a.textContent("dl.stats");
  if (!/recovered themselves\s*1\b/.test(stats)) throw new Error(`the statistics miss the recovery: ${stats}`);
  const week = await a.textContent("table.log.weekly tbody tr:last-child td");
  if (week.trim() !== "1") throw new Error(`this week's column misses the recovery: ${week}`);
  await look(admin, "console-statistics", { speaks: true, shown: "section.card:has(dl.stats)" });
  await a.goto(admin.at("/admin/audit"));
  await a.fill("#audit-person", "pat");
  await a.selectOption("#audit-event", "recovery.case.completed");
  await a.click("form[action$='/admin/audit'] button[type=submit]");
  await a.waitForSelector("table.log td:has-text('recovery.case.completed')", { timeout: 15000 });
  await look(admin, "audit-log", { speaks: true, shown: "section.card:has(table.log)" });
  const [download] = await Promise.all([a.waitForEvent("download"), a.click("a[download][href*='format=csv']")]);
  const csv = readFileSync(await download.path(), "utf8");
  const lines = csv.trim().split(/\r?\n/);
  if (lines.length !== 2 || !lines[1].includes("recovery.case.completed") || !lines[1].includes("pat")) {
    throw new Error(`the CSV is not the filtered view:\n${csv}`);
  }

  // 8. A legacy organisation (made with the CLI before the new onboarding):
  // its administrator upgrades and asks; the operator approves; mailed.
  await cli(["tenant", "create", "oldco", "--name", "Oldco SA", "--onboarding", "v1"]);
  await cli(["user", "create", "--tenant", "oldco", "--username", "lou", "--email", "lou@oldco.example", "--email-verified", "--role", "admin", "--password-stdin"], `${password}\n`);
  const legacy = await device(browser, "oldco");
  const l = legacy.page;
  await legacy.signIn("lou", password);
  await legacy.expectPath("/account");
  await l.goto(legacy.at("/admin"));
  await legacy.expectText("Upgrade to the new onboarding");
  await look(legacy, "console-upgrade-banner", { speaks: true });
  await l.click("form[action$='/admin/setup/resume'] button[type=submit]");
  await legacy.expectPath("/admin/setup");
  await l.click(next);
  await l.check("input[name=signin_methods][value=password]");
  await l.click(next);
  await l.click(next);
  await askTheOperator(legacy, "Our helpdesk is ready.", "waiting for the upgrade to the new onboarding");
  await look(legacy, "wizard-request-waiting-for-upgrade", { speaks: true });
  await l.click(next);
  await l.click("form[action$='/admin/setup/step/application'] button.secondary");
  await legacy.expectText("waiting for the operator");
  await l.click("form[action$='/admin/setup/finish'] button[type=submit]");
  await legacy.expectPath("/admin");
  await legacy.expectText("your organisation is on the new onboarding");
  // a day on, the operator signs in again
  last = o;
  await operatorSignIn(false);
  await o.goto(`${base}/operator/requests`);
  await o.waitForSelector("#request-oldco", { timeout: 15000 });
  await o.click("form[action='/operator/tenants/oldco/decide'] button[value=approve]");
  await o.waitForSelector("text=The decision was recorded", { timeout: 15000 });
  const told = await mail("lou@oldco.example", "approved your request");
  if (!told.includes("/t/oldco/admin")) throw new Error(`the approval leads nowhere:\n${told}`);
  await o.goto(`${base}/operator/audit`);
  await look(operator, "operator-log");
  await l.goto(legacy.at("/admin"));
  last = l;
  await l.waitForSelector("section.card:has(h2:text-is('Account self-recovery')) p:text-is('Switched on.')", { timeout: 15000 });
}

/// The wizard's self-recovery step: asks the operator to switch it on, with
/// `note`; the step then says `waiting`.
async function askTheOperator(v, note, waiting) {
  await v.expectText("Account self-recovery");
  await v.page.fill("#setup-note", note);
  await v.page.click("form[action$='/admin/recovery-request'] button[type=submit]");
  await v.expectText(waiting);
}

/// A day later the administrator's session may have ended: signed in again.
async function signInAgainIfAsked(v, username, back) {
  last = v.page;
  if (new URL(v.page.url()).pathname.endsWith("/signin")) {
    await v.page.fill("#login", username);
    await v.page.fill("#password", password);
    await v.page.click("form[action$='/signin'] button[type=submit]");
    await v.expectPath("/signin/otp");
    await v.page.fill("#code", totp(v.secret, now));
    await v.page.click("form[action$='/signin/otp'] button[type=submit]");
    // (a sign-in leads to the account page, not to the page asked for)
    await v.expectPath("/account");
    await v.page.goto(back);
  }
}
