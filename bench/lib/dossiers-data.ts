/**
 * Data for the dossier benchmark (bench/dossiers.bench.ts):
 *
 * - `IntakeBodies`: multipart bodies for POST /api/v1/dossiers, each with a unique
 *   idempotency key and a unique, valid PDF padded to the wanted size (so every
 *   submission stores a new file, as real scans would);
 * - `loadQueue`: N dossiers in one commune, straight into the database with one
 *   INSERT … SELECT over generate_series (plus their events), with a realistic
 *   spread of statuses and due dates, then ANALYZE;
 * - `dossierPlans`: EXPLAIN ANALYZE of the queries the measured pages run.
 */
import { randomBytes } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../src/platform/db.js';
import { queueCountQuery, queueQuery } from '../../src/dossiers/office/office.store.js';
import { branches, deadlineWindow } from '../../src/dossiers/office/queues.js';
import type { WorkingDayCalendar } from '../../src/calendar/index.js';

/** Fixed-length key text: the body template keeps its byte offsets. */
const KEY_LEN = 24;

/**
 * A one-page PDF whose page content is padded with PDF comment lines to exactly
 * `size` bytes, with a correct cross-reference table and `%%EOF` at the end.
 * `slot` (KEY_LEN characters) is printed on the page; callers overwrite it in place.
 */
export function paddedPdf(size: number, slot: string): Buffer {
  if (slot.length !== KEY_LEN) throw new Error(`slot must be ${KEY_LEN} characters`);
  const build = (padding: number) => {
    const text = `BT /F1 12 Tf 20 100 Td (Ho so ${slot}) Tj ET\n`;
    // Comment lines of 79 characters + newline: the content stream stays valid PDF.
    const line = `%${'0123456789'.repeat(8).slice(0, 78)}\n`;
    let pad = line.repeat(Math.floor(padding / line.length));
    pad += padding % line.length ? `%${'x'.repeat(Math.max(0, (padding % line.length) - 2))}\n`.slice(0, padding % line.length) : '';
    const content = text + pad;
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ];
    let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
    const offsets: number[] = [];
    objects.forEach((o, i) => {
      offsets.push(out.length);
      out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    const xref = out.length;
    out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((n) => `${String(n).padStart(10, '0')} 00000 n \n`).join('')}`;
    out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return out;
  };
  // The /Length and offsets grow by a digit or two with the padding: converge on the exact size.
  let padding = Math.max(0, size - build(0).length);
  for (let i = 0; i < 5; i++) {
    const len = build(padding).length;
    if (len === size) break;
    padding = Math.max(0, padding + size - len);
  }
  const pdf = Buffer.from(build(padding), 'latin1');
  if (pdf.length !== size) throw new Error(`padded PDF is ${pdf.length} bytes, wanted ${size}`);
  return pdf;
}

export interface IntakeFields {
  commune: string;
  procedure: string;
  caseNo: number;
  paperNo: number;
}

/**
 * Multipart bodies for POST /api/v1/dossiers. `next()` returns a new body with a
 * new idempotency key (also printed in the PDF, so its SHA-256 is new too).
 */
export class IntakeBodies {
  readonly boundary = `----xaso-bench-${randomBytes(8).toString('hex')}`;
  readonly contentType = `multipart/form-data; boundary=${this.boundary}`;
  readonly #template: Buffer;
  readonly #slots: number[] = [];
  readonly #prefix: string;
  #n = 0;

  constructor(fields: IntakeFields, pdfBytes: number) {
    // b<6 hex of the run>-<counter>: 24 characters, within the API's [A-Za-z0-9_.:-]{8,100}.
    this.#prefix = `b${randomBytes(3).toString('hex')}-`;
    const placeholder = '#'.repeat(KEY_LEN);
    const pdf = paddedPdf(pdfBytes, placeholder);
    const part = (name: string, value: string) => `--${this.boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const head =
      part('commune', fields.commune) +
      part('procedure', fields.procedure) +
      part('case_no', String(fields.caseNo)) +
      part('idempotency_key', placeholder) +
      `--${this.boundary}\r\nContent-Disposition: form-data; name="paper_${fields.paperNo}"; filename="giay-to.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
    const tail = `\r\n--${this.boundary}--\r\n`;
    this.#template = Buffer.concat([Buffer.from(head, 'latin1'), pdf, Buffer.from(tail, 'latin1')]);
    for (let at = this.#template.indexOf(placeholder); at >= 0; at = this.#template.indexOf(placeholder, at + 1)) this.#slots.push(at);
    if (this.#slots.length !== 2) throw new Error(`expected the key in 2 places, found ${this.#slots.length}`);
  }

  get size(): number {
    return this.#template.length;
  }

  /** How many bodies were built (autocannon builds one ahead per connection, so ≥ requests sent). */
  get built(): number {
    return this.#n;
  }

  key(n: number): string {
    return `${this.#prefix}${String(n).padStart(KEY_LEN - this.#prefix.length, '0')}`;
  }

  next(): { key: string; body: Buffer } {
    const key = this.key(++this.#n);
    const body = Buffer.from(this.#template);
    for (const at of this.#slots) body.write(key, at, 'latin1');
    return { key, body };
  }
}

export interface QueueLoad {
  rows: number;
  events: number;
  ms: number;
  /** Dossiers per status (and stage) in the commune after the load. */
  mix: Record<string, number>;
  /** Open dossiers due before today (the overdue queue) and within one working day (at risk). */
  overdue: number;
  atRisk: number;
}

/**
 * Inserts `total` dossiers into `commune` with one INSERT … SELECT over generate_series.
 * Submissions are spread over the last ~11 months, one every few minutes, newest first;
 * day sequences start at 5000, so they never meet the codes the API hands out (1, 2, …).
 * The newest 10 % (about a month) are in every open state (a busy backlog); older ones
 * are mostly returned, some refused, withdrawn or stopped, and 4 % stuck open (so overdue).
 * Clock-running dossiers (2, 4, 6, 9) have received_at + working days → due dates
 * that fall before, on and after today. Phones are 09 + 8 digits of the row number.
 */
export async function loadQueue(db: Db, commune: string, total: number, officerLogin: string): Promise<QueueLoad> {
  const started = performance.now();
  const procedures = (await db.selectFrom('procedure').select(['code', 'version']).where('levels', '@>', sql<string[]>`array['commune']`).orderBy('code').limit(25).execute()) as { code: string; version: number }[];
  if (!procedures.length) throw new Error('no commune-level procedures: import the catalog first');
  const specialist = await db
    .selectFrom('staff_role as r')
    .select('r.user_id')
    .where('r.unit_code', '=', commune)
    .where('r.role', '=', 'specialist')
    .executeTakeFirst();
  const codes = procedures.map((p) => p.code);
  const versions = procedures.map((p) => p.version);
  const perDay = Math.ceil(total / 330);
  await sql`
    insert into dossier (commune_code, code, procedure_code, procedure_version, case_no, deciding_unit, applicant_id,
      applicant_name, applicant_phone, applicant_email, applicant_address, channel, status, stage, previous_status, previous_stage,
      submitted_at, received_at, working_days, due_date, assignee_id, idempotency_key, version, updated_at)
    select ${commune}, ${commune} || '-' || to_char(g.day, 'YYMMDD') || '-' || lpad((5000 + g.i % ${sql.lit(perDay)})::text, 4, '0'),
      (${sql.val(codes)}::text[])[1 + g.i % ${sql.lit(codes.length)}], (${sql.val(versions)}::int[])[1 + g.i % ${sql.lit(codes.length)}],
      0, ${commune}, null,
      'Người nộp số ' || g.i, '09' || lpad(g.i::text, 8, '0'), null, 'Tổ ' || (1 + g.i % 12) || ', khu phố ' || (1 + g.i % 5),
      case when g.i % 10 < 7 then 'online' else 'counter' end,
      g.status, g.stage, case when g.status in (5, 6) then 4 end, case when g.status in (5, 6) then 'processing' else '' end,
      g.at, case when g.status not in (1, 3) then g.at + interval '3 hours' end,
      g.wd,
      -- The clock: set at acceptance, cleared while a supplement is awaited.
      case when g.status not in (1, 3, 5) then (g.at + interval '3 hours')::date + (g.wd * 7 / 5) end,
      case when g.status = 4 and g.i % 3 = 0 then ${specialist?.user_id ?? null}::uuid end,
      null, 1 + (g.status <> 1)::int * 2, g.at + interval '1 day'
    from (
      select i, r, wd,
        (now() at time zone 'Asia/Ho_Chi_Minh')::date - 1 - (i / ${sql.lit(perDay)}) as day,
        now() - interval '1 day' - ((i / ${sql.lit(perDay)}) || ' days')::interval - ((i % ${sql.lit(perDay)}) * 86400 / ${sql.lit(perDay)} || ' seconds')::interval as at,
        st.status, st.stage
      from generate_series(0, ${sql.lit(total - 1)}) as i,
        lateral (select (i::bigint * 2654435761 % 1000)::int as r, 5 + (i % 11) as wd) h,
        lateral (select
          case when i < ${sql.lit(Math.round(total * 0.1))} then
            case when r < 150 then 1 when r < 300 then 2 when r < 550 then 4 when r < 650 then 4 when r < 750 then 5
                 when r < 800 then 6 when r < 900 then 9 when r < 970 then 10 else 3 end
          else
            case when r < 20 then 4 when r < 40 then 2 when r < 60 then 3 when r < 80 then 7 when r < 90 then 8 else 10 end
          end::smallint as status,
          case when (i < ${sql.lit(Math.round(total * 0.1))} and r >= 300 and r < 550) or (i >= ${sql.lit(Math.round(total * 0.1))} and r < 20) then 'processing'
               when i < ${sql.lit(Math.round(total * 0.1))} and r >= 550 and r < 650 then 'appraised'
               else '' end as stage) st
    ) g`.execute(db);
  // Their history: the submission, and acceptance for every dossier past it.
  await sql`
    insert into dossier_event (commune_code, dossier_id, seq, at, actor_id, actor_label, action, from_status, to_status, note, detail, due_date)
    select commune_code, id, 1, submitted_at, null, applicant_name, 'submit', null, 1, '', '{"channel":"online","files":1}', null
    from dossier where commune_code = ${commune} and idempotency_key is null`.execute(db);
  await sql`
    insert into dossier_event (commune_code, dossier_id, seq, at, actor_id, actor_label, action, from_status, to_status, note, detail, due_date)
    select commune_code, id, 2, received_at, null, ${officerLogin}, 'accept', 1, 2, '', '{}', due_date
    from dossier where commune_code = ${commune} and idempotency_key is null and received_at is not null`.execute(db);
  await sql`analyze dossier`.execute(db);
  await sql`analyze dossier_event`.execute(db);
  const mix = await sql<{ k: string; n: number }>`
    select status || case when stage <> '' then '/' || stage else '' end as k, count(*)::int as n
    from dossier where commune_code = ${commune} group by 1 order by 1`.execute(db);
  const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  const late = await sql<{ overdue: number; at_risk: number }>`
    select count(*) filter (where due_date < ${today}::date)::int as overdue,
      count(*) filter (where due_date >= ${today}::date and due_date <= ${today}::date + 1)::int as at_risk
    from dossier where commune_code = ${commune} and status in (2, 4, 6, 9)`.execute(db);
  const events = await sql<{ n: number }>`select count(*)::int as n from dossier_event where commune_code = ${commune}`.execute(db);
  return {
    rows: total,
    events: Number(events.rows[0]!.n),
    ms: Math.round(performance.now() - started),
    mix: Object.fromEntries(mix.rows.map((r) => [r.k, Number(r.n)])),
    overdue: Number(late.rows[0]!.overdue),
    atRisk: Number(late.rows[0]!.at_risk),
  };
}

/** `count` (code, phone last 4) pairs of the loaded dossiers, in a scrambled order, for the tracking look-ups. */
export async function trackingKeys(db: Db, commune: string, count: number): Promise<{ code: string; last4: string }[]> {
  const r = await sql<{ code: string; phone: string }>`
    select code, applicant_phone as phone from dossier
    where commune_code = ${commune} and applicant_phone is not null
    order by md5(code) limit ${count}`.execute(db);
  return r.rows.map((x) => ({ code: x.code, last4: x.phone.slice(-4) }));
}

/** EXPLAIN ANALYZE of the queue page's two queries and the tracking look-up, for the report. */
export async function dossierPlans(db: Db, commune: string, calendar: WorkingDayCalendar, sampleCode: string): Promise<Record<string, string>> {
  const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  const w = deadlineWindow(today, calendar);
  const explain = async (q: RawBuilder<unknown>) => {
    const r = await sql<Record<string, string>>`explain (analyze, buffers) ${q}`.execute(db);
    return r.rows.map((row) => Object.values(row)[0]).join('\n');
  };
  const out: Record<string, string> = {};
  out['queue counts (per unit, on a cache miss)'] = await explain(queueCountQuery(commune, w));
  out['queue page: receive (default for the officer)'] = await explain(queueQuery(commune, branches('receive', w), { cursor: null, limit: 50, mine: null })!);
  out['queue page: overdue'] = await explain(queueQuery(commune, branches('overdue', w), { cursor: null, limit: 50, mine: null })!);
  out['tracking: dossier by code'] = await explain(sql`select * from dossier where code = ${sampleCode}`);
  return out;
}

/**
 * What the run database's backends are doing, sampled from pg_stat_activity while a
 * load runs: how often they run, wait for a lock (and which), or sit idle in a
 * transaction. Lock waits during intake mean submissions queue behind each other.
 */
export class PgWaitSampler {
  readonly counts = new Map<string, number>();
  samples = 0;
  #timer: NodeJS.Timeout | null = null;
  #busy = false;

  constructor(
    private readonly client: { query<R>(text: string, values: unknown[]): Promise<{ rows: R[] }> },
    private readonly database: string,
    private readonly everyMs = 100,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.#sample(), this.everyMs);
  }

  stop(): Record<string, number> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    return Object.fromEntries([...this.counts].sort((a, b) => b[1] - a[1]));
  }

  async #sample(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const r = await this.client.query<{ what: string; n: number }>(
        `select case when state = 'active' and wait_event_type is null then 'running'
                     when wait_event_type is not null then state || ': ' || wait_event_type || '/' || wait_event
                     else state end as what, count(*)::int as n
           from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() group by 1`,
        [this.database],
      );
      this.samples++;
      for (const row of r.rows) this.counts.set(row.what, (this.counts.get(row.what) ?? 0) + Number(row.n));
    } catch {
      // a missed sample
    } finally {
      this.#busy = false;
    }
  }
}
