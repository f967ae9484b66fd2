/**
 * Runtime schema for {@link Procedure}, so a loaded snapshot is validated
 * rather than trusted. Strict objects: an unknown key means the file and the
 * code have drifted apart.
 */
import { z } from 'zod';
import type { Procedure } from './procedure.js';

const text = z.string();
const nonEmpty = z.string().min(1);

export const feeSchema = z
  .strictObject({
    kind: z.enum(['fee', 'charge', 'other']),
    amountVnd: z.number().nonnegative().nullable(),
    text,
    unpublished: z.boolean(),
  })
  // "Unpublished" is exactly: no amount and no text. Never "free".
  .refine((f) => !f.unpublished || (f.amountVnd === null && f.text === ''), {
    message: 'unpublished fee must have amountVnd null and empty text',
  });

export const channelTermsSchema = z.strictObject({
  channel: z.enum(['direct', 'online', 'postal']),
  time: z
    .strictObject({
      qty: z.number().positive(),
      unit: z.enum(['working_day', 'day', 'hour', 'month', 'other']),
    })
    .nullable(),
  timeText: text,
  fees: z.array(feeSchema),
});

export const paperSchema = z.strictObject({
  name: text,
  originals: z.number().int().nonnegative(),
  copies: z.number().int().nonnegative(),
  forms: z.array(z.strictObject({ name: text, url: text })),
});

export const paperCaseSchema = z.strictObject({
  name: text,
  papers: z.array(paperSchema),
  notes: z.array(text),
});

export const procedureSchema = z.strictObject({
  code: nonEmpty,
  name: nonEmpty,
  field: text,
  fieldCode: text,
  lifeEvents: z.array(nonEmpty),
  levels: z.array(z.enum(['commune', 'province', 'ministry', 'vertical', 'other'])),
  onlineLevel: z.enum(['full', 'partial', 'offline']),
  onlineLevelDisputed: z.boolean(),
  channels: z.array(channelTermsSchema),
  cases: z.array(paperCaseSchema),
  steps: z.array(text),
  results: z.array(text),
  applicants: z.array(text),
  agencies: z.array(text),
  legalBasis: z.array(z.strictObject({ code: text, name: text })),
  requirements: text,
  decision: z
    .strictObject({ number: text, date: z.iso.date().nullable(), agency: text })
    .nullable(),
  sourceUrl: z.url(),
  updatedAt: z.iso.datetime(),
  variants: z.array(z.strictObject({ code: nonEmpty, name: text })),
});

// Compile-time guard: the schema and the hand-written type must not drift.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const schemaMatchesType: Equals<z.infer<typeof procedureSchema>, Procedure> = true;
void schemaMatchesType;

export function parseProcedure(v: unknown): Procedure {
  return procedureSchema.parse(v);
}
