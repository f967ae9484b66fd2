import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

/** Runtime configuration, read once from the environment. */
export interface Config {
  port: number;
  /** Address to listen on: all interfaces by default, 127.0.0.1 for benchmarks and tests. */
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  baseUrl: string;
  /** Secret for CSRF tokens and one-time codes; generated per process when unset (dev only). */
  secret: string;
  logLevel: string;
  oidc: { issuer: string; clientId: string; clientSecret: string | null; label: string } | null;
  smtpUrl: string | null;
  mailFrom: string;
  /** Brand-name SMS gateway; without it SMS is only logged (development). */
  smsGateway: { url: string; token: string | null; brandname: string } | null;
  /** The provinces this deployment serves (two-digit codes); citizens pick communes of these. */
  provinces: string[];
  seedDemo: boolean;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  trustProxy: boolean;
}

/** The demo's province when unset, so a bare `npm start` keeps working. */
export const DEFAULT_PROVINCE = '80';

/** "04" or "04,80" → ["04", "80"]; refuses anything but two-digit codes. */
export function parseProvinces(value: string | undefined): string[] {
  const text = value?.trim();
  if (!text) return [DEFAULT_PROVINCE];
  const codes = text.split(/[\s,]+/).filter(Boolean);
  for (const code of codes) {
    if (!/^[0-9]{2}$/.test(code)) throw new Error(`XASO_PROVINCE không hợp lệ: "${code}" (cần mã tỉnh 2 chữ số, ví dụ 04 hoặc 04,80)`);
  }
  return [...new Set(codes)];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT không hợp lệ: "${env.PORT}" (cần số từ 0 đến 65535)`);
  }
  const oidcIssuer = env.XASO_OIDC_ISSUER?.trim();
  return {
    port,
    host: env.XASO_HOST?.trim() || '0.0.0.0',
    dataDir: resolve(env.XASO_DATA_DIR ?? './var'),
    databaseUrl: env.DATABASE_URL?.trim() || null,
    baseUrl: (env.XASO_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    secret: env.XASO_SECRET ?? randomBytes(32).toString('hex'),
    logLevel: env.LOG_LEVEL ?? 'info',
    oidc: oidcIssuer
      ? {
          issuer: oidcIssuer,
          clientId: env.XASO_OIDC_CLIENT_ID ?? 'xaso',
          clientSecret: env.XASO_OIDC_CLIENT_SECRET ?? null,
          label: env.XASO_OIDC_LABEL ?? 'VNeID (Cổng Dịch vụ công quốc gia)',
        }
      : null,
    smtpUrl: env.XASO_SMTP_URL?.trim() || null,
    mailFrom: env.XASO_MAIL_FROM ?? 'Xã Số <no-reply@xaso.local>',
    smsGateway: env.XASO_SMS_GATEWAY_URL?.trim()
      ? { url: env.XASO_SMS_GATEWAY_URL.trim(), token: env.XASO_SMS_GATEWAY_TOKEN?.trim() || null, brandname: env.XASO_SMS_BRANDNAME?.trim() || 'XASO' }
      : null,
    provinces: parseProvinces(env.XASO_PROVINCE),
    seedDemo: env.XASO_SEED_DEMO !== '0',
    trustProxy: env.XASO_TRUST_PROXY === '1',
  };
}
