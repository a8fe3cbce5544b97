// Account Self-Recovery in a real browser (Chromium): a user with an
// authenticator app and recovery codes loses the phone at the code prompt,
// recovers with a recovery code, and is sent to set up a new app.
//
//   node recovery.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME
//
// The tenant must have self-recovery active and require second factors.
import { createHmac } from "node:crypto";
import { chromium } from "playwright-core";

const [base, tenant, username, password, now] = process.argv.slice(2);
if (!now) {
  console.error("usage: node recovery.mjs BASE_URL TENANT USERNAME PASSWORD SERVER_UNIX_TIME");
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
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).toString().padStart(6, "0");
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

  // Required second factor: set up the app and save codes first.
  await signIn();
  await expectPath("/account/totp");
  const secret = (await page.textContent("code.secret")).trim();
  await page.fill("#code", totp(secret, Number(now)));
  await page.click("text=Turn on");
  await expectPath("/account/recovery-codes");
  await page.click("text=Create 10 recovery codes");
  await page.waitForSelector("ol.codes", { timeout: 15000 });
  const codes = await page.$$eval("ol.codes code", (els) => els.map((e) => e.textContent));
  await page.goto(at("/account"));
  await page.click("text=Sign out");

  // The phone is gone: at the code prompt, "I lost my second factor".
  await signIn();
  await expectPath("/signin/otp");
  await page.click("text=I lost my second factor");
  await expectPath("/recover/case");
  await expectText("Your password ✓");
  await page.fill("#recovery", codes[0]);
  await page.click("text=Check recovery code");
  await expectPath("/recover/case");
  await expectText("Finish the recovery");
  await page.click("text=Finish the recovery");
  await expectText("You are back in");
  await page.click("text=Continue");
  // The tenant requires a second factor: a new app before anything else.
  await expectPath("/account/totp");
  await expectText("Set up an authenticator app");
  console.log("ok: self-recovery with a recovery code in Chromium, then a new app required");
} catch (err) {
  console.error(`failed: ${err.message}`);
  if (page) {
    console.error(`at ${page.url()}:\n${(await page.textContent("body").catch(() => "")) || ""}`);
  }
  process.exitCode = 1;
} finally {
  await browser.close();
}
