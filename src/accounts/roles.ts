import type { StaffRole } from '../platform/permissions.js';

/** Role names as officials say them. */
export const ROLE_LABELS: Record<StaffRole, string> = {
  receiving_officer: 'Cán bộ tiếp nhận (một cửa)',
  specialist: 'Chuyên viên xử lý',
  commune_leader: 'Lãnh đạo UBND xã',
  province_admin: 'Quản trị cấp tỉnh',
  analyst: 'Chuyên viên phân tích (IOC)',
  team_member: 'Thành viên tổ công nghệ số cộng đồng',
  accountant: 'Kế toán (thu phí, lệ phí)',
};
