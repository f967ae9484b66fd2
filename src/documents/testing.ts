/** Test helpers for the documents suites (not used by the app). */
import type { Db } from '../platform/db.js';
import { ensureDemoSigning } from '../signing/signing.store.js';
import type { DossierForResult } from './results.js';

export const SECRET = 'test-secret-0123456789abcdef';
export const T0 = new Date('2026-06-15T03:00:00Z');

export async function citizen(db: Db, name: string, phone: string): Promise<string> {
  const r = await db.insertInto('app_user').values({ kind: 'citizen', full_name: name, phone, email: null, password_hash: null, home_commune_code: '25459' }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export function equipDemoCommune(db: Db, code = '25459', name = 'Phường Tân Ninh'): Promise<string[]> {
  return ensureDemoSigning(db, SECRET, { code: '80', name: 'Tỉnh Tây Ninh' }, [{ code, name }], new Date('2026-01-01T00:00:00Z'));
}

let n = 0;
export function dossierFor(applicantId: string | null, o: Partial<DossierForResult> = {}): DossierForResult {
  n++;
  return {
    decidingUnit: '25459',
    communeCode: '25459',
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    code: `25459-260615-${String(n).padStart(4, '0')}`,
    procedureCode: '1.001193',
    procedureName: 'Đăng ký khai sinh',
    applicantId,
    applicantName: 'Nguyễn Thị Lan',
    applicantAddress: 'Khu phố 1, Phường Tân Ninh',
    ...o,
  };
}

export const BIRTH_DETAILS = {
  hoTen: 'Trần Minh An',
  ngaySinh: '02/06/2026',
  gioiTinh: 'Nam',
  noiSinh: 'Bệnh viện Đa khoa tỉnh Tây Ninh',
  queQuan: 'Tây Ninh',
  hoTenMe: 'Nguyễn Thị Lan',
  hoTenCha: 'Trần Văn Hùng',
};
