// latchkey as an OpenID Provider for Node's openid-client (the certified
// relying-party library), unmodified, with Chromium as the user's browser:
// discovery, code + PKCE, consent, ID token validation (also against the
// JWKS with jose), userinfo, refresh rotation and reuse detection,
// introspection, revocation, client credentials, key rotation, logout.
//
// node oidc.mjs BASE TENANT CONFIG_JSON
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import * as client from "openid-client";
import * as jose from "jose";
import { inChromium, walker } from "./lib.mjs";

const [base, tenant, cfgJson] = process.argv.slice(2);
const cfg = JSON.parse(cfgJson);
const issuer = new URL(`${base}/t/${tenant}`);
const insecure = { execute: [client.allowInsecureRequests] };
// The pages a person meets on the way: the design checks (lib.mjs `walker`);
// with SCREENSHOTS=DIR, the consent page is saved there.
const walk = walker({ tenantName: "Acme Corp", prefix: "oidc", shots: { consent: "phone-light" } });

function check(condition, what) {
  if (!condition) throw new Error(what);
}

async function expectError(promise, code, what) {
  let result;
  try {
    result = await promise;
  } catch (err) {
    const challenge = Array.isArray(err.cause) ? err.cause[0]?.parameters?.error : undefined;
    const got = err.error ?? err.cause?.error ?? challenge ?? err.code;
    if (got === code) return err;
    throw new Error(`${what}: expected ${code}, got ${got}: ${err.message}`);
  }
  throw new Error(`${what}: expected ${code}, but it succeeded: ${JSON.stringify(result)}`);
}

await inChromium(base, tenant, "openid-client", async (page) => {
  const config = await client.discovery(
    issuer,
    cfg.confidential.id,
    undefined,
    client.ClientSecretBasic(cfg.confidential.secret),
    insecure,
  );
  const meta = config.serverMetadata();
  for (const field of [
    "issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
    "response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported",
  ]) {
    check(meta[field], `discovery lacks the required field ${field}`);
  }
  check(meta.issuer === issuer.href, `issuer ${meta.issuer} is not ${issuer.href}`);

  // The application: where the browser comes back to.
  const app = createServer((_, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("back at the application");
  });
  await new Promise((resolve) => app.listen(Number(new URL(cfg.app).port), "127.0.0.1", resolve));
  app.unref();
  const backAtApp = async (prefix) => {
    await page.waitForURL((u) => u.href.startsWith(prefix), { timeout: 15000 });
    return new URL(page.url());
  };

  async function codeFlow(conf, { signIn = false, consent = false, params = {} } = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(conf, {
      redirect_uri: cfg.redirect,
      scope: "openid email profile",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
      ...params,
    });
    await page.goto(url.href);
    if (signIn) {
      await walk.visit(page, "application-sign-in");
      await page.fill("#login", cfg.username);
      await page.fill("#password", cfg.password);
      await page.click("form[action$='/signin'] button[type=submit]");
    }
    if (consent) {
      await page.waitForSelector("button[value=allow]", { timeout: 15000 });
      await walk.visit(page, "consent");
      await page.click("button[value=allow]");
    }
    const back = await backAtApp(cfg.redirect);
    return client.authorizationCodeGrant(conf, back, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
  }

  // 1. Sign-in with consent (a third-party application).
  const first = await codeFlow(config, { signIn: true, consent: true });
  const claims = first.claims();
  check(claims.email === cfg.email && claims.email_verified !== undefined, "email claims");
  check(claims.preferred_username === cfg.username, "profile claims");
  check(Array.isArray(claims.amr) && claims.amr.includes("pwd"), `amr ${claims.amr}`);
  check(claims.acr === "1" && claims.sid && claims.auth_time, "acr, sid, auth_time");
  const jwks = jose.createRemoteJWKSet(new URL(meta.jwks_uri));
  const verified = await jose.jwtVerify(first.id_token, jwks, {
    issuer: meta.issuer,
    audience: cfg.confidential.id,
    algorithms: ["ES256"],
  });
  check(verified.protectedHeader.kid, "kid in the header");
  const info = await client.fetchUserInfo(config, first.access_token, claims.sub);
  check(info.email === cfg.email && info.sub === claims.sub, "userinfo");

  // 2. Refresh: rotated; the old token again revokes the family.
  const second = await client.refreshTokenGrant(config, first.refresh_token);
  check(second.refresh_token && second.refresh_token !== first.refresh_token, "rotated");
  check(second.claims().sub === claims.sub, "refreshed ID token");
  await expectError(client.refreshTokenGrant(config, first.refresh_token), "invalid_grant", "reuse");
  await expectError(client.refreshTokenGrant(config, second.refresh_token), "invalid_grant", "family");
  await expectError(
    client.fetchUserInfo(config, second.access_token, claims.sub),
    "invalid_token",
    "an access token of a revoked family",
  );

  // 3. Signed in and allowed already: straight back with a code.
  const third = await codeFlow(config);
  const active = await client.tokenIntrospection(config, third.access_token);
  check(active.active === true && active.sub === claims.sub, "introspection");
  const refreshInfo = await client.tokenIntrospection(config, third.refresh_token);
  check(refreshInfo.active === true && refreshInfo.token_type === "refresh_token", "refresh introspection");
  await client.tokenRevocation(config, third.refresh_token);
  const gone = await client.tokenIntrospection(config, third.access_token);
  check(gone.active === false, "revocation ends the access token too");

  // 4. A public client (PKCE, no secret).
  const spa = await client.discovery(issuer, cfg.public.id, undefined, client.None(), insecure);
  const fourth = await codeFlow(spa, { consent: true });
  check(fourth.claims().aud === cfg.public.id, "audience of the public client");

  // 5. Machine to machine.
  const machine = await client.discovery(
    issuer,
    cfg.machine.id,
    cfg.machine.secret,
    undefined,
    insecure,
  );
  const cc = await client.clientCredentialsGrant(machine);
  check(cc.access_token && !cc.refresh_token && !cc.id_token, "client credentials");
  const ccInfo = await client.tokenIntrospection(machine, cc.access_token);
  check(ccInfo.active === true && ccInfo.client_id === cfg.machine.id, "machine token introspection");

  // 5b. A service that proves itself with its own key (private_key_jwt).
  const der = Buffer.from(cfg.keyed.pkcs8, "base64");
  const key = await crypto.subtle.importKey("pkcs8", der, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  const keyed = await client.discovery(
    issuer,
    cfg.keyed.id,
    undefined,
    client.PrivateKeyJwt({ key, kid: cfg.keyed.kid }),
    insecure,
  );
  const signed = await client.clientCredentialsGrant(keyed);
  check(signed.access_token, "client credentials with private_key_jwt");
  const signedInfo = await client.tokenIntrospection(keyed, signed.access_token);
  check(signedInfo.active === true && signedInfo.client_id === cfg.keyed.id, "introspection with private_key_jwt");

  // 6. Key rotation: tokens signed before it still verify.
  execFileSync(cfg.rotate[0], cfg.rotate.slice(1), { env: { ...process.env, ...cfg.rotate_env } });
  const afterRotation = jose.createRemoteJWKSet(new URL(meta.jwks_uri));
  await jose.jwtVerify(fourth.id_token, afterRotation, { issuer: meta.issuer, algorithms: ["ES256"] });
  const keys = await (await fetch(meta.jwks_uri)).json();
  check(keys.keys.length === 2, `both keys published after rotation (${keys.keys.length})`);
  const stillValid = await client.fetchUserInfo(spa, fourth.access_token, claims.sub);
  check(stillValid.sub === claims.sub, "userinfo after rotation");

  // 7. Logout started by the application ends the sign-in and its tokens.
  const logout = client.buildEndSessionUrl(config, {
    id_token_hint: third.id_token,
    post_logout_redirect_uri: cfg.post_logout,
    state: "bye",
  });
  await page.goto(logout.href);
  const afterLogout = await backAtApp(cfg.post_logout);
  check(afterLogout.searchParams.get("state") === "bye", "state after logout");
  await expectError(client.refreshTokenGrant(spa, fourth.refresh_token), "invalid_grant", "after logout");

  // 8. prompt=none when signed out: login_required at the application.
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: cfg.redirect,
    scope: "openid",
    prompt: "none",
    state: "quiet",
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: "S256",
  });
  await page.goto(url.href);
  const quiet = await backAtApp(cfg.redirect);
  check(quiet.searchParams.get("error") === "login_required", `prompt=none: ${quiet.href}`);
  check(quiet.searchParams.get("state") === "quiet", "state with the error");
});
