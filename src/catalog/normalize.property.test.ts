/**
 * Contract of normalizeRecord on hostile input: it never throws anything but
 * a CatalogRecordError (record has no usable code, name or date), and
 * whatever it returns is accepted by the schema. Inputs are real fixture
 * records with random fields deleted, nulled or replaced by values of any
 * type, plus wholly arbitrary values.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CatalogRecordError, normalizeRecord, type RawLine } from './normalize.js';
import { procedureSchema } from './procedure.schema.js';

const dir = new URL('./fixtures/', import.meta.url);
const fixtures: unknown[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')));

type Path = (string | number)[];

/** Every path to a value inside v (objects and arrays included). */
function paths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

const DELETE = Symbol('delete');

function mutate(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value === DELETE ? undefined : value;
  type Node = Record<string | number, unknown> & unknown[];
  let node = root as Node;
  for (const k of path.slice(0, -1)) node = node[k] as Node;
  const last = path[path.length - 1]!;
  if (value === DELETE) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return root;
}

const replacement = fc.oneof(
  fc.constant(DELETE),
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.double(), // NaN, ±Infinity, -0 included
  fc.string(),
  fc.string({ unit: 'binary' }), // lone surrogates too
  fc.constantFrom('', ' ', '0', '-1', '1e400', 'ho\u0103\u0323c', '\u200e', 'ONLINE', 'YEAR', 'USD'),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }),
  fc.anything(),
);

const mutatedRecord = fc
  .record({
    base: fc.constantFrom(...fixtures),
    edits: fc.array(fc.tuple(fc.nat(), replacement), { minLength: 1, maxLength: 8 }),
  })
  .map(({ base, edits }) => {
    let rec: unknown = structuredClone(base);
    for (const [i, value] of edits) {
      const all = paths(rec);
      if (all.length === 0) break;
      rec = mutate(rec, all[i % all.length]!, value);
    }
    return rec;
  });

function checkContract(input: unknown): void {
  let out;
  try {
    out = normalizeRecord(input as RawLine);
  } catch (e) {
    expect(e).toBeInstanceOf(CatalogRecordError);
    return;
  }
  const r = procedureSchema.safeParse(out);
  if (!r.success) throw new Error(`schema rejected output: ${JSON.stringify(r.error.issues.slice(0, 3))}`);
}

describe('normalizeRecord on mutated records (property)', () => {
  it('returns a schema-valid Procedure or throws CatalogRecordError (mutated real records)', () => {
    fc.assert(fc.property(mutatedRecord, checkContract), { numRuns: 2000 });
  });

  it('returns a schema-valid Procedure or throws CatalogRecordError (arbitrary values)', () => {
    const line = fc.oneof(
      fc.anything(),
      fc.record({ lifeEventGroup: fc.anything(), raw: fc.anything() }),
      fc.record({
        lifeEventGroup: fc.string(),
        raw: fc.record({ code: fc.string(), name: fc.string(), detail: fc.dictionary(fc.string(), fc.anything()) }),
      }),
    );
    fc.assert(fc.property(line, checkContract), { numRuns: 1000 });
  });

  it('most light mutations still give a procedure (tolerance, not just safety)', () => {
    // Mutations that leave code, name and dates alone must never be rejected.
    const safe = fc
      .record({ base: fc.constantFrom(...fixtures), edits: fc.array(fc.tuple(fc.nat(), replacement), { maxLength: 5 }) })
      .map(({ base, edits }) => {
        const rec = structuredClone(base) as RawLine;
        const keep = new Set(['code', 'name', 'updatedAt', 'createdAt', 'detail', 'raw']);
        for (const [i, value] of edits) {
          const all = paths(rec).filter((p) => p.length > 2 && !(p.length === 3 && keep.has(String(p[2]))));
          if (all.length === 0) break;
          mutate(rec, all[i % all.length]!, value);
        }
        return rec;
      });
    fc.assert(
      fc.property(safe, (rec) => {
        expect(procedureSchema.safeParse(normalizeRecord(rec)).success).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
