import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { appendAudit } from '../platform/audit.js';
import type { Config } from '../platform/config.js';
import type { Db, DbOrTx } from '../platform/db.js';
import * as store from './accounts.store.js';
import { PHONE_RE, normalizePhone } from './accounts.schema.js';
import '../platform/tables.js';

export type OidcSettings = NonNullable<Config['oidc']>;

export function oidcEnabled(config: Config): boolean {
  return config.oidc !== null;
}

export const OIDC_SCOPE = 'openid profile phone email';
export const CALLBACK_PATH = '/dang-nhap/vneid/callback';
export const FLOW_COOKIE = 'xaso_oidc';
export const FLOW_COOKIE_PATH = '/dang-nhap/vneid';
export const FLOW_MINUTES = 10;

export function callbackUrl(config: Config): string {
  return `${config.baseUrl}${CALLBACK_PATH}`;
}

/** Plain http is tolerated only for a provider on this machine (tests, local development). */
export function isLocalHttp(issuer: URL): boolean {
  return issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
}

// Discovery is fetched on first use and kept; refreshed daily so changed endpoints are picked up without a restart.
const DISCOVERY_TTL_MS = 24 * 3_600_000;
const discovered = new Map<string, { at: number; config: Promise<client.Configuration> }>();

export function oidcClient(settings: OidcSettings): Promise<client.Configuration> {
  const key = `${settings.issuer}\n${settings.clientId}\n${settings.clientSecret ?? ''}`;
  const hit = discovered.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const issuer = new URL(settings.issuer);
  const config = client.discovery(
    issuer,
    settings.clientId,
    settings.clientSecret ?? undefined,
    // Without a secret we are a public client and rely on PKCE alone.
    settings.clientSecret ? client.ClientSecretBasic(settings.clientSecret) : client.None(),
    { execute: isLocalHttp(issuer) ? [client.allowInsecureRequests] : [], timeout: 10 },
  );
  discovered.set(key, { at: Date.now(), config });
  // A failed discovery (provider down) must not stick: the next sign-in tries again.
  config.catch(() => {
    if (discovered.get(key)?.config === config) discovered.delete(key);
  });
  return config;
}

/** What the browser carries between the redirect to the provider and the callback. */
export interface FlowState {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

function flowKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('xaso:oidc-flow-cookie').digest();
}

/** Encrypted (AES-256-GCM), so the PKCE verifier stays secret and the cookie cannot be altered. */
export function sealFlow(secret: string, flow: FlowState): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', flowKey(secret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export type UnsealResult = { ok: true; flow: FlowState } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

export function unsealFlow(secret: string, sealed: string | undefined, now = Date.now()): UnsealResult {
  if (!sealed) return { ok: false, reason: 'missing' };
  try {
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < 29) return { ok: false, reason: 'invalid' };
    const decipher = createDecipheriv('aes-256-gcm', flowKey(secret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    const flow = JSON.parse(json) as FlowState;
    if (typeof flow.state !== 'string' || typeof flow.nonce !== 'string' || typeof flow.verifier !== 'string' || typeof flow.exp !== 'number') {
      return { ok: false, reason: 'invalid' };
    }
    if (flow.exp < now) return { ok: false, reason: 'expired' };
    return { ok: true, flow };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
}

/** A fresh state, nonce and PKCE pair, and the provider URL to send the browser to. */
export async function beginFlow(config: Config, next: string): Promise<{ url: URL; flow: FlowState }> {
  const settings = config.oidc!;
  const oidc = await oidcClient(settings);
  const verifier = client.randomPKCECodeVerifier();
  const flow: FlowState = { state: client.randomState(), nonce: client.randomNonce(), verifier, next, exp: Date.now() + FLOW_MINUTES * 60_000 };
  const url = client.buildAuthorizationUrl(oidc, {
    redirect_uri: callbackUrl(config),
    scope: OIDC_SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: flow.state,
    nonce: flow.nonce,
    ui_locales: 'vi',
  });
  return { url, flow };
}

/** The person as the national provider describes them. */
export interface OidcProfile {
  subject: string;
  fullName: string;
  /** 0xxxxxxxxx, only when the provider says it is verified. */
  phone: string | null;
  /** Lower-cased, only when the provider says it is verified. */
  email: string | null;
}

type Claims = Record<string, unknown>;

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

export function profileFromClaims(claims: Claims): OidcProfile {
  const subject = str(claims.sub);
  if (!subject) throw new Error('ID token has no sub');
  // Vietnamese order: family name first.
  const composed = [str(claims.family_name), str(claims.middle_name), str(claims.given_name)].filter(Boolean).join(' ');
  const fullName =
    (str(claims.name) ?? composed)
      // Controls and markup characters go (as the registration form refuses them); whitespace, tabs included, becomes single spaces.
      .replace(/(?!\s)[\p{Cc}<>{}\\/]/gu, '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 100) || 'Công dân';
  const rawPhone = str(claims.phone_number);
  const phone = rawPhone && claims.phone_number_verified === true ? normalizePhone(rawPhone) : null;
  const rawEmail = str(claims.email)?.toLowerCase() ?? null;
  const email = rawEmail && claims.email_verified === true && rawEmail.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(rawEmail) ? rawEmail : null;
  return { subject, fullName, phone: phone && PHONE_RE.test(phone) ? phone : null, email };
}

/**
 * Exchanges the code (state, PKCE and the ID token's nonce are checked by
 * openid-client) and reads the claims: from the ID token, completed from
 * UserInfo when the provider keeps profile claims there (as many do for the code flow).
 */
export async function finishFlow(config: Config, flow: FlowState, search: string): Promise<{ issuer: string; profile: OidcProfile }> {
  const oidc = await oidcClient(config.oidc!);
  // Built from baseUrl, not the request: behind a proxy the request URL is not what the provider redirected to.
  const current = new URL(`${callbackUrl(config)}${search}`);
  const tokens = await client.authorizationCodeGrant(oidc, current, {
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    pkceCodeVerifier: flow.verifier,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims();
  if (!idClaims) throw new Error('no ID token in the token response');
  let claims: Claims = { ...idClaims };
  const needsMore = !str(claims.name) || !str(claims.phone_number);
  if (needsMore && oidc.serverMetadata().userinfo_endpoint && tokens.access_token) {
    const info = await client.fetchUserInfo(oidc, tokens.access_token, idClaims.sub);
    claims = { ...info, ...claims };
  }
  // The provider's own issuer identifier (as in the ID token), not our config's spelling of it.
  return { issuer: oidc.serverMetadata().issuer, profile: profileFromClaims(claims) };
}

// Store functions for oidc_identity; kept here because only this module uses the table.

export async function findIdentity(db: DbOrTx, issuer: string, subject: string): Promise<string | undefined> {
  const row = await db.selectFrom('oidc_identity').select('user_id').where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
  return row?.user_id;
}

export async function hasIdentityFrom(db: DbOrTx, issuer: string, userId: string): Promise<boolean> {
  const row = await db.selectFrom('oidc_identity').select('subject').where('issuer', '=', issuer).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

export async function insertIdentity(db: DbOrTx, issuer: string, subject: string, userId: string): Promise<void> {
  await db.insertInto('oidc_identity').values({ issuer, subject, user_id: userId }).execute();
}

export type OidcSignIn = { userId: string; outcome: 'known' | 'linked' | 'created' };

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

/**
 * Finds or makes the account for a national identity, in one transaction with
 * its audit entry: the known identity; else a citizen with the same verified
 * phone (not yet tied to another identity from this provider: phone numbers
 * get reassigned); else a new citizen without a password.
 */
export async function signInWithOidc(db: Db, issuer: string, profile: OidcProfile, meta: { ip: string | null }): Promise<OidcSignIn> {
  const attempt = () =>
    db.transaction().execute(async (tx): Promise<OidcSignIn> => {
      const known = await findIdentity(tx, issuer, profile.subject);
      if (known) {
        const user = await store.findUserById(tx, known);
        if (!user) throw new Error(`oidc_identity points to a missing user ${known}`);
        await appendAudit(tx, { actorId: user.id, actorLabel: user.full_name, action: 'account.oidc_login', subjectType: 'user', subjectId: user.id, ip: meta.ip, detail: { issuer } });
        return { userId: user.id, outcome: 'known' };
      }

      const samePhone = profile.phone ? await store.findUserByPhone(tx, profile.phone) : undefined;
      if (samePhone && samePhone.kind === 'citizen' && !(await hasIdentityFrom(tx, issuer, samePhone.id))) {
        await insertIdentity(tx, issuer, profile.subject, samePhone.id);
        await appendAudit(tx, {
          actorId: samePhone.id,
          actorLabel: samePhone.full_name,
          action: 'account.oidc_login',
          subjectType: 'user',
          subjectId: samePhone.id,
          pdChanged: ['oidc_identity'],
          ip: meta.ip,
          detail: { issuer, linkedBy: 'phone' },
        });
        return { userId: samePhone.id, outcome: 'linked' };
      }

      // The phone or email may belong to someone we would not link (staff, or already linked): leave them off then.
      const phone = profile.phone && !samePhone ? profile.phone : null;
      const email = profile.email && !(await store.findUserByLogin(tx, profile.email)) ? profile.email : null;
      const userId = await store.insertUser(tx, { kind: 'citizen', fullName: profile.fullName, phone, email, passwordHash: null });
      await insertIdentity(tx, issuer, profile.subject, userId);
      await appendAudit(tx, {
        actorId: userId,
        actorLabel: profile.fullName,
        action: 'account.oidc_register',
        subjectType: 'user',
        subjectId: userId,
        pdChanged: ['full_name', ...(phone ? ['phone'] : []), ...(email ? ['email'] : []), 'oidc_identity'],
        ip: meta.ip,
        detail: { issuer },
      });
      return { userId, outcome: 'created' };
    });
  try {
    return await attempt();
  } catch (err) {
    // Two callbacks for one person at once (double click): the loser finds what the winner made.
    if (isUniqueViolation(err)) return attempt();
    throw err;
  }
}
