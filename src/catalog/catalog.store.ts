import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../platform/db.js';
import { appendAudit } from '../platform/audit.js';
import './catalog.tables.js';
import { contentHash } from './diff.js';
import type { Procedure } from './procedure.js';

export interface ImportReport {
  importId: number;
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
}

export type ImportProgress = (done: number, total: number) => void;

async function insertInChunks<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

async function writeDetailRows(tx: Tx, items: { p: Procedure; version: number }[]): Promise<void> {
  const channels = items.flatMap(({ p, version }) =>
    p.channels.map((ch) => ({
      code: p.code,
      version,
      channel: ch.channel,
      time_qty: ch.time?.qty ?? null,
      time_unit: ch.time?.unit ?? null,
      time_text: ch.timeText,
      fees: JSON.stringify(ch.fees),
    })),
  );
  const papers = items.flatMap(({ p, version }) =>
    p.cases.flatMap((c, caseNo) => [
      ...c.papers.map((paper, i) => ({
        code: p.code,
        version,
        case_no: caseNo,
        position: i,
        case_name: c.name,
        is_note: false,
        name: paper.name,
        originals: paper.originals,
        copies: paper.copies,
        forms: JSON.stringify(paper.forms),
      })),
      ...c.notes.map((note, i) => ({
        code: p.code,
        version,
        case_no: caseNo,
        position: c.papers.length + i,
        case_name: c.name,
        is_note: true,
        name: note,
        originals: 0,
        copies: 0,
        forms: '[]',
      })),
    ]),
  );
  const steps = items.flatMap(({ p, version }) => p.steps.map((text, i) => ({ code: p.code, version, position: i, text })));
  // Some procedures list one channel twice; keep the first, as the record does for display.
  const seen = new Set<string>();
  const uniqueChannels = channels.filter((c) => {
    const k = `${c.code}|${c.version}|${c.channel}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  await insertInChunks(uniqueChannels, 500, (chunk) => tx.insertInto('procedure_channel').values(chunk).execute());
  await insertInChunks(papers, 500, (chunk) => tx.insertInto('procedure_paper').values(chunk).execute());
  await insertInChunks(steps, 1000, (chunk) => tx.insertInto('procedure_step').values(chunk).execute());
}

function headRow(p: Procedure, version: number, hash: string) {
  return {
    code: p.code,
    version,
    name: p.name,
    field: p.field,
    field_code: p.fieldCode,
    levels: p.levels,
    life_events: p.lifeEvents,
    online_level: p.onlineLevel,
    online_level_disputed: p.onlineLevelDisputed,
    portal_updated_at: p.updatedAt,
    content_hash: hash,
    removed_at: null,
  };
}

/**
 * Imports a whole catalog in one transaction. Idempotent: an unchanged record
 * (same content hash) writes nothing; a changed one closes its current version
 * and opens the next; a procedure missing from the import is marked removed.
 */
export async function importCatalog(
  db: DbOrTx,
  procedures: readonly Procedure[],
  opts: { source: string; actorLabel?: string; onProgress?: ImportProgress; markMissingRemoved?: boolean },
): Promise<ImportReport> {
  const run = async (tx: Tx): Promise<ImportReport> => {
    const now = new Date();
    const { id: importId } = await tx.insertInto('catalog_import').values({ source: opts.source, finished_at: null }).returning('id').executeTakeFirstOrThrow();
    const current = new Map(
      (await tx.selectFrom('procedure').select(['code', 'version', 'content_hash', 'removed_at']).execute()).map((r) => [r.code, r]),
    );
    const added: string[] = [];
    const changed: string[] = [];
    let unchanged = 0;
    const toWrite: { p: Procedure; version: number; hash: string; isNew: boolean }[] = [];
    for (const p of procedures) {
      const hash = contentHash(p);
      const cur = current.get(p.code);
      if (!cur) {
        added.push(p.code);
        toWrite.push({ p, version: 1, hash, isNew: true });
      } else if (cur.content_hash !== hash || cur.removed_at !== null) {
        changed.push(p.code);
        toWrite.push({ p, version: cur.version + 1, hash, isNew: false });
      } else unchanged++;
    }
    const total = toWrite.length;
    const CHUNK = 250;
    for (let i = 0; i < toWrite.length; i += CHUNK) {
      const chunk = toWrite.slice(i, i + CHUNK);
      const fresh = chunk.filter((w) => w.isNew);
      if (fresh.length) await tx.insertInto('procedure').values(fresh.map((w) => headRow(w.p, w.version, w.hash))).execute();
      const revised = chunk.filter((w) => !w.isNew);
      for (const w of revised) {
        await tx.updateTable('procedure_version').set({ effective_to: now }).where('code', '=', w.p.code).where('effective_to', 'is', null).execute();
        await tx.updateTable('procedure').set(headRow(w.p, w.version, w.hash)).where('code', '=', w.p.code).execute();
      }
      await tx
        .insertInto('procedure_version')
        .values(chunk.map((w) => ({ code: w.p.code, version: w.version, content_hash: w.hash, effective_from: now, effective_to: null, import_id: importId, record: JSON.stringify(w.p) })))
        .execute();
      await writeDetailRows(tx, chunk);
      opts.onProgress?.(Math.min(i + CHUNK, total), total);
    }
    const removed: string[] = [];
    if (opts.markMissingRemoved !== false) {
      const incoming = new Set(procedures.map((p) => p.code));
      for (const [code, cur] of current) {
        if (incoming.has(code) || cur.removed_at !== null) continue;
        removed.push(code);
      }
      if (removed.length) {
        await tx.updateTable('procedure').set({ removed_at: now }).where('code', 'in', removed).execute();
        await tx.updateTable('procedure_version').set({ effective_to: now }).where('code', 'in', removed).where('effective_to', 'is', null).execute();
      }
    }
    await tx
      .updateTable('catalog_import')
      .set({ finished_at: new Date(), added: added.length, changed: changed.length, removed: removed.length, unchanged })
      .where('id', '=', importId)
      .execute();
    await appendAudit(tx, {
      actorId: null,
      actorLabel: opts.actorLabel ?? 'hệ thống',
      action: 'catalog.import',
      subjectType: 'catalog_import',
      subjectId: String(importId),
      detail: { source: opts.source, added: added.length, changed: changed.length, removed: removed.length, unchanged },
    });
    return { importId, added, changed, removed, unchanged };
  };
  return 'isTransaction' in db && db.isTransaction ? run(db as Tx) : db.transaction().execute(run);
}

/** The current record of a procedure (null when unknown or removed). */
export async function getProcedure(db: DbOrTx, code: string): Promise<(Procedure & { version: number }) | null> {
  const row = await db
    .selectFrom('procedure as p')
    .innerJoin('procedure_version as v', (j) => j.onRef('v.code', '=', 'p.code').onRef('v.version', '=', 'p.version'))
    .select(['v.record', 'v.version'])
    .where('p.code', '=', code)
    .where('p.removed_at', 'is', null)
    .executeTakeFirst();
  return row ? { ...row.record, version: row.version } : null;
}

/** The version in force at a moment: what a dossier received then must follow. */
export async function getProcedureAt(db: DbOrTx, code: string, at: Date): Promise<(Procedure & { version: number }) | null> {
  const row = await db
    .selectFrom('procedure_version')
    .select(['record', 'version'])
    .where('code', '=', code)
    .where('effective_from', '<=', at)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>', at)]))
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { ...row.record, version: row.version } : null;
}

/** Every current procedure, for the finder's index. */
export async function listCurrentProcedures(db: DbOrTx): Promise<Procedure[]> {
  const rows = await db
    .selectFrom('procedure as p')
    .innerJoin('procedure_version as v', (j) => j.onRef('v.code', '=', 'p.code').onRef('v.version', '=', 'p.version'))
    .select('v.record')
    .where('p.removed_at', 'is', null)
    .orderBy('p.code')
    .execute();
  return rows.map((r) => r.record);
}

export async function catalogSize(db: DbOrTx): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from procedure where removed_at is null`.execute(db);
  return r.rows[0]?.n ?? 0;
}
