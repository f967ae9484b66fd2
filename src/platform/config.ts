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
  /** Create demo accounts (one published password) on an empty database: only when asked (`npm run demo`). */
  seedDemo: boolean;
  /** An Open311 key to register for the demo province; none unless named. */
  demoOpen311Key: string | null;
  /**
   * How many reverse proxies of ours stand in front (0: none). The client
   * address is the one the outermost of them saw: that many entries from the
   * right of X-Forwarded-For, never the leftmost (which the client writes).
   */
  trustProxy: number;
  /** Shared with the payment gateway: its callbacks are signed with it (HMAC-SHA256). Unset: callbacks are refused. */
  paymentCallbackSecret: string | null;
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
    seedDemo: env.XASO_SEED_DEMO === '1',
    demoOpen311Key: env.XASO_DEMO_OPEN311_KEY?.trim() || null,
    trustProxy: parseTrustProxy(env.XASO_TRUST_PROXY),
    paymentCallbackSecret: env.XASO_PAYMENT_CALLBACK_SECRET?.trim() || null,
  };
}

function parseTrustProxy(value: string | undefined): number {
  const v = value?.trim();
  if (!v) return 0;
  const hops = Number(v);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new Error(`XASO_TRUST_PROXY không hợp lệ: "${value}" (cần số proxy đứng trước máy chủ, ví dụ 1)`);
  }
  return hops;
}
