import type { Context } from 'hono';
import type { Clock } from './clock.js';
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
  /** Where every feature takes "now" from; tests set it. */
  clock: Clock;
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
    /** Demo accounts (one published password) exist: pages say so. */
    demo: boolean;
    log: Logger;
  };
}

export type Ctx = Context<AppEnv>;

/** The client's address, for audit entries and rate limits. */
export function clientIp(c: Ctx): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const socket = env?.incoming?.socket?.remoteAddress ?? 'unknown';
  const hops = c.get('deps').config.trustProxy;
  return hops ? (forwardedClient(c.req.header('x-forwarded-for'), hops) ?? socket) : socket;
}

/**
 * The address our outermost trusted proxy saw. Each proxy appends the address
 * it received from, so with `hops` proxies of ours that is the hops-th entry
 * from the right; everything left of it was written by the client and is
 * anyone's to forge (rotating it must not give a fresh rate-limit counter).
 */
export function forwardedClient(header: string | undefined, hops: number): string | null {
  if (!header || hops < 1) return null;
  const entries = header
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  // Fewer entries than proxies: the request did not come through all of them, so none of it is ours.
  if (entries.length < hops) return null;
  return entries[entries.length - hops]!.slice(0, 64);
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
