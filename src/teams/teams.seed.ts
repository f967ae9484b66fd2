/** Demo villages, teams, members, a month of field-log entries and one guide for the demo communes. */
import { appendAudit } from '../platform/audit.js';
import type { Db } from '../platform/db.js';
import { addDays, nameKey, todayVn } from './teams.schema.js';
import type { MemberRole, VillageKind } from './teams.tables.js';

interface DemoCommune {
  code: string;
  slug: string;
}

const VILLAGES: Record<string, { kind: VillageKind; names: string[]; households: number[] }> = {
  '25459': { kind: 'khu_pho', names: ['Khu phố 1', 'Khu phố 2', 'Khu phố 3', 'Khu phố 4', 'Khu phố 5', 'Khu phố 6'], households: [820, 765, 910, 640, 580, 705] },
  '25480': { kind: 'khu_pho', names: ['Khu phố Ninh Thọ', 'Khu phố Ninh Lộc', 'Khu phố Ninh Phúc', 'Khu phố Ninh Trung', 'Khu phố Ninh An'], households: [690, 540, 610, 480, 720] },
  '25486': { kind: 'ap', names: ['Ấp Thạnh Phú', 'Ấp Thạnh Hiệp', 'Ấp Thạnh Lộc', 'Ấp Tân Tiến', 'Ấp Tân Đông', 'Ấp Tân Lập', 'Ấp Suối Muồn'], households: [412, 365, 298, 520, 344, 276, 188] },
};

const MEMBER_NAMES = ['Nguyễn Văn Tâm', 'Trần Thị Hạnh', 'Lê Minh Khoa', 'Phạm Thị Thu', 'Võ Quốc Huy', 'Đặng Thị Ngọc', 'Huỳnh Văn Lộc', 'Bùi Thị Yến'];
const ROLES: MemberRole[] = ['leader', 'youth_union', 'women_union', 'police'];

/** Seeds the demo communes' teams once (skipped for a commune that already has villages). */
export async function seedTeamsDemo(db: Db, communes: readonly DemoCommune[]): Promise<void> {
  const today = todayVn();
  await db.transaction().execute(async (tx) => {
    let entries = 0;
    for (const [ci, commune] of communes.entries()) {
      const spec = VILLAGES[commune.code];
      if (!spec) continue;
      const exists = await tx.selectFrom('team_village').select('id').where('commune_code', '=', commune.code).limit(1).executeTakeFirst();
      if (exists) continue;
      const account = await tx.selectFrom('app_user').select('id').where('email', '=', `totcns.${commune.slug}@demo.xaso.vn`).executeTakeFirst();
      const villageIds: number[] = [];
      for (const [vi, name] of spec.names.entries()) {
        const village = await tx
          .insertInto('team_village')
          .values({ commune_code: commune.code, name, name_key: nameKey(name), kind: spec.kind, households: spec.households[vi]!, households_source: 'entered', households_updated_at: new Date() })
          .returning('id')
          .executeTakeFirstOrThrow();
        villageIds.push(village.id);
        const teamName = `Tổ công nghệ số ${name}`;
        const team = await tx.insertInto('team').values({ commune_code: commune.code, name: teamName, name_key: nameKey(teamName), village_id: village.id }).returning('id').executeTakeFirstOrThrow();
        for (let mi = 0; mi < 3; mi++) {
          // The demo team-member account leads the commune's first team.
          const linked = vi === 0 && mi === 0 && account ? account.id : null;
          await tx
            .insertInto('team_member')
            .values({
              commune_code: commune.code,
              team_id: team.id,
              full_name: MEMBER_NAMES[(vi * 3 + mi + ci) % MEMBER_NAMES.length]!,
              phone: `0868${ci}${String(vi).padStart(2, '0')}${String(mi).padStart(3, '0')}`,
              role: ROLES[mi]!,
              user_id: linked,
              left_at: null,
            })
            .execute();
        }
      }
      if (!account) continue;
      const team = await tx.selectFrom('team_member').select('team_id').where('commune_code', '=', commune.code).where('user_id', '=', account.id).executeTakeFirst();
      // Visits spread over the last five weeks, more in the first villages: the last ones lag.
      for (let i = 0; i < 24; i++) {
        const vi = i % Math.max(1, villageIds.length - 2);
        const date = addDays(today, -((i * 3) % 36) - 1);
        await tx
          .insertInto('team_log_entry')
          .values({
            commune_code: commune.code,
            idempotency_key: `demo-seed-${commune.code}-${String(i).padStart(4, '0')}`,
            author_id: account.id,
            team_id: team?.team_id ?? null,
            village_id: villageIds[vi]!,
            visit_date: date,
            households_visited: 6 + ((i * 7) % 11),
            eid_activated: 3 + ((i * 5) % 7),
            accounts_created: 2 + (i % 4),
            dossiers_submitted: i % 3,
            cashless_setup: 1 + (i % 3),
            apps_installed: 4 + (i % 5),
            training_attendees: i % 6 === 0 ? 25 : 0,
            note: '',
            created_at: `${date}T10:00:00+07:00`,
            updated_at: null,
            updated_by: null,
          })
          .execute();
        entries++;
      }
      const guide = await tx
        .insertInto('team_guide')
        .values({ commune_code: commune.code, title: 'Cách nộp hồ sơ đăng ký khai sinh trực tuyến', procedure_code: '1.001193', author_id: account.id, status: 'published', published_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow();
      const steps = [
        'Mở ứng dụng VNeID, đăng nhập bằng tài khoản định danh điện tử mức 2.',
        'Chọn "Thủ tục hành chính", rồi chọn "Đăng ký khai sinh".',
        'Nhập thông tin của cháu bé và của cha, mẹ theo giấy chứng sinh.',
        'Chụp ảnh giấy chứng sinh, kiểm tra lại thông tin, rồi bấm "Gửi hồ sơ". Ghi lại mã hồ sơ để theo dõi.',
      ];
      for (const [i, body] of steps.entries()) {
        await tx.insertInto('team_guide_step').values({ commune_code: commune.code, guide_id: guide.id, position: i + 1, body, image: null, image_mime: null, image_alt: null }).execute();
      }
    }
    await appendAudit(tx, { actorId: null, actorLabel: 'hệ thống', action: 'demo.seed_teams', subjectType: 'system', detail: { communes: communes.map((c) => c.code), entries } });
  });
}
