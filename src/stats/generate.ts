/**
 * `xaso generate-dossiers`: synthetic but plausible dossier history to measure
 * the operations centre on. Procedure mix by popularity (Zipf), commune sizes
 * (log-normal), weekdays only with a quieter Friday, a Tết lull and month-end
 * peaks, lateness and channel shares that vary by commune. Deterministic for a
 * seed. Generated dossiers carry codes starting "SINH-"; the command refuses a
 * database holding any other dossier.
 */
import { sql } from 'kysely';
import { addWorkingDays, tetDate, type WorkingDayCalendar } from '../calendar/index.js';
import type { Db } from '../platform/db.js';
import { findProvince } from '../units/units.js';
import { addDays, daysBetween } from './period.js';

export const GENERATED_PREFIX = 'SINH-';

export interface GenerateOptions {
  province: string;
  dossiers: number;
  years: number;
  /** Last day of the history (YYYY-MM-DD); dossiers not finished by then stay open. */
  endDay: string;
  seed?: number;
  calendar: WorkingDayCalendar;
  onProgress?: (done: number, total: number) => void;
  batch?: number;
}

export type GenerateOutcome = { ok: true; dossiers: number; seconds: number } | { ok: false; message: string };

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickWeighted(weights: readonly number[], total: number, r: number): number {
  let x = r * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

const VN = '+07:00';
const at = (day: string, minutes: number) => new Date(`${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00${VN}`);

export async function generateDossiers(db: Db, o: GenerateOptions): Promise<GenerateOutcome> {
  const started = Date.now();
  const province = findProvince(o.province);
  if (!province) return { ok: false, message: `Không có tỉnh, thành phố mã ${o.province}.` };
  const real = await db.selectFrom('dossier').select('code').where('code', 'not like', `${GENERATED_PREFIX}%`).limit(1).executeTakeFirst();
  if (real) return { ok: false, message: `CSDL đã có hồ sơ thật (ví dụ ${real.code}): không sinh dữ liệu giả lẫn với dữ liệu thật.` };
  const procs = await db
    .selectFrom('procedure')
    .select(['code', 'version', 'online_level'])
    .where(sql<boolean>`'commune' = any(levels)`)
    .where('removed_at', 'is', null)
    .orderBy('code')
    .limit(80)
    .execute();
  if (!procs.length) return { ok: false, message: 'Chưa có danh mục thủ tục cấp xã: chạy "xaso seed" hoặc "xaso import-catalog" trước.' };
  const communes = province.communes.map((c) => c.code);
  const rand = prng(o.seed ?? 766);
  // Popularity: Zipf over a shuffled catalog slice; working days 1–7 by procedure.
  const procWeights = procs.map((_, i) => 1 / (i + 1));
  const procTotal = procWeights.reduce((a, b) => a + b, 0);
  const procDays = procs.map(() => 1 + Math.floor(rand() * 7));
  const communeWeights = communes.map(() => Math.exp(rand() * 2));
  const communeTotal = communeWeights.reduce((a, b) => a + b, 0);
  const lateness = communes.map(() => 0.02 + rand() * 0.2);
  const online = communes.map(() => 0.2 + rand() * 0.5);
  // Days of the history, weighted: weekdays, quieter Friday, a Tết lull, month-end peaks.
  const start = addDays(o.endDay, -Math.round(o.years * 365) + 1);
  const tets = new Set<string>();
  for (let y = Number(start.slice(0, 4)); y <= Number(o.endDay.slice(0, 4)) + 1; y++) {
    const t = tetDate(y);
    const day = `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
    for (let k = -7; k <= 7; k++) tets.add(addDays(day, k));
  }
  const days: string[] = [];
  const dayWeights: number[] = [];
  for (let i = 0; i <= daysBetween(start, o.endDay); i++) {
    const d = addDays(start, i);
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    let w = wd === 5 ? 0.8 : 1;
    if (tets.has(d)) w *= 0.25;
    if (Number(d.slice(8, 10)) >= 26) w *= 1.3;
    days.push(d);
    dayWeights.push(w);
  }
  const dayTotal = dayWeights.reduce((a, b) => a + b, 0);
  const batch = o.batch ?? 2000;
  const runTag = Date.now().toString(36).toUpperCase();
  let done = 0;
  o.onProgress?.(0, o.dossiers);
  while (done < o.dossiers) {
    const n = Math.min(batch, o.dossiers - done);
    const dossiers: Record<string, unknown>[] = [];
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const seq = done + i;
      const ci = pickWeighted(communeWeights, communeTotal, rand());
      const commune = communes[ci]!;
      const pi = pickWeighted(procWeights, procTotal, rand());
      const p = procs[pi]!;
      const day = days[pickWeighted(dayWeights, dayTotal, rand())]!;
      const id = crypto.randomUUID();
      const submitted = at(day, 7 * 60 + 30 + Math.floor(rand() * 540));
      const channelR = rand();
      const channel = channelR < online[ci]! ? 'online' : channelR < online[ci]! + 0.05 ? 'field' : 'counter';
      const ev: { action: string; to: number; at: Date; due: string | null }[] = [{ action: 'submit', to: 1, at: submitted, due: null }];
      let status = 1;
      let due: string | null = null;
      let received: Date | null = null;
      let rating: number | null = null;
      const push = (action: string, to: number, when: Date) => {
        if (when.getTime() > at(o.endDay, 17 * 60).getTime()) return false;
        ev.push({ action, to, at: when, due });
        status = to;
        return true;
      };
      if (rand() < 0.03) {
        push('refuse', 3, new Date(submitted.getTime() + 3600_000));
      } else {
        received = new Date(submitted.getTime() + 1800_000);
        due = addWorkingDays(day, procDays[pi]!, o.calendar);
        if (push('accept', 2, received)) {
          let cursor = day;
          if (rand() < 0.15 && push('request_supplement', 5, new Date(received.getTime() + 3600_000))) {
            cursor = addDays(day, 1 + Math.floor(rand() * 3));
            due = addWorkingDays(cursor, procDays[pi]!, o.calendar);
            push('resubmit', 2, at(cursor, 9 * 60));
          }
          if (status === 2 && push('assign', 4, at(cursor, 10 * 60))) {
            const late = rand() < lateness[ci]!;
            const finish = late ? addDays(due, 1 + Math.floor(rand() * 6)) : addDays(due, -Math.floor(rand() * Math.max(1, procDays[pi]!)));
            if (late && rand() < 0.3) push('apologise', 4, at(due, 8 * 60));
            if (push('approve', 9, at(finish < cursor ? cursor : finish, 14 * 60)) && push('return_result', 10, at(addDays(finish < cursor ? cursor : finish, 1), 9 * 60))) {
              if (rand() < 0.3) rating = rand() < 0.85 ? 4 + Math.floor(rand() * 2) : 1 + Math.floor(rand() * 3);
            }
          }
        }
      }
      const last = ev[ev.length - 1]!;
      dossiers.push({
        commune_code: commune,
        id,
        code: `${GENERATED_PREFIX}${runTag}-${seq}`,
        procedure_code: p.code,
        procedure_version: p.version,
        deciding_unit: commune,
        applicant_name: `Người dân ${seq}`,
        channel,
        status,
        submitted_at: submitted,
        received_at: received,
        working_days: procDays[pi],
        due_date: status === 3 || status === 10 || status === 9 || status === 5 ? (status === 9 || status === 10 ? due : null) : due,
        rating,
        updated_at: last.at,
      });
      ev.forEach((e, k) => events.push({ commune_code: commune, dossier_id: id, seq: k + 1, at: e.at, actor_label: 'dữ liệu sinh', action: e.action, from_status: k ? ev[k - 1]!.to : null, to_status: e.to, due_date: e.due }));
    }
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('dossier').values(dossiers as never).execute();
      for (let i = 0; i < events.length; i += 5000) await tx.insertInto('dossier_event').values(events.slice(i, i + 5000) as never).execute();
    });
    done += n;
    o.onProgress?.(done, o.dossiers);
  }
  return { ok: true, dossiers: done, seconds: (Date.now() - started) / 1000 };
}
