import type { Context } from 'hono';
import type { Config } from './config.js';
import type { Db, Engine } from './db.js';
import type { Locale, Translate } from './i18n.js';
import type { Logger } from './logger.js';
import type { RoleGrant } from './permissions.js';
import type { UserKind } from './tables.js';

/** The signed-in person. */
export interface Actor {
  id: string;
  kind: UserKind;
  fullName: string;
  phone: string | null;
  email: string | null;
  grants: RoleGrant[];
  sessionId: string;
  /** Unread lines in the in-app inbox, for the header. */
  unreadNotices: number;
}

/** What the app is built from. */
export interface Deps {
  db: Db;
  engine: Engine;
  config: Config;
  log: Logger;
}

export interface AppEnv {
  Variables: {
    deps: Deps;
    actor: Actor | null;
    locale: Locale;
    t: Translate;
    csrf: string;
    requestId: string;
    largeText: boolean;
    log: Logger;
  };
}

export type Ctx = Context<AppEnv>;

/** The client's address, for audit entries and rate limits. */
export function clientIp(c: Ctx): string {
  // X-Forwarded-For is anyone's to forge unless a proxy we trust sets it.
  const forwarded = c.get('deps').config.trustProxy ? c.req.header('x-forwarded-for') : undefined;
  if (forwarded) return forwarded.split(',')[0]!.trim();
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

export function actorLabel(actor: Actor | null): string {
  if (!actor) return 'khách';
  const roles = actor.grants.map((g) => `${g.role}@${g.unitCode}`).join(',');
  return roles ? `${actor.fullName} (${roles})` : actor.fullName;
}

/** JSON API paths answer errors as JSON, everything else as pages. */
export function isApiPath(path: string): boolean {
  return path.startsWith('/api/') || path.startsWith('/open311/');
}
