/**
 * Public figures (open data and the public "Chỉ số phục vụ" page): the same
 * measures and index, with every cell resting on fewer than 5 dossiers
 * suppressed so that nobody can be singled out.
 */
import ExcelJS from 'exceljs';
import type { DbOrTx } from '../platform/db.js';
import { findCommune } from '../units/units.js';
import { MEASURES, SUPPRESS_BELOW, publicValue, received, type Figures } from './measures.js';
import type { Period } from './period.js';
import { indexOf, offeredCounts, provinceCommunes, totalFigures, figuresBy } from './stats.service.js';

export interface PublicMeasure {
  id: string;
  label: string;
  unit: string;
  formula: string;
  /** null: no data; absent meaning: suppressed says why. */
  value: number | null;
  suppressed: boolean;
}

export interface PublicFigures {
  unit: { code: string; name: string };
  period: { key: string; from: string; to: string; label: string };
  /** The index on 100, or null when it has no data or rests on fewer than 5 dossiers (then `indexSuppressed`). */
  index: number | null;
  indexSuppressed: boolean;
  groups: { id: string; label: string; points: number | null; available: number; max: number }[];
  measures: PublicMeasure[];
}

function round(v: number | null, digits = 4): number | null {
  return v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;
}

export function publicFigures(unit: { code: string; name: string }, period: Period, figures: Figures, offered: { total: number; online: number; full: number }): PublicFigures {
  const n = received(figures.counters);
  const small = n > 0 && n < SUPPRESS_BELOW;
  const index = indexOf(figures, offered, period);
  return {
    unit,
    period: { key: period.key, from: period.from, to: period.to, label: period.label },
    index: small ? null : round(index.score, 2),
    indexSuppressed: small,
    groups: index.groups.map((g) => ({ id: g.id, label: g.label, points: small ? null : round(g.points, 2), available: g.available, max: g.max })),
    measures: MEASURES.map((m) => {
      const v = publicValue(m, figures);
      return { id: m.id, label: m.label, unit: m.unit, formula: m.formula, value: v === 'suppressed' ? null : round(v), suppressed: v === 'suppressed' };
    }),
  };
}

export async function communeOpenData(db: DbOrTx, commune: string, period: Period): Promise<PublicFigures | null> {
  const found = findCommune(commune);
  if (!found) return null;
  const [figures, offered] = await Promise.all([totalFigures(db, { communes: [commune] }, period), offeredCounts(db, [commune])]);
  return publicFigures({ code: commune, name: found.commune.name }, period, figures, offered.get(commune) ?? { total: 0, online: 0, full: 0 });
}

/** Every commune of a province with figures in the period (communes without dossiers are left out). */
export async function provinceOpenData(db: DbOrTx, province: string, period: Period): Promise<PublicFigures[]> {
  const communes = provinceCommunes(province);
  const [by, offered] = await Promise.all([figuresBy(db, { communes }, period, 'commune'), offeredCounts(db, communes)]);
  return [...by.entries()]
    .map(([code, f]) => publicFigures({ code, name: findCommune(code)?.commune.name ?? code }, period, f, offered.get(code) ?? { total: 0, online: 0, full: 0 }))
    .sort((a, b) => a.unit.code.localeCompare(b.unit.code));
}

/** One row per unit, one column per measure; suppressed cells say so. CSV through exceljs (UTF-8 with BOM for spreadsheet apps). */
export async function toCsv(rows: readonly PublicFigures[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('so-lieu');
  ws.addRow(['ma_don_vi', 'ten_don_vi', 'ky', 'tu_ngay', 'den_ngay', 'chi_so_766', ...MEASURES.map((m) => m.id)]);
  for (const r of rows) {
    ws.addRow([
      r.unit.code,
      r.unit.name,
      r.period.key,
      r.period.from,
      r.period.to,
      r.indexSuppressed ? 'an_duoi_5_ho_so' : (r.index ?? ''),
      ...r.measures.map((m) => (m.suppressed ? 'an_duoi_5_ho_so' : (m.value ?? ''))),
    ]);
  }
  const body = Buffer.from(await wb.csv.writeBuffer({ formatterOptions: { writeBOM: true } }));
  return body;
}
