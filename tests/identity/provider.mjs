// A real OpenID provider (npm oidc-provider) for the sign-in tests; test-only, never part of w2.
// Usage: node provider.mjs <config.json>. The config names the port, clients, accounts and, per
// client, claims the provider overrides in the ID tokens it issues (re-signed with its own key),
// so tests can meet a token with a wrong nonce, audience or expiry coming from a real provider.
import { readFileSync } from 'node:fs';
import { CompactSign, exportJWK, generateKeyPair, importJWK } from 'jose';
import Provider from 'oidc-provider';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${cfg.port}`;
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
const signingKey = await importJWK(jwk, 'RS256');
const accounts = cfg.accounts || {};
const overrides = cfg.id_token_overrides || {};

// A login name "claims.<base64url JSON>" is an account with exactly those claims (tests make people on the fly).
function fromLogin(id) {
  if (!id.startsWith('claims.')) return undefined;
  try { return JSON.parse(Buffer.from(id.slice(7), 'base64url').toString('utf8')); } catch { return undefined; }
}

const provider = new Provider(issuer, {
  clients: cfg.clients,
  jwks: { keys: [jwk] },
  pkce: { methods: ['S256'], required: () => true },
  features: { devInteractions: { enabled: true } },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'],
            rrn: cfg.national_number_claims || ['rrn'] },
  scopes: ['openid', 'email', 'profile', 'rrn'],
  cookies: { keys: ['test-only-cookie-key'] },
  findAccount: async (ctx, id) => {
    const claims = accounts[id] || fromLogin(id);
    return claims ? { accountId: id, claims: async () => ({ sub: id, ...claims }) } : undefined;
  },
});
provider.proxy = false;

// The hook: after the token endpoint answered, replace chosen claims of the ID token and sign again.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || !ctx.body || !ctx.body.id_token) return;
  const change = overrides[ctx.oidc && ctx.oidc.client && ctx.oidc.client.clientId];
  if (!change) return;
  const [header, payload] = ctx.body.id_token.split('.').slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  const now = Math.floor(Date.now() / 1000);
  const changed = { ...payload, ...change };
  if (change.expired) {
    delete changed.expired;
    changed.iat = now - 7200;
    changed.exp = now - 3600;
  }
  ctx.body = { ...ctx.body, id_token: await new CompactSign(Buffer.from(JSON.stringify(changed)))
    .setProtectedHeader(header).sign(signingKey) };
});

provider.listen(cfg.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
