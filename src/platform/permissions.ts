/**
 * Who may do what, declared in one place. Routes name a permission; the guard
 * and the authorization-matrix test both read this table.
 */
export const STAFF_ROLES = [
  'receiving_officer',
  'specialist',
  'commune_leader',
  'province_admin',
  'analyst',
  'team_member',
  'accountant',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type Role = 'citizen' | StaffRole;
export const ROLES: readonly Role[] = ['citizen', ...STAFF_ROLES];

const ALL_STAFF: readonly StaffRole[] = STAFF_ROLES;

export const PERMISSIONS = {
  /** Own account pages: profile, sign-out everywhere. */
  'account.self': ['citizen', ...ALL_STAFF],
  /** A citizen's own account details that let a counter help them: home commune, personal ID number. */
  'account.citizen': ['citizen'],
  /** Counter password reset for a citizen, after an identity check. */
  'counter.resetPassword': ['receiving_officer', 'commune_leader', 'province_admin'],
  /** Staff home (work area). */
  'staff.home': ALL_STAFF,
  /** Choose which procedures a commune offers (add or remove, with a reason). */
  'catalog.manageCommune': ['receiving_officer', 'commune_leader', 'province_admin'],
  /** A citizen submits and follows their own dossiers. */
  'dossier.own': ['citizen'],
  /** Submit on behalf of a citizen: at the counter, or in the field by a community team. */
  'dossier.submitAssisted': ['receiving_officer', 'team_member'],
  /** Work on the commune's dossiers in the back office (queues, actions, forms). */
  'dossier.work': ['receiving_officer', 'specialist', 'commune_leader', 'province_admin'],
  /** The tracking book (form 07) and dossier statistics. */
  'dossier.trackingBook': ['receiving_officer', 'commune_leader', 'province_admin', 'analyst'],
  /** Community digital-technology teams: register villages, teams and members; import members from a spreadsheet. */
  'teams.manage': ['receiving_officer', 'commune_leader', 'province_admin'],
  /** Teams' field log and guides: record a visit, correct one's own (leaders and officials: the team's, the commune's). */
  'teams.log': ['team_member', 'receiving_officer', 'commune_leader', 'province_admin'],
  /** A commune's teams coverage, lagging villages and monthly report (aggregate figures, no personal data). */
  'teams.coverage': ['team_member', 'receiving_officer', 'commune_leader', 'province_admin', 'analyst'],
  /** Province roll-up of the teams' coverage. */
  'teams.report': ['province_admin', 'analyst'],
  /** Citizen feedback (PAKN) of a commune: queue, triage, reply, close. */
  'feedback.handle': ['receiving_officer', 'specialist', 'commune_leader', 'province_admin'],
  /** A commune's feedback figures (aggregates, no personal data). */
  'feedback.stats': ['receiving_officer', 'specialist', 'commune_leader', 'province_admin', 'analyst'],
  /** Operations-centre figures and the Decision 766 index of a commune or a province (aggregates; dossier codes at the bottom). */
  'stats.view': ['commune_leader', 'province_admin', 'analyst'],
  /** Applicants' names in the dossier lists behind those figures (each read audited); not a route permission. */
  'stats.personal': ['commune_leader', 'province_admin'],
  /** Ask for a dossier's fee (amount and payment reference); the workflow decides who may take the action. */
  'payments.request': ['receiving_officer', 'specialist'],
  /** A commune's collection money: reconciliation queue, statement import, matching, refunds, receipts, collection account. */
  'payments.reconcile': ['accountant'],
  /** A commune's receipts and daily reconciliation report (read only). */
  'payments.view': ['accountant', 'commune_leader', 'province_admin'],
  /** The province's fee table: confirm or correct each procedure's fee. */
  'payments.fees': ['province_admin'],
  /** A citizen's own document store ("Kho giấy tờ của tôi"): list, download, access log, delete own uploads. */
  'documents.own': ['citizen'],
  /** Issue electronic certified copies from originals at the counter (signed with the commune's certificate). */
  'documents.certify': ['receiving_officer', 'commune_leader'],
  /** Read the audit log and verify its chain. */
  'audit.read': ['province_admin'],
  /** Staff accounts of a province: create, disable, grant and revoke roles per commune, sign-in history. */
  'staff.manage': ['province_admin'],
  /** Notifications that could not be delivered (dead letters): see them, send them again. */
  'outbox.deadLetters': ['province_admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * A route's policy. `unitParam` names the path parameter holding a commune or
 * province code: the actor must hold the role in that unit (or in its
 * province, for province roles); another unit's resources answer 404.
 */
export type Policy =
  | { kind: 'public' }
  | { kind: 'signedIn' }
  | { kind: 'permission'; permission: Permission; unitParam?: string };

export const PUBLIC: Policy = { kind: 'public' };
export const SIGNED_IN: Policy = { kind: 'signedIn' };
export function requires(permission: Permission, unitParam?: string): Policy {
  return unitParam ? { kind: 'permission', permission, unitParam } : { kind: 'permission', permission };
}

export interface RoleGrant {
  unitCode: string;
  role: StaffRole;
}

/** The provinces a grant reaches: a province code, or the first two digits' province of a commune (looked up). */
export function roleAllows(permission: Permission, role: Role): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/**
 * Whether grants allow `permission` in `unitCode` (a commune or province code).
 * `provinceOf` maps a commune code to its province code.
 */
export function grantsAllow(
  grants: readonly RoleGrant[],
  permission: Permission,
  unitCode: string | null,
  provinceOf: (communeCode: string) => string | undefined,
): boolean {
  return grants.some((g) => {
    if (!roleAllows(permission, g.role)) return false;
    if (unitCode === null) return true;
    if (g.unitCode === unitCode) return true;
    // A province-level grant reaches every commune of its province.
    return g.unitCode.length === 2 && unitCode.length === 5 && provinceOf(unitCode) === g.unitCode;
  });
}
