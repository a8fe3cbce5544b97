// An authenticator app and recovery codes in a real browser (Chromium):
// set up the app from the page's key, save recovery codes, then sign in with
// an app code and, later, with a recovery code.
//
//   node totp.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME
//
// Codes are computed here (RFC 6238, SHA-1, 6 digits, 30 s) for the server's
// clock, which the tests set. Exits non-zero at the first failure.
import { createHmac } from "node:crypto";
import { chromium } from "playwright-core";

const [base, tenant, username, password, now] = process.argv.slice(2);
if (!now) {
  console.error("usage: node totp.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME");
  process.exit(2);
}
const at = (path) => `${base}/t/${tenant}${path}`;

function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of text.replace(/[\s=]/g, "").toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) {
    bytes.push(parseInt(bits.slice(i, i + 8), 2));
  }
  return Buffer.from(bytes);
}

function totp(secret, unixTime) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixTime / 30)));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return value.toString().padStart(6, "0");
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
let page;
try {
  page = await (await browser.newContext()).newPage();
  const expectPath = async (path) => {
    await page.waitForURL((url) => url.pathname === `/t/${tenant}${path}`, { timeout: 15000 });
  };
  const expectText = async (text) => {
    const body = await page.textContent("body");
    if (!body.includes(text)) {
      throw new Error(`expected "${text}" on ${page.url()}`);
    }
  };
  const signIn = async () => {
    await page.goto(at("/signin"));
    await page.fill("#login", username);
    await page.fill("#password", password);
    await page.click("form[action$='/signin'] button[type=submit]");
  };

  await signIn();
  await expectPath("/account");
  await page.click("text=Set up an authenticator app");
  await expectPath("/account/totp");
  const secret = (await page.textContent("code.secret")).trim();
  await page.fill("#code", totp(secret, Number(now)));
  await page.click("text=Turn on");
  await expectPath("/account/recovery-codes");
  await page.click("text=Create 10 recovery codes");
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  const codes = await page.$$eval("ol.codes code", (els) => els.map((e) => e.textContent));
  if (codes.length !== 10) {
    throw new Error(`expected 10 recovery codes, saw ${codes.length}`);
  }

  // The app's next code (the one used to set it up is spent).
  await page.goto(at("/account"));
  await page.click("text=Sign out");
  await signIn();
  await expectPath("/signin/otp");
  await page.fill("#code", totp(secret, Number(now) + 30));
  await page.click("text=Continue");
  await expectPath("/account");
  await expectText("password, authenticator app");

  // Phone lost: a recovery code instead.
  await page.click("text=Sign out");
  await signIn();
  await expectPath("/signin/otp");
  await page.click("text=Use a recovery code");
  await page.fill("#recovery", codes[0]);
  await page.click("text=Use recovery code");
  await expectPath("/account");
  await expectText("password, recovery code");
  await expectText("9 unused");
  console.log("ok: authenticator app and recovery codes in Chromium");
} catch (err) {
  console.error(`failed: ${err.message}`);
  if (page) {
    console.error(`at ${page.url()}:\n${(await page.textContent("body").catch(() => "")) || ""}`);
  }
  process.exitCode = 1;
} finally {
  await browser.close();
}
