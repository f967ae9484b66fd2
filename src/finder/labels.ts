/**
 * Plain labels that tell look-alike procedures apart: the level and the
 * deciding body ("Cấp xã — UBND xã", "Cấp tỉnh — Sở Tư pháp") and for whom
 * (người dân, tổ chức, người nước ngoài). Pure; derived from catalog fields.
 */
import type { Level } from '../catalog/procedure.js';

const LEVEL_NAMES: Record<Level, string> = {
  commune: 'Cấp xã',
  province: 'Cấp tỉnh',
  ministry: 'Cấp trung ương',
  vertical: 'Cơ quan ngành dọc',
  other: 'Cơ quan khác',
};

const LEVEL_ORDER: readonly Level[] = ['commune', 'province', 'ministry', 'other', 'vertical'];

/** Short name of an agency as citizens say it. */
export function shortAgency(agency: string): string {
  const a = agency.replace(/\s+/g, ' ').replace(/[.;]+$/, '').trim();
  if (/^(chủ tịch )?ủy ban nhân dân (cấp )?xã|^ủy ban nhân dân xã, phường/i.test(a)) return 'UBND xã';
  if (/^(chủ tịch )?ủy ban nhân dân (cấp )?tỉnh/i.test(a)) return 'UBND tỉnh';
  if (/^công an (cấp )?xã/i.test(a)) return 'Công an xã';
  if (/^công an (cấp )?tỉnh/i.test(a)) return 'Công an tỉnh';
  if (/^ban chỉ huy quân sự cấp xã/i.test(a)) return 'Ban chỉ huy quân sự xã';
  const first = a.split(/\s*[|,;]\s*/)[0] ?? a;
  return first.length > 60 ? `${first.slice(0, 57).trimEnd()}…` : first;
}

/**
 * "Cấp xã — UBND xã": the lowest level that carries the procedure and the
 * agency at that level (or the first named agency).
 */
export function whereLabel(levels: readonly Level[], agencies: readonly string[]): string {
  const level = LEVEL_ORDER.find((l) => levels.includes(l));
  const name = level ? LEVEL_NAMES[level] : 'Chưa rõ cấp';
  const atLevel = agencies.flatMap((a) => a.split(/\s*\|\s*/)).map(shortAgency);
  const pick =
    (level === 'commune' && atLevel.find((a) => / xã$|cấp xã/i.test(a))) ||
    (level === 'province' && atLevel.find((a) => /^(Sở|UBND tỉnh|Công an tỉnh|Văn phòng đăng ký|Bảo hiểm xã hội)/i.test(a))) ||
    atLevel[0];
  return pick ? `${name} — ${pick}` : name;
}

/** "người dân, tổ chức": who may ask for the procedure, from the catalog's applicant types. */
export function forWhomLabel(applicants: readonly string[]): string {
  const who = new Set<string>();
  for (const a of applicants) {
    if (/^công dân|^cán bộ|^đảng viên/i.test(a)) who.add('người dân');
    else if (/định cư ở nước ngoài/i.test(a)) who.add('người Việt Nam ở nước ngoài');
    else if (/^người nước ngoài/i.test(a)) who.add('người nước ngoài');
    else if (/nước ngoài/i.test(a)) who.add('tổ chức nước ngoài');
    else if (/doanh nghiệp|hợp tác xã|^tổ chức/i.test(a)) who.add('tổ chức, doanh nghiệp');
  }
  const order = ['người dân', 'người Việt Nam ở nước ngoài', 'người nước ngoài', 'tổ chức, doanh nghiệp', 'tổ chức nước ngoài'];
  return order.filter((w) => who.has(w)).join(', ');
}
