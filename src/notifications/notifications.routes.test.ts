import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../demo/seed.js';
import type { DbHandle } from '../platform/db.js';
import { enqueue } from '../platform/outbox.js';
import type { App } from '../platform/routes.js';
import { Client, testApp } from '../testing/app.js';
import { openTestDb } from '../testing/db.js';

const CITIZEN = '0912000001';
const OTHER_CITIZEN = '0912000002';
const ADMIN = 'quantri.tayninh@demo.xaso.vn';
const OFFICER = 'tiepnhan.tanninh@demo.xaso.vn';

describe('in-app inbox, preferences and dead letters', () => {
  let h: DbHandle;
  let app: App;
  let ip = 0;
  beforeAll(async () => {
    h = await openTestDb('pglite');
    await seedDemo(h.db);
    app = testApp(h);
  });
  afterAll(() => h.close());

  async function signedIn(login: string): Promise<Client> {
    const c = new Client(app, `198.51.100.${++ip}`);
    await c.signIn(login, DEMO_PASSWORD);
    return c;
  }
  const userId = async (phone: string) => (await h.db.selectFrom('app_user').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id;
  const outboxFor = async (key: string) => h.db.selectFrom('outbox').select(['channel', 'user_id']).where('dedupe_key', 'like', `${key}%`).execute();

  it('a notice reaches the inbox of the person it is for, once per event, with the unread count in the header', async () => {
    await h.db.transaction().execute(async (tx) => {
      await enqueue(
        tx,
        { channel: 'sms', recipient: CITIZEN, body: 'Xa So: ho so H55-1: da duoc tiep nhan.', dedupeKey: 'inbox-test:1:sms' },
        { channel: 'email', recipient: 'nobody-known@example.vn', subject: 'Hồ sơ H55-1', body: 'Hồ sơ H55-1: đã được tiếp nhận.', dedupeKey: 'inbox-test:1:email' },
      );
      // A code is never copied to the inbox.
      await enqueue(tx, { channel: 'sms', recipient: CITIZEN, body: 'Xa So: ma dat lai mat khau cua ban la 123456. Ma co hieu luc 15 phut.' });
    });
    const c = await signedIn(CITIZEN);
    const home = await (await c.get('/thong-bao')).text();
    expect(home).toContain('Thông báo (1 chưa đọc)');
    expect(home).toContain('Xa So: ho so H55-1: da duoc tiep nhan.');
    expect(home).not.toContain('123456');
    expect((await outboxFor('inbox-test:1')).find((r) => r.channel === 'sms')!.user_id).toBe(await userId(CITIZEN));

    // Another citizen sees nothing of it.
    const other = await signedIn(OTHER_CITIZEN);
    expect(await (await other.get('/thong-bao')).text()).toContain('Chưa có thông báo nào.');

    const res = await c.post('/thong-bao/da-doc', {}, { csrf: await c.csrf('/thong-bao') });
    expect(res.status).toBe(303);
    const after = await (await c.get('/thong-bao')).text();
    expect(after).not.toContain('chưa đọc)');
  });

  it('a citizen chooses in-app only: notices are no longer sent, codes still are; choices the account cannot take are refused', async () => {
    const c = await signedIn(CITIZEN);
    const csrf = await c.csrf('/thong-bao/cach-nhan');
    const bad = await c.post('/thong-bao/cach-nhan', { channel: 'email' }, { csrf });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Tài khoản chưa có thư điện tử: chọn tin nhắn hoặc chỉ trong ứng dụng');
    expect((await c.post('/thong-bao/cach-nhan', {}, { csrf })).status).toBe(400);

    const ok = await c.post('/thong-bao/cach-nhan', { channel: 'inapp' }, { csrf });
    expect(ok.status).toBe(303);
    expect(await (await c.get('/thong-bao/cach-nhan')).text()).toMatch(/value="inapp" checked/);
    const audit = await h.db.selectFrom('audit_log').select('detail').where('action', '=', 'notification.preference').where('subject_id', '=', await userId(CITIZEN)).executeTakeFirstOrThrow();
    expect(audit.detail).toEqual({ channel: 'inapp' });

    await enqueue(h.db, { channel: 'sms', recipient: CITIZEN, body: 'Xa So: ho so H55-2: da duoc tiep nhan.', dedupeKey: 'inbox-test:2:sms' });
    await enqueue(h.db, { channel: 'sms', recipient: CITIZEN, body: 'Xa So: ma dat lai mat khau cua ban la 654321. Ma co hieu luc 15 phut.', dedupeKey: 'code-2', kind: 'secret' });
    expect(await outboxFor('inbox-test:2')).toEqual([]);
    expect(await outboxFor('code-2')).toHaveLength(1);
    expect(await (await c.get('/thong-bao')).text()).toContain('H55-2');
  });

  it('preference e-mail: the SMS copy of a notice is dropped when an e-mail copy is queued', async () => {
    const staff = await h.db.selectFrom('app_user').select(['id', 'email']).where('email', '=', OFFICER).executeTakeFirstOrThrow();
    await h.db.updateTable('app_user').set({ phone: '0912999999' }).where('id', '=', staff.id).execute();
    await h.db.insertInto('notification_preference').values({ user_id: staff.id, channel: 'email' }).execute();
    await enqueue(
      h.db,
      { channel: 'sms', recipient: '0912999999', body: 'Xa So: ho so H55-3: da duoc tiep nhan.', dedupeKey: 'inbox-test:3:sms' },
      { channel: 'email', recipient: OFFICER.toUpperCase(), subject: 'Hồ sơ H55-3', body: 'Hồ sơ H55-3: đã được tiếp nhận.', dedupeKey: 'inbox-test:3:email' },
    );
    expect((await outboxFor('inbox-test:3')).map((r) => r.channel)).toEqual(['email']);
    const inbox = await h.db.selectFrom('notification').select(['title', 'body']).where('user_id', '=', staff.id).execute();
    expect(inbox).toEqual([{ title: 'Hồ sơ H55-3', body: 'Hồ sơ H55-3: đã được tiếp nhận.' }]);
  });

  it('the province administrator sees dead letters (recipient masked) and sends one again, audited; others may not', async () => {
    await enqueue(h.db, { channel: 'sms', recipient: '0987654321', body: 'Xa So: ho so H55-9: da duoc tiep nhan.', dedupeKey: 'dead:1:sms' });
    const row = await h.db.updateTable('outbox').set({ status: 'failed', attempts: 8, last_error: 'cổng SMS lỗi (500)' }).where('dedupe_key', '=', 'dead:1:sms').returning('id').executeTakeFirstOrThrow();
    const id = String(row.id);

    const admin = await signedIn(ADMIN);
    const page = await (await admin.get('/quan-tri/thong-bao-loi')).text();
    expect(page).toContain('********21');
    expect(page).not.toContain('0987654321');
    expect(page).toContain('cổng SMS lỗi (500)');

    for (const login of [OFFICER, CITIZEN]) {
      const c = await signedIn(login);
      expect((await c.get('/quan-tri/thong-bao-loi')).status).toBe(403);
      expect((await c.post(`/quan-tri/thong-bao-loi/${id}/gui-lai`, {}, { csrf: await c.csrf('/thong-bao') })).status).toBe(403);
    }
    expect((await h.db.selectFrom('outbox').select('status').where('id', '=', Number(id)).executeTakeFirstOrThrow()).status).toBe('failed');

    const res = await admin.post(`/quan-tri/thong-bao-loi/${id}/gui-lai`, {}, { csrf: await admin.csrf('/quan-tri/thong-bao-loi') });
    expect(res.status).toBe(303);
    expect((await h.db.selectFrom('outbox').select(['status', 'attempts']).where('id', '=', Number(id)).executeTakeFirstOrThrow())).toEqual({ status: 'pending', attempts: 0 });
    expect(await h.db.selectFrom('audit_log').select('actor_label').where('action', '=', 'outbox.requeue').where('subject_id', '=', id).executeTakeFirst()).toBeTruthy();
    // Only a dead letter can be sent again; unknown or malformed ids are not found.
    expect((await admin.post(`/quan-tri/thong-bao-loi/${id}/gui-lai`, {}, { csrf: await admin.csrf('/quan-tri/thong-bao-loi') })).status).toBe(404);
    expect((await admin.post('/quan-tri/thong-bao-loi/abc/gui-lai', {}, { csrf: await admin.csrf('/quan-tri/thong-bao-loi') })).status).toBe(404);
  });

  it('the inbox asks anonymous visitors to sign in', async () => {
    const res = await new Client(app).get('/thong-bao');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dang-nhap?next=%2Fthong-bao');
  });
});
