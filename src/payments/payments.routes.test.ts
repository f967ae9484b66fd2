import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed.js';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import { createSession } from '../platform/session.js';
import { Client, testApp } from '../testing/app.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { signCallback, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './callback.js';
import { requestPayment } from './payments.service.js';

const HOME = '25459';
const OTHER = '25480';
const SECRET = 'gateway-shared-secret';
const ACCOUNT = `99${HOME}000`;

describe.each(testEngines())('payment routes on %s', (engine) => {
  let h: DbHandle;
  let app: App;
  let n = 0;
  const as = async (login: string | null) => {
    const c = new Client(app, `10.7.0.${(n++ % 250) + 1}`);
    if (login) {
      const u = await h.db.selectFrom('app_user').select('id').where((eb) => eb.or([eb('email', '=', login), eb('phone', '=', login)])).executeTakeFirstOrThrow();
      c.cookies.set('xaso_sid', (await createSession(h.db, u.id, { ip: null, userAgent: 'test' })).token);
    }
    return c;
  };
  let seq = 0;
  const payment = (amountVnd: number, commune = HOME) =>
    requestPayment(h.db, {
      communeCode: commune,
      dossierId: null,
      dossierCode: `${commune}-261203-${String(++seq).padStart(4, '0')}`,
      procedureCode: '1.001612',
      procedureName: 'Đăng ký thành lập hộ kinh doanh',
      payerName: 'Trần Văn Hùng',
      amountVnd,
      at: new Date(),
      actor: { id: null, label: 'Cán bộ một cửa', ip: null },
    });
  const callback = async (body: unknown, opts: { ts?: number; secret?: string; headers?: boolean } = {}): Promise<Response> => {
    const raw = JSON.stringify(body);
    const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.headers !== false) {
      headers[TIMESTAMP_HEADER] = ts;
      headers[SIGNATURE_HEADER] = signCallback(opts.secret ?? SECRET, ts, raw);
    }
    return app.request('/api/v1/payments/callback', { method: 'POST', body: raw, headers });
  };
  const paid = (ref: string, transactionId: string, amount: number) => ({ transactionId, reference: ref, amount, accountNo: ACCOUNT, bankBin: '970436', paidAt: '2026-12-03T09:15:00+07:00', description: `${ref} nop phi` });
  const audits = async (action: string) => Number((await h.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    h = await openTestDb(engine);
    await seedDemo(h.db);
    app = testApp(h, { paymentCallbackSecret: SECRET });
  });
  afterAll(() => h.close());

  describe('gateway callback', () => {
    it('confirms a payment once, even when the same callback arrives many times at once', async () => {
      const p = await payment(50_000);
      const results = await Promise.all(Array.from({ length: 12 }, () => callback(paid(p.reference, 'GW-1', 50_000)).then(async (r) => (await r.json()) as { result: string })));
      expect(results.filter((r) => r.result === 'confirmed')).toHaveLength(1);
      expect(results.filter((r) => r.result === 'already_recorded')).toHaveLength(11);
      const receipts = await h.db.selectFrom('receipt').select('no').where('payment_id', '=', p.id).execute();
      expect(receipts).toHaveLength(1);
      expect(await audits('payments.confirm')).toBe(1);
    });

    it('refuses a missing, forged or stale signature and an unknown account; queues a wrong amount', async () => {
      const p = await payment(50_000);
      expect((await callback(paid(p.reference, 'GW-2', 50_000), { headers: false })).status).toBe(400);
      const forged = await callback(paid(p.reference, 'GW-2', 50_000), { secret: 'guess' });
      expect(forged.status).toBe(401);
      expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('bad_signature');
      const stale = await callback(paid(p.reference, 'GW-2', 50_000), { ts: Math.floor(Date.now() / 1000) - 301 });
      expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('stale');
      expect((await callback({ ...paid(p.reference, 'GW-2', 50_000), accountNo: '123' })).status).toBe(422);
      expect((await callback({ ...paid(p.reference, 'GW-2', 50_000), amount: 'năm mươi nghìn' })).status).toBe(400);
      const wrong = await callback(paid(p.reference, 'GW-2', 40_000));
      expect(await wrong.json()).toEqual({ result: 'queued', issue: 'short' });
      const unknown = await callback(paid('HS000000000000', 'GW-3', 40_000));
      expect(await unknown.json()).toEqual({ result: 'queued', issue: 'unmatched' });
      expect((await h.db.selectFrom('payment').select('state').where('id', '=', p.id).executeTakeFirstOrThrow()).state).toBe('pending');
    });

    it('answers 503 when the server has no gateway secret', async () => {
      const bare = testApp(h);
      const raw = JSON.stringify(paid('HS000000000000', 'GW-9', 1));
      const res = await bare.request('/api/v1/payments/callback', { method: 'POST', body: raw, headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: '1', [SIGNATURE_HEADER]: 'ab' } });
      expect(res.status).toBe(503);
    });

    it('is documented in the OpenAPI document', async () => {
      const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, { post?: { description?: string } }> };
      expect(doc.paths['/api/v1/payments/callback']?.post?.description).toMatch(/HMAC-SHA256/);
    });
  });

  describe('citizen pages', () => {
    it('shows the amount in figures and words with the VietQR image and a printable notice; no JavaScript needed', async () => {
      const p = await payment(150_000);
      const c = await as(null);
      const html = await (await c.get(`/thanh-toan/${p.reference}`)).text();
      expect(html).toContain('150.000 đ');
      expect(html).toContain('Một trăm năm mươi nghìn đồng');
      expect(html).toContain(`/thanh-toan/${p.reference}/qr.png`);
      expect(html).not.toContain('<script');
      const png = await c.get(`/thanh-toan/${p.reference}/qr.png`);
      expect(png.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
      expect(await (await c.get(`/thanh-toan/${p.reference}/giay-bao`)).text()).toContain('Giấy báo nộp phí, lệ phí');
      expect((await c.get('/thanh-toan/HS999')).status).toBe(404);
    });
  });

  describe('accountant', () => {
    it('imports a statement, matches the unmatched line by hand, and the receipt PDF says it all', async () => {
      const a = await payment(30_000);
      const b = await payment(70_000);
      const accountant = await as(`ketoan.tanninh@demo.xaso.vn`);
      const csv = ['Ngày giao dịch,Số tham chiếu,Số tiền ghi có,Nội dung', `03/12/2026,ST-10,30.000,${a.reference} nop phi`, `03/12/2026,ST-11,70.000,nop phi ho so cho con`, '03/12/2026,ST-12,một trăm,sai'].join('\n');
      const form = new FormData();
      form.set('_csrf', await accountant.csrf(`/can-bo/xa/${HOME}/thu-phi/sao-ke`));
      form.set('tep', new File([csv], 'saoke.csv', { type: 'text/csv' }));
      const up = await accountant.request(`/can-bo/xa/${HOME}/thu-phi/sao-ke`, { method: 'POST', body: form });
      expect(up.status).toBe(303);
      const result = await (await accountant.get(up.headers.get('location')!)).text();
      expect(result).toContain('Khớp tự động: 1. Chờ kế toán xử lý: 1.');
      expect(result).toContain('Dòng 4: số tiền');
      const txn = await h.db.selectFrom('bank_txn').select('id').where('bank_ref', '=', 'ST-11').executeTakeFirstOrThrow();
      // Wrong reference: the message names the field, the typed value stays.
      const bad = await accountant.post(`/can-bo/xa/${HOME}/thu-phi/giao-dich/${txn.id}/khop`, { reference: 'HS123', note: '' }, { csrf: await accountant.csrf(`/can-bo/xa/${HOME}/thu-phi`) });
      expect(bad.status).toBe(400);
      const badHtml = await bad.text();
      expect(badHtml).toContain('Mã thanh toán: không có khoản thu');
      expect(badHtml).toContain('value="HS123"');
      const ok = await accountant.post(`/can-bo/xa/${HOME}/thu-phi/giao-dich/${txn.id}/khop`, { reference: b.reference, note: '' }, { csrf: await accountant.csrf(`/can-bo/xa/${HOME}/thu-phi`) });
      expect(ok.status).toBe(303);
      const receipt = await h.db.selectFrom('receipt').selectAll().where('payment_id', '=', b.id).executeTakeFirstOrThrow();
      const pdf = await accountant.get(`/can-bo/xa/${HOME}/thu-phi/bien-lai/${receipt.year}/${receipt.no}`);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      const parser = new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) });
      const text = (await parser.getText()).text;
      await parser.destroy();
      for (const s of ['BIÊN LAI THU PHÍ, LỆ PHÍ', `Số: ${String(receipt.no).padStart(7, '0')}`, 'Trần Văn Hùng', '70.000 đồng', 'Bảy mươi nghìn đồng', 'Đăng ký thành lập hộ kinh doanh', b.dossierCode]) expect(text).toContain(s);
      expect(await audits('payments.match')).toBeGreaterThanOrEqual(1);
    });

    it('the report page and workbook say whether the day balances', async () => {
      const accountant = await as(`ketoan.tanninh@demo.xaso.vn`);
      const page = await (await accountant.get(`/can-bo/xa/${HOME}/thu-phi/bao-cao?ngay=2026-12-03`)).text();
      expect(page).toMatch(/Chưa khớp, vì:|Khớp đúng/);
      const xlsx = await accountant.get(`/can-bo/xa/${HOME}/thu-phi/bao-cao.xlsx?ngay=2026-12-03`);
      expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    });

    it('who may: the accountant acts; the leader reads; the receiving officer may not; another commune’s accountant gets 404', async () => {
      const p = await payment(10_000);
      await callback(paid(p.reference, 'GW-P1', 9_000));
      const txn = await h.db.selectFrom('bank_txn').select('id').where('bank_ref', '=', 'GW-P1').executeTakeFirstOrThrow();
      const url = `/can-bo/xa/${HOME}/thu-phi/giao-dich/${txn.id}/hoan`;
      const officer = await as('tiepnhan.tanninh@demo.xaso.vn');
      expect((await officer.post(url, { reason: 'Nộp thiếu tiền' }, { csrf: await officer.csrf('/can-bo') })).status).toBe(403);
      const leader = await as('lanhdao.tanninh@demo.xaso.vn');
      expect((await leader.get(`/can-bo/xa/${HOME}/thu-phi`)).status).toBe(200);
      expect((await leader.post(url, { reason: 'Nộp thiếu tiền' }, { csrf: await leader.csrf('/can-bo') })).status).toBe(403);
      const stranger = await as('ketoan.binhminh@demo.xaso.vn');
      expect((await stranger.post(url, { reason: 'Nộp thiếu tiền' }, { csrf: await stranger.csrf('/can-bo') })).status).toBe(404);
      // Through their own commune's path, the row is not theirs either.
      expect((await stranger.post(`/can-bo/xa/${OTHER}/thu-phi/giao-dich/${txn.id}/hoan`, { reason: 'Nộp thiếu tiền' }, { csrf: await stranger.csrf('/can-bo') })).status).toBe(404);
      const accountant = await as('ketoan.tanninh@demo.xaso.vn');
      const short = await accountant.post(url, { reason: '' }, { csrf: await accountant.csrf('/can-bo') });
      expect(short.status).toBe(400);
      expect(await short.text()).toContain('Lý do hoàn tiền');
      expect((await accountant.post(url, { reason: 'Nộp thiếu tiền, đã hoàn' }, { csrf: await accountant.csrf('/can-bo') })).status).toBe(303);
      expect((await h.db.selectFrom('bank_txn').select('state').where('id', '=', txn.id).executeTakeFirstOrThrow()).state).toBe('refunded');
    });

    it('sets the collection account with field messages', async () => {
      const accountant = await as('ketoan.tanbien@demo.xaso.vn');
      const bad = await accountant.post('/can-bo/xa/25486/thu-phi/tai-khoan', { bank_bin: '12', account_no: '1-2', account_name: 'UBND XA TAN BIEN' }, { csrf: await accountant.csrf('/can-bo') });
      expect(bad.status).toBe(400);
      const html = await bad.text();
      expect(html).toContain('Mã BIN ngân hàng');
      expect(html).toContain('value="UBND XA TAN BIEN"');
      expect((await accountant.post('/can-bo/xa/25486/thu-phi/tai-khoan', { bank_bin: '970405', account_no: '7000123456', account_name: 'UBND XA TAN BIEN' }, { csrf: await accountant.csrf('/can-bo') })).status).toBe(303);
      expect(await audits('payments.account.set')).toBe(1);
    });
  });

  describe('fee table', () => {
    it('the province administrator confirms and corrects a fee (versions, audited); others may not', async () => {
      const { importCatalog } = await import('../catalog/catalog.store.js');
      const { catalogSlice } = await import('../testing/catalog.js');
      await importCatalog(h.db, await catalogSlice(['1.001612'], 0), { source: 'test' });
      const admin = await as('quantri.tayninh@demo.xaso.vn');
      const page = await (await admin.get('/can-bo/tinh/80/le-phi/1.001612')).text();
      expect(page).toContain('Đăng ký thành lập hộ kinh doanh');
      expect(page).toContain('50.000 đ');
      const url = '/can-bo/tinh/80/le-phi/1.001612';
      const bad = await admin.post(url, { case_key: 'direct', status: 'amount', amount: 'năm mươi nghìn', note: '' }, { csrf: await admin.csrf('/can-bo') });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('Số tiền: nhập số đồng');
      for (const amount of ['50.000', '60000']) {
        expect((await admin.post(url, { case_key: 'direct', status: 'amount', amount, exemptions: 'Hộ nghèo\nNgười khuyết tật', note: 'Nghị quyết 12/2025/NQ-HĐND' }, { csrf: await admin.csrf('/can-bo') })).status).toBe(303);
      }
      const versions = await h.db.selectFrom('fee_schedule').select(['version', 'amount_vnd']).where('procedure_code', '=', '1.001612').orderBy('version').execute();
      expect(versions.map((v) => [v.version, Number(v.amount_vnd)])).toEqual([
        [1, 50_000],
        [2, 60_000],
      ]);
      expect(await audits('payments.fee.confirm')).toBe(1);
      expect(await audits('payments.fee.correct')).toBe(1);
      const accountant = await as('ketoan.tanninh@demo.xaso.vn');
      expect((await accountant.get(url)).status).toBe(403);
    });
  });
});
