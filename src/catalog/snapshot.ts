/**
 * Loads the committed, normalised catalog (data/catalog/procedures.jsonl.gz).
 * Every line is validated: a snapshot that does not match the schema fails
 * loudly, naming the line, instead of leaking bad data into search.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Procedure } from './procedure.js';
import { procedureSchema } from './procedure.schema.js';

export const DEFAULT_SNAPSHOT_URL = new URL('../../data/catalog/procedures.jsonl.gz', import.meta.url);

export class CatalogSnapshotError extends Error {
  override readonly name = 'CatalogSnapshotError';
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}: line ${line}: ${detail}`);
  }
}

export async function loadCatalogSnapshot(path: string | URL = DEFAULT_SNAPSHOT_URL): Promise<Procedure[]> {
  const file = path instanceof URL ? fileURLToPath(path) : path;
  // A few MB: reading it whole keeps error handling simple (no stream plumbing).
  const lines = gunzipSync(await readFile(file)).toString('utf8').split('\n');
  const out: Procedure[] = [];
  let n = 0;
  for (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      throw new CatalogSnapshotError(file, n, `invalid JSON (${(e as Error).message})`);
    }
    const r = procedureSchema.safeParse(json);
    if (!r.success) {
      const first = r.error.issues[0];
      const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : r.error.message;
      throw new CatalogSnapshotError(file, n, `does not match the Procedure schema — ${where}`);
    }
    out.push(r.data);
  }
  return out;
}
