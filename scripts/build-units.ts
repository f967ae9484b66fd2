/**
 * Normalises the post-1-July-2025 administrative units (Decision 19/2025/QĐ-TTg)
 * into data/units/units.json. Run: npx tsx scripts/build-units.ts ../shared/data/units/divisions-2025.json
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface SourceWard { name: string; code: number; codename: string; division_type: string }
interface SourceProvince extends SourceWard { wards: SourceWard[] }

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: build-units.ts divisions-2025.json');
const source = JSON.parse(readFileSync(file, 'utf8')) as SourceProvince[];
const provinces = source
  .map((p) => ({
    code: String(p.code).padStart(2, '0'),
    name: p.name.normalize('NFC').trim(),
    divisionType: p.division_type,
    codename: p.codename,
    communes: p.wards
      .map((w) => ({
        code: String(w.code).padStart(5, '0'),
        name: w.name.normalize('NFC').trim(),
        divisionType: w.division_type,
        codename: w.codename,
      }))
      .sort((a, b) => a.code.localeCompare(b.code)),
  }))
  .sort((a, b) => a.code.localeCompare(b.code));
writeFileSync('data/units/units.json', JSON.stringify(provinces, null, 0) + '\n');
console.log(`${provinces.length} provinces, ${provinces.reduce((n, p) => n + p.communes.length, 0)} communes`);
