import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { app: 'xaso' },
    redact: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password', 'code', '*.code', 'api_key', '*.api_key', 'secret', '*.secret'],
  });
}

/** A logger that drops everything, for tests. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** A phone number or e-mail address as a log may show it: enough to tell two apart, not to contact anyone. */
export function maskRecipient(recipient: string): string {
  const at = recipient.indexOf('@');
  if (at > 0) return `${recipient[0]}***${recipient.slice(at)}`;
  const digits = recipient.replace(/\D/g, '');
  return digits.length > 4 ? `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}` : '***';
}

/** Message text as a log may show it: every run of 4 or more digits (codes, phone numbers, ID numbers) masked. */
export function maskDigits(text: string): string {
  return text.replace(/\d(?:[\s.-]?\d){3,}/g, (m) => '*'.repeat(m.replace(/\D/g, '').length));
}
