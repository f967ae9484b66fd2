import type { z } from 'zod';
import type { Ctx } from './context.js';
import type { FieldErrors } from './layout.js';

export type FormResult<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Reads an urlencoded or multipart body into plain strings (files excluded). */
export async function readForm(c: Ctx): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) return {};
  const body = await c.req.parseBody();
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    // PostgreSQL text cannot hold NUL; no person types one.
    if (typeof v === 'string') values[k] = v.replaceAll('\u0000', '');
  }
  return values;
}

/** Validates form values; each error message names the field and what to do (set in the schema). */
export function validate<S extends z.ZodType>(schema: S, values: Record<string, string>): FormResult<z.output<S>> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}

export async function parseForm<S extends z.ZodType>(c: Ctx, schema: S): Promise<FormResult<z.output<S>>> {
  return validate(schema, await readForm(c));
}

const LOCAL_BASE = 'http://xaso.invalid';

/**
 * Only a path on this site is followed after sign-in, never another site.
 * Browsers drop tabs and line breaks from a URL and read `\` as `/`, so
 * `/<tab>/host` would become `//host`: such characters refuse `next` outright;
 * what remains is parsed as a URL against the site and must keep its origin.
 */
export function safeNext(next: string | undefined, fallback = '/'): string {
  // eslint-disable-next-line no-control-regex
  if (!next || next.length > 500 || /[\u0000-\u001f\u007f\\]/.test(next) || !next.startsWith('/')) return fallback;
  let url: URL;
  try {
    url = new URL(next, LOCAL_BASE);
  } catch {
    return fallback;
  }
  const path = url.pathname + url.search + url.hash;
  // `/.//host` normalises to `//host`, which a browser reads as another site.
  if (url.origin !== LOCAL_BASE || path.startsWith('//')) return fallback;
  return path;
}
