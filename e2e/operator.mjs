// The operator console and an invited administrator in a real browser
// (Chromium).
//
//   node operator.mjs console BASE_URL NAME PASSWORD TOTP_SECRET SERVER_UNIX_TIME
//     signs in to /operator (password and app code), creates the
//     organisation "gamma", invites boss@gamma.example;
//   node operator.mjs accept INVITATION_LINK USERNAME PASSWORD
//     opens the mailed link, chooses a username and password and lands on
//     the organisation's console.
import { auditor, inChromium, totp } from "./lib.mjs";

const [mode, ...args] = process.argv.slice(2);

if (mode === "console") {
  const [base, name, password, secret, now] = args;
  await inChromium(base, "gamma", "operator console in Chromium", async (page, h) => {
    const { audit } = auditor({ tenantName: "Gamma GmbH" });
    await page.goto(`${base}/operator`);
    await page.waitForURL((url) => url.pathname === "/operator/signin", { timeout: 15000 });
    await audit(page, "operator sign-in");
    await page.fill("#name", name);
    await page.fill("#password", password);
    await page.fill("#code", totp(secret, Number(now)));
    await page.click("form[action='/operator/signin'] button[type=submit]");
    await page.waitForURL((url) => url.pathname === "/operator", { timeout: 15000 });
    await h.expectText(`Signed in as ${name}`);
    await audit(page, "organisations");
    await page.click("text=Create an organisation");
    await page.fill("#display_name", "Gamma GmbH");
    // a wrong address first: the error stands beside the field
    await page.fill("#slug", "Gamma GmbH");
    await page.click("text=Create the organisation");
    await page.waitForSelector("#slug-error", { timeout: 15000 });
    if ((await page.getAttribute("#slug", "aria-invalid")) !== "true") {
      throw new Error("the slug field is not marked invalid");
    }
    if ((await page.inputValue("#display_name")) !== "Gamma GmbH") {
      throw new Error("the typed name was lost");
    }
    await audit(page, "create with an error", { kind: "field-error" });
    await page.fill("#slug", "gamma");
    await page.selectOption("#default_language", "de");
    await page.click("text=Create the organisation");
    await page.waitForURL((url) => url.pathname === "/operator/tenants/gamma", { timeout: 15000 });
    await h.expectText("The organisation was created");
    await page.fill("#email", "boss@gamma.example");
    await page.click("text=Send the invitation");
    await page.waitForURL((url) => url.search === "?done=invited", { timeout: 15000 });
    await h.expectText("boss@gamma.example");
    await audit(page, "organisation page");
    await page.click("text=Activation requests");
    await audit(page, "activation requests");
    await page.click("text=Operator log");
    await h.expectText("Organisation created");
    await h.expectText("Administrator invited");
    await audit(page, "operator log");
  });
} else if (mode === "accept") {
  const [link, username, password] = args;
  const base = new URL(link).origin;
  await inChromium(base, "gamma", "invited administrator in Chromium", async (page, h) => {
    const { audit } = auditor({ tenantName: "Gamma GmbH" });
    await page.goto(link);
    await h.expectText("boss@gamma.example");
    await audit(page, "invitation");
    await page.fill("#username", username);
    await page.fill("#password", password);
    await page.fill("#repeat", password);
    await page.click("form[action='/t/gamma/invitation'] button[type=submit]");
    // a new organisation: its first administrator starts with the set-up
    await h.expectPath("/admin/setup");
    // the link is spent
    await page.goto(link);
    await page.waitForSelector("main", { timeout: 15000 });
    const body = await page.textContent("body");
    if (!/Einladung|invitation/.test(body) || body.includes(username)) {
      throw new Error("the used link did not say it cannot be used");
    }
  });
} else {
  console.error("usage: node operator.mjs console|accept ...");
  process.exit(2);
}
