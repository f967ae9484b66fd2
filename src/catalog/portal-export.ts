import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { CatalogRecordError, mergeDuplicates, normalizeRecord, type MergeResult } from './normalize.js';
import type { Procedure } from './procedure.js';

export interface PortalExport extends MergeResult {
  read: number;
  skipped: string[];
}

/**
 * Reads the national portal's export (JSON lines, gzipped or not: `{lifeEventGroup, raw}`)
 * and normalises it. Records that cannot be procedures are reported, not dropped silently.
 */
export async function readPortalExport(file: string): Promise<PortalExport> {
  const normalised: Procedure[] = [];
  const skipped: string[] = [];
  let read = 0;
  const stream = createReadStream(file);
  const input = file.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    read++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      throw new Error(`${file}: dòng ${read}: không phải JSON hợp lệ (${(e as Error).message})`, { cause: e });
    }
    try {
      normalised.push(normalizeRecord(parsed as { lifeEventGroup: string; raw: unknown }));
    } catch (e) {
      if (e instanceof CatalogRecordError) skipped.push(`dòng ${read}: ${e.message}`);
      else throw e;
    }
  }
  return { ...mergeDuplicates(normalised), read, skipped };
}
