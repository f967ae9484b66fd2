import { hashPassword } from '../accounts/passwords.js';
import { idNumberHash } from '../accounts/accounts.service.js';
import * as accounts from '../accounts/accounts.store.js';
import { appendAudit } from '../platform/audit.js';
import type { Db } from '../platform/db.js';
import type { StaffRole } from '../platform/permissions.js';
import '../platform/tables.js';
import { seedFeedbackDemo } from '../feedback/feedback.seed.js';
import { seedTeamsDemo } from '../teams/teams.seed.js';
import { seedPaymentsDemo } from '../payments/payments.seed.js';

/** Demo data: Tây Ninh (80) and three of its communes, with their real codes. */
export const DEMO_PROVINCE = '80';
export const DEMO_COMMUNES = [
  { code: '25459', slug: 'tanninh', name: 'Phường Tân Ninh' },
  { code: '25480', slug: 'binhminh', name: 'Phường Bình Minh' },
  { code: '25486', slug: 'tanbien', name: 'Xã Tân Biên' },
] as const;
export const DEMO_PASSWORD = 'xaso-demo-2026';
export const DEMO_STAFF_DOMAIN = 'demo.xaso.vn';

const COMMUNE_ROLES: { role: StaffRole; slug: string; title: string }[] = [
  { role: 'receiving_officer', slug: 'tiepnhan', title: 'Cán bộ tiếp nhận' },
  { role: 'specialist', slug: 'chuyenvien', title: 'Chuyên viên' },
  { role: 'commune_leader', slug: 'lanhdao', title: 'Lãnh đạo' },
  { role: 'team_member', slug: 'totcns', title: 'Tổ CNS cộng đồng' },
  { role: 'accountant', slug: 'ketoan', title: 'Kế toán' },
];
const PROVINCE_ROLES: { role: StaffRole; slug: string; title: string }[] = [
  { role: 'province_admin', slug: 'quantri', title: 'Quản trị tỉnh' },
  { role: 'analyst', slug: 'phantich', title: 'Phân tích IOC' },
];

/** Their personal ID numbers (made up: 072 is Tây Ninh's birth-place code) let the counter reset be tried. */
export const DEMO_CITIZENS = [
  { fullName: 'Nguyễn Thị Lan', phone: '0912000001', commune: '25459', idNumber: '072190000001' },
  { fullName: 'Trần Văn Hùng', phone: '0912000002', commune: '25459', idNumber: '072090000002' },
  { fullName: 'Lê Thị Mai', phone: '0912000003', commune: '25480', idNumber: '072190000003' },
  { fullName: 'Phạm Văn Bình', phone: '0912000004', commune: '25486', idNumber: '072090000004' },
  { fullName: 'Võ Thị Hoa', phone: '0912000005', commune: '25486', idNumber: '072190000005' },
];

export interface DemoAccount {
  login: string;
  fullName: string;
  role: StaffRole | 'citizen';
  unitCode: string | null;
}

/** The demo staff logins: `<role>.<commune>@demo.xaso.vn`, and `<role>.tayninh@…` at the province. */
export function demoStaff(): DemoAccount[] {
  const list: DemoAccount[] = [];
  for (const c of DEMO_COMMUNES) {
    for (const r of COMMUNE_ROLES) list.push({ login: `${r.slug}.${c.slug}@${DEMO_STAFF_DOMAIN}`, fullName: `${r.title} ${c.name}`, role: r.role, unitCode: c.code });
  }
  for (const r of PROVINCE_ROLES) list.push({ login: `${r.slug}.tayninh@${DEMO_STAFF_DOMAIN}`, fullName: `${r.title} Tây Ninh`, role: r.role, unitCode: DEMO_PROVINCE });
  return list;
}

/**
 * Creates the demo accounts on an empty database; returns them (or [] if there
 * were users already). Only on request (`npm run demo`): they share one
 * published password. No Open311 key is published: one is registered only
 * when the caller names it. Citizens' ID numbers are stored keyed with `secret` (none without it).
 */
export async function seedDemo(db: Db, opts: { open311Key?: string | null; secret?: string } = {}): Promise<DemoAccount[]> {
  const existing = await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
  if (existing) return [];
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const created: DemoAccount[] = [];
  await db.transaction().execute(async (tx) => {
    for (const s of demoStaff()) {
      const id = await accounts.insertUser(tx, { kind: 'staff', fullName: s.fullName, phone: null, email: s.login, passwordHash });
      await accounts.grantRole(tx, id, s.unitCode!, s.role as StaffRole);
      created.push(s);
    }
    for (const p of DEMO_CITIZENS) {
      const idHash = opts.secret ? idNumberHash(opts.secret, p.idNumber) : null;
      await accounts.insertUser(tx, { kind: 'citizen', fullName: p.fullName, phone: p.phone, email: null, passwordHash, homeCommune: p.commune, idNumberHash: idHash });
      created.push({ login: p.phone, fullName: p.fullName, role: 'citizen', unitCode: p.commune });
    }
    await appendAudit(tx, { actorId: null, actorLabel: 'hệ thống', action: 'demo.seed', subjectType: 'system', detail: { accounts: created.length } });
  });
  // Feedback: the default categories in every commune of the demo province (and an Open311 key when one is named).
  await seedFeedbackDemo(db, DEMO_PROVINCE, opts.open311Key ?? null);
  // Community digital-technology teams: villages with household counts, teams, members, a month of visits, one guide.
  await seedTeamsDemo(db, DEMO_COMMUNES);
  // Payments: a (made-up) collection account per demo commune, so payment pages show a VietQR code.
  await seedPaymentsDemo(db, DEMO_COMMUNES);
  return created;
}
