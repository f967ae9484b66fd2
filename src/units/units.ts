import { readFileSync } from 'node:fs';

export interface Commune {
  code: string;
  name: string;
  divisionType: string;
  codename: string;
}
export interface Province extends Omit<Commune, never> {
  communes: Commune[];
}

/** The 34 provinces and 3,321 communes since 1 July 2025 (committed reference data). */
export const PROVINCES: readonly Province[] = JSON.parse(
  readFileSync(new URL('../../data/units/units.json', import.meta.url), 'utf8'),
) as Province[];

const communeIndex = new Map<string, { commune: Commune; province: Province }>();
for (const province of PROVINCES) for (const commune of province.communes) communeIndex.set(commune.code, { commune, province });
const provinceIndex = new Map(PROVINCES.map((p) => [p.code, p]));

export function findCommune(code: string): { commune: Commune; province: Province } | undefined {
  return communeIndex.get(code);
}
export function findProvince(code: string): Province | undefined {
  return provinceIndex.get(code);
}
export function provinceOf(communeCode: string): string | undefined {
  return communeIndex.get(communeCode)?.province.code;
}
/** The display name of a commune or province code. */
export function unitName(code: string): string | undefined {
  return code.length === 2 ? provinceIndex.get(code)?.name : communeIndex.get(code)?.commune.name;
}
