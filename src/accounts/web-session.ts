import { deleteCookie, setCookie } from 'hono/cookie';
import { clientIp, type Ctx } from '../platform/context.js';
import { SESSION_COOKIE, createSession, destroySession } from '../platform/session.js';

/** Signs in on this browser: the old session (if any) is dropped, a new id issued (no fixation). */
export async function startWebSession(c: Ctx, userId: string): Promise<void> {
  const { db, config } = c.get('deps');
  const previous = c.get('actor');
  if (previous) await destroySession(db, previous.sessionId);
  const session = await createSession(db, userId, { ip: clientIp(c), userAgent: c.req.header('user-agent') ?? null });
  setCookie(c, SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.baseUrl.startsWith('https:'),
    path: '/',
    expires: session.expiresAt,
  });
}

export function clearWebSession(c: Ctx): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
