// node oidc-provider as the baseline of bench/token.rs: the same two token
// requests (refresh with rotation, client credentials) with ES256 ID
// tokens, on its default in-memory storage.
//
//   node provider.mjs CONNECTIONS
//
// Prints one JSON line: the token endpoint, the clients, and one refresh
// token per connection.
import Provider from "oidc-provider";

// oidc-provider's notices go to stderr: stdout carries only our JSON line.
console.log = console.info = (...args) => console.error(...args);
import { createServer } from "node:http";

const connections = Number(process.argv[2] || 16);
const server = createServer();
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = await crypto.subtle.generateKey(
  { name: "ECDSA", namedCurve: "P-256" },
  true,
  ["sign", "verify"],
);
const jwk = await crypto.subtle.exportKey("jwk", privateKey);

const web = { id: "web", secret: "web-secret-for-the-baseline-0123456789abcdef" };
const machine = { id: "machine", secret: "machine-secret-for-the-baseline-0123456789" };
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: web.id,
      client_secret: web.secret,
      grant_types: ["authorization_code", "refresh_token"],
      redirect_uris: ["https://bench.example/cb"],
      response_types: ["code"],
      id_token_signed_response_alg: "ES256",
    },
    {
      client_id: machine.id,
      client_secret: machine.secret,
      grant_types: ["client_credentials"],
      redirect_uris: [],
      response_types: [],
      id_token_signed_response_alg: "ES256",
    },
  ],
  jwks: { keys: [{ ...jwk, kid: "bench", use: "sig", alg: "ES256" }] },
  features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
  scopes: ["openid", "offline_access"],
  rotateRefreshToken: true,
  issueRefreshToken: async () => true,
  findAccount: async (_, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
});
provider.proxy = false;

const client = await provider.Client.find(web.id);
const tokens = [];
for (let i = 0; i < connections; i++) {
  const grant = new provider.Grant({ accountId: "bench", clientId: web.id });
  grant.addOIDCScope("openid offline_access");
  const grantId = await grant.save();
  const rt = new provider.RefreshToken({
    accountId: "bench",
    client,
    grantId,
    scope: "openid offline_access",
    gty: "authorization_code",
    authTime: Math.floor(Date.now() / 1000),
  });
  tokens.push(await rt.save());
}
server.on("request", provider.callback());
process.stdout.write(`${JSON.stringify({ token_endpoint: `${issuer}/token`, web, machine, tokens })}\n`);
