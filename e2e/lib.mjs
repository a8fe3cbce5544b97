// What the browser tests share: RFC 6238 codes, the browser, and checks
// that fail with the page's text.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

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

/// The 6-digit code of a base32 secret at a Unix time (SHA-1, 30 s).
export function totp(secret, unixTime) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixTime / 30)));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).toString().padStart(6, "0");
}

/// What a script does with a page of `tenant` at `base`: its addresses,
/// waiting for a path or a text, signing in.
export function helpersFor(page, base, tenant) {
  const at = (path) => `${base}/t/${tenant}${path}`;
  const expectPath = async (path) => {
    await page.waitForURL((url) => url.pathname === `/t/${tenant}${path}`, { timeout: 15000 });
  };
  const expectText = async (text) => {
    const body = await page.textContent("body");
    if (!body.includes(text)) {
      throw new Error(`expected "${text}" on ${page.url()}`);
    }
  };
  const signIn = async (username, password) => {
    await page.goto(at("/signin"));
    await page.fill("#login", username);
    await page.fill("#password", password);
    await page.click("form[action$='/signin'] button[type=submit]");
  };
  return { at, expectPath, expectText, signIn };
}

/// Runs `body(page, helpers)` in a fresh Chromium; prints `done` or the
/// failure with the page's text (the page the error names as `err.page`,
/// else the first) and sets the exit code.
export async function inChromium(base, tenant, done, body) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox"],
  });
  let page;
  try {
    const context = await browser.newContext();
    page = await context.newPage();
    await body(page, { context, ...helpersFor(page, base, tenant) });
    console.log(`ok: ${done}`);
  } catch (err) {
    console.error(`failed: ${err.message}`);
    const shown = err.page || page;
    if (shown) {
      console.error(`at ${shown.url()}:\n${(await shown.textContent("body").catch(() => "")) || ""}`);
    }
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

/// Gives `page` a virtual authenticator (the DevTools WebAuthn domain): a
/// platform passkey that verifies its user and answers by itself.
export async function virtualAuthenticator(context, page) {
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
  return cdp;
}

// Every rule of axe runs in two modes that between them cover both widths
// and both colour schemes; the other two run the rules whose outcome
// depends on the pair of width and colours (contrast: colours and what
// overlaps at that width; target size). The DOM is the same in every mode
// (the stylesheet only lays out and colours), so the structural rules
// (names, labels, landmarks, ARIA) would only repeat themselves. The cheap
// checks below (sideways scrolling, form errors) run in all four.
const MODE_RULES = ["color-contrast", "target-size"];
const MODES = [
  { name: "desktop-light", width: 1280, height: 900, colorScheme: "light", rules: null },
  { name: "desktop-dark", width: 1280, height: 900, colorScheme: "dark", rules: MODE_RULES },
  { name: "phone-light", width: 390, height: 844, colorScheme: "light", rules: MODE_RULES },
  { name: "phone-dark", width: 390, height: 844, colorScheme: "dark", rules: null },
];

/// The design checks of a page (every script): axe-core with no
/// serious or critical violation at 1280 and 390 px in light and dark mode,
/// no sideways scrolling on a phone, form errors linked to their fields,
/// error pages that lead on (and name `tenantName`). With `shots` (a
/// folder), the pages named in `shotNames` are saved there.
export function auditor({ tenantName, shots, shotNames = new Set() }) {
  const axeSource = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
  const SHOT = shotNames;
  let audited = 0;
  /// Checks the page in every mode; `kind` "error" pages must lead on (and
  /// name the tenant when `named`), "field-error" pages must mark a field.
  async function audit(page, name, { kind = "page", named = true } = {}) {
    for (const mode of MODES) {
      await page.setViewportSize({ width: mode.width, height: mode.height });
      await page.emulateMedia({ colorScheme: mode.colorScheme });
      if (!(await page.evaluate(() => typeof window.axe === "object"))) {
        // Evaluated by the DevTools protocol, so the page's CSP (script-src
        // 'self') does not apply: the pages themselves stay script-free.
        await page.evaluate(axeSource);
      }
      const result = await page.evaluate(
        (rules) =>
          window.axe.run(document, {
            resultTypes: ["violations"],
            ...(rules ? { runOnly: { type: "rule", values: rules } } : {}),
          }),
        mode.rules,
      );
      const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      if (serious.length) {
        const detail = serious
          .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`).join("\n    ")}`)
          .join("\n  ");
        throw new Error(`axe on "${name}" (${mode.name}):\n  ${detail}`);
      }
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (wide > 0) {
        throw new Error(`"${name}" (${mode.name}) scrolls sideways by ${wide} px`);
      }
      const fieldProblems = await page.evaluate(() => {
        const out = [];
        for (const field of document.querySelectorAll('[aria-invalid="true"]')) {
          const ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
          if (!ids.length) out.push(`#${field.id} is invalid without aria-describedby`);
          for (const id of ids) {
            if (!document.getElementById(id)?.textContent.trim()) out.push(`#${field.id} points at #${id}, which is missing or empty`);
          }
        }
        for (const message of document.querySelectorAll(".error[id]")) {
          if (!document.querySelector(`[aria-describedby~="${message.id}"]`)) out.push(`#${message.id} is about no field`);
        }
        return out;
      });
      if (fieldProblems.length) {
        throw new Error(`form errors on "${name}" (${mode.name}): ${fieldProblems.join("; ")}`);
      }
      if (kind === "field-error") {
        const marked = await page.locator('[aria-invalid="true"]').count();
        if (!marked) throw new Error(`"${name}" shows an error but marks no field`);
      }
      if (kind === "error") {
        const links = await page.locator("main a[href]").count();
        if (!links) throw new Error(`"${name}" (${page.url()}) has no link forward`);
        const text = await page.textContent("body");
        if (named && !text.includes(tenantName)) throw new Error(`"${name}" does not name ${tenantName}`);
      }
      if (shots && SHOT.has(name)) {
        await page.screenshot({ path: `${shots}/design-${name}-${mode.name}.png`, fullPage: mode.width < 1000 });
      }
      audited += 1;
    }
    // Back to the default for the steps in between.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: "light" });
  }
  return { audit, audited: () => audited };
}

// The walk of a person's journeys (issue 14): appended so that the checks
// above stay as they are.
import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline";

/// The walk of a person's journey (totp.mjs, passkey.mjs, recovery.mjs,
/// journey.mjs): every page the journey passes must offer a way on (a link
/// or a button in its main part). In English each page goes through
/// `auditor`'s checks in its four modes, and with SCREENSHOTS (a folder)
/// the pages named in `shots` are saved there as `PREFIX-NAME.png`, the
/// viewport in the mode `shots` names ("phone-dark"). In German, French or
/// Italian (`lang`) each page's HTML is kept in `pages` (a folder) instead,
/// for the Rust test to look for English left against the catalogue
/// (`helpers::english_left`).
export function walker({ tenantName, lang = "en", pages, prefix, shots = {} }) {
  const checks = auditor({ tenantName });
  let visited = 0;
  async function visit(page, name, options = {}) {
    visited += 1;
    if (!(await page.locator("main a[href], main button").count())) {
      throw new Error(`"${name}" (${page.url()}) offers no way on`);
    }
    if (lang !== "en") {
      // longer words must not push a phone's page sideways either
      await page.setViewportSize({ width: 390, height: 844 });
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await page.setViewportSize({ width: 1280, height: 900 });
      if (wide > 0) throw new Error(`"${name}" in ${lang} scrolls sideways by ${wide} px on a phone`);
      const file = `${pages}/${String(visited).padStart(2, "0")}-${name.replace(/[^a-z0-9]+/gi, "-")}.html`;
      writeFileSync(file, await page.content());
      return;
    }
    await checks.audit(page, name, options);
    const mode = shots[name];
    if (process.env.SCREENSHOTS && mode) {
      const phone = mode.startsWith("phone");
      await page.setViewportSize(phone ? { width: 390, height: 844 } : { width: 1280, height: 900 });
      await page.emulateMedia({ colorScheme: mode.endsWith("dark") ? "dark" : "light" });
      await page.screenshot({ path: `${process.env.SCREENSHOTS}/${prefix}-${name}.png` });
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.emulateMedia({ colorScheme: "light" });
    }
  }
  return { visit, visited: () => visited };
}

/// Asks the Rust test that runs the script (`browser::run_talking`) for
/// what only it knows, such as the codes mailed so far: prints
/// `ask: QUESTION` and waits for the one-line answer on standard input.
export async function ask(question) {
  const lines = createInterface({ input: process.stdin });
  const answer = new Promise((resolve, reject) => {
    lines.once("line", resolve);
    lines.once("close", () => reject(new Error(`no answer to "${question}"`)));
  });
  console.log(`ask: ${question}`);
  try {
    return await answer;
  } finally {
    lines.close();
  }
}
