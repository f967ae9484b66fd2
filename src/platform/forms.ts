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

/** Only local paths are followed after sign-in, never another site. */
export function safeNext(next: string | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
