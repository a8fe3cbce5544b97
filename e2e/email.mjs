// Changing the email address in a real browser (Chromium): the form
// behind the account page, its error beside the field, the open change on
// the account page, and the page the mailed link opens — each through the
// design checks (axe-core at two widths in light and dark mode, errors
// linked to their fields, message pages that lead on).
//
//   node email.mjs ask BASE_URL TENANT USERNAME PASSWORD NEW_ADDRESS
//   node email.mjs confirm LINK TENANT_NAME
import { auditor, inChromium } from "./lib.mjs";

const [step, ...args] = process.argv.slice(2);

if (step === "ask") {
  const [base, tenant, username, password, address] = args;
  await inChromium(base, tenant, "the change of address is asked for", async (page, h) => {
    const { audit } = auditor({ tenantName: "" });
    await h.signIn(username, password);
    await h.expectPath("/account");
    await page.click(`a[href='/t/${tenant}/account/email']`);
    await h.expectPath("/account/email");
    await audit(page, "email change form");
    // an address no mail can reach: said beside the field, kept
    await page.fill("#email", "someone@localhost");
    await page.click("form[action$='/account/email'] button[type=submit]");
    await page.waitForSelector("#email[aria-invalid='true']", { timeout: 15000 });
    if ((await page.inputValue("#email")) !== "someone@localhost") {
      throw new Error("the typed address was lost");
    }
    await audit(page, "email change error", { kind: "field-error" });
    await page.fill("#email", address);
    await page.click("form[action$='/account/email'] button[type=submit]");
    await h.expectPath("/account");
    await h.expectText(`a link was sent to ${address}`);
    await audit(page, "account with an open change");
  });
} else if (step === "confirm") {
  const [link, tenantName] = args;
  const url = new URL(link);
  const tenant = url.pathname.split("/")[2];
  await inChromium(url.origin, tenant, "the new address is confirmed", async (page, h) => {
    const { audit } = auditor({ tenantName });
    await page.goto(link);
    await h.expectText("Confirm your new email address");
    await audit(page, "confirm new address");
    await page.click("form[action$='/confirm-email'] button[type=submit]");
    await h.expectText("Your account's address is now");
    await audit(page, "address changed", { kind: "error", named: false });
  });
} else {
  console.error("usage: node email.mjs ask|confirm …");
  process.exit(2);
}
