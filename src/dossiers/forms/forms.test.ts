import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalog } from '../../catalog/catalog.store.js';
import { loadDefaultCalendar, type HolidayCalendar } from '../../calendar/index.js';
import type { DbHandle } from '../../platform/db.js';
import { catalogSlice } from '../../testing/catalog.js';
import { openTestDb } from '../../testing/db.js';
import type { DossierEvent } from '../dossiers.store.js';
import { bookProgress, controlSlipRows, receiptFor, receiptKind } from './data.js';
import { COMMUNE, FULL_FLOW, TestClock, drive, leader, officer, type Driven } from './testing.js';
import { asciiSlug, dateWords, displayName, feeLines, instantWords, issuerOf, money, noteItems, SUPPLEMENT_HEADING, timeliness } from './format.js';
import { formData, renderForm, renderTrackingBookPdf, renderTrackingBookXlsx, trackingBookData, type DossierForm, type PdfFormNo } from './index.js';
import { findDossier } from '../dossiers.store.js';

/** Set FORMS_PREVIEW_DIR to keep the rendered files (to look at them with pdftoppm). */
const PREVIEW = process.env.FORMS_PREVIEW_DIR;

async function pdfText(buf: Buffer): Promise<{ text: string; flat: string; pages: number }> {
  const p = new PDFParse({ data: new Uint8Array(buf) });
  try {
    const r = await p.getText();
    return { text: r.text, flat: r.text.replace(/\s+/g, ' '), pages: r.total };
  } finally {
    await p.destroy();
  }
}

function keep(name: string, buf: Buffer): void {
  if (!PREVIEW) return;
  mkdirSync(PREVIEW, { recursive: true });
  writeFileSync(join(PREVIEW, name), buf);
}

describe('pure wording', () => {
  it('writes dates, times and money the Vietnamese way', () => {
    expect(dateWords('2026-03-09')).toBe('ngày 09 tháng 03 năm 2026');
    expect(instantWords(new Date('2026-03-10T03:15:00Z'))).toBe('10 giờ 15 phút, ngày 10 tháng 03 năm 2026');
    expect(money(1250000)).toBe('1.250.000 đồng');
  });

  it('never prints an unpublished fee as free', () => {
    expect(feeLines([{ kind: 'charge', amountVnd: null, text: '', unpublished: true }])).toEqual([{ label: 'Lệ phí', text: 'chưa công bố' }]);
    expect(feeLines([{ kind: 'charge', amountVnd: 0, text: '', unpublished: false }])).toEqual([{ label: 'Lệ phí', text: 'miễn phí' }]);
    expect(feeLines([{ kind: 'fee', amountVnd: 50000, text: 'Nộp trực tuyến giảm 50%', unpublished: false }])).toEqual([{ label: 'Phí', text: '50.000 đồng (Nộp trực tuyến giảm 50%)' }]);
    expect(feeLines([])).toEqual([{ label: 'Phí, lệ phí', text: 'chưa công bố' }]);
  });

  it('splits a note into items, names people without their role codes, makes ASCII file names', () => {
    expect(noteItems('- Giấy chứng sinh\n\n2) Tờ khai\n • CCCD ')).toEqual(['Giấy chứng sinh', 'Tờ khai', 'CCCD']);
    expect(displayName('Trần Văn A (receiving_officer@25459,specialist@25459)')).toBe('Trần Văn A');
    expect(displayName('Cán bộ (tạm)')).toBe('Cán bộ (tạm)');
    expect(asciiSlug('Mẫu 02 — Đăng ký / 25459-260309-0001')).toBe('mau-02-dang-ky-25459-260309-0001');
    expect(issuerOf('25459')).toEqual({ communeCode: '25459', communeName: 'Phường Tân Ninh', place: 'Tân Ninh' });
  });

  it('leaves out the heading the office page writes above ticked papers, in old notes too; a line that only starts like it is an item', () => {
    // The exact note office.routes.tsx stores for two ticked papers and a typed line (and has stored since the start).
    const note = 'Giấy tờ cần bổ sung:\n- Giấy chứng sinh\n- Văn bản ủy quyền (được chứng thực)\nNộp bản có chứng thực của UBND cấp xã.';
    expect(note.startsWith(SUPPLEMENT_HEADING)).toBe(true);
    expect(noteItems(note)).toEqual(['Giấy chứng sinh', 'Văn bản ủy quyền (được chứng thực)', 'Nộp bản có chứng thực của UBND cấp xã.']);
    expect(noteItems(`  ${SUPPLEMENT_HEADING}  \r\n- Tờ khai`)).toEqual(['Tờ khai']);
    expect(noteItems('Giấy tờ cần bổ sung: bản sao căn cước')).toEqual(['Giấy tờ cần bổ sung: bản sao căn cước']);
    expect(noteItems(SUPPLEMENT_HEADING)).toEqual([]);
  });

  it('offers form 01 once received, a receipt of submission while waiting, nothing once refused or withdrawn before reception', () => {
    const at = new Date('2026-03-09T09:00:00+07:00');
    expect(receiptKind({ received_at: at, status: 4 })).toBe('appointment');
    expect(receiptKind({ received_at: at, status: 8 })).toBe('appointment'); // stopped after reception: form 01 was issued
    expect(receiptKind({ received_at: null, status: 1 })).toBe('submission');
    expect(receiptKind({ received_at: null, status: 5 })).toBe('submission'); // supplement asked before reception
    expect(receiptKind({ received_at: null, status: 3 })).toBeNull();
    expect(receiptKind({ received_at: null, status: 7 })).toBeNull();
  });

  it('marks a step sớm / đúng hạn / quá hạn against the due date in force', () => {
    expect(timeliness('2026-03-10', '2026-03-11')).toBe('early');
    expect(timeliness('2026-03-11', '2026-03-11')).toBe('on_time');
    expect(timeliness('2026-03-12', '2026-03-11')).toBe('late');
    expect(timeliness('2026-03-12', null)).toBeNull();
    expect(bookProgress({ status: 4, due: '2026-03-11', decidedAt: null }, '2026-03-12')).toBe('overdue');
    expect(bookProgress({ status: 4, due: '2026-03-11', decidedAt: null }, '2026-03-11')).toBe('in_time');
    expect(bookProgress({ status: 8, due: '2026-03-11', decidedAt: null }, '2026-03-12')).toBe('none');
    expect(bookProgress({ status: 10, due: '2026-03-11', decidedAt: new Date('2026-03-11T09:00:00+07:00') }, '2026-04-01')).toBe('on_time');
  });

  it('replays who holds the dossier: hand-offs, a pause back to the applicant, an apology that moves nothing', () => {
    const ev = (seq: number, action: string, at: string, due: string | null, extra: Partial<DossierEvent> = {}): DossierEvent => ({
      seq,
      at: new Date(at),
      actor_label: 'X',
      actor_id: null,
      action,
      from_status: null,
      to_status: 4,
      note: '',
      detail: {},
      due_date: due,
      ...extra,
    });
    const rows = controlSlipRows([
      ev(1, 'submit', '2026-03-09T09:00:00+07:00', null, { to_status: 1 }),
      ev(2, 'accept', '2026-03-09T10:00:00+07:00', '2026-03-11', { to_status: 2 }),
      ev(3, 'assign', '2026-03-10T10:00:00+07:00', '2026-03-11'),
      ev(4, 'request_supplement', '2026-03-11T10:00:00+07:00', null, { to_status: 5 }),
      ev(5, 'resubmit', '2026-03-13T10:00:00+07:00', '2026-03-13'),
      ev(6, 'apologise', '2026-03-16T10:00:00+07:00', '2026-03-18'),
      ev(7, 'transfer', '2026-03-17T10:00:00+07:00', '2026-03-18', { detail: { to: '80' } }),
    ]);
    expect(rows.map((r) => [r.from, r.to])).toEqual([
      ['Người nộp hồ sơ', 'Bộ phận một cửa'],
      ['Bộ phận một cửa', 'Bộ phận một cửa'],
      ['Bộ phận một cửa', 'Chuyên viên xử lý'],
      ['Chuyên viên xử lý', 'Người nộp hồ sơ'],
      ['Người nộp hồ sơ', 'Chuyên viên xử lý'],
      ['Chuyên viên xử lý', 'Chuyên viên xử lý'],
      ['Chuyên viên xử lý', 'UBND Tỉnh Tây Ninh'],
    ]);
    expect(rows.map((r) => r.timeliness)).toEqual([null, 'early', 'early', 'on_time', 'on_time', 'late', 'early']);
    expect(rows[5]!.result).toContain('Hẹn lại ngày trả: 18/03/2026');
  });
});

describe('layout under load: long lists flow onto more pages, nothing is lost', () => {
  const base = {
    issuer: issuerOf('25486'),
    dossierCode: '25486-261201-0042',
    applicant: { name: 'Phạm Văn Bình', address: '', phone: null, email: null },
    procedure: { code: '1.000000', name: 'Đăng ký thường trú' },
    issuedAt: new Date('2026-12-01T08:00:00+07:00'),
  };

  it('02 with sixty missing items: every item, numbered, page numbers at the foot', async () => {
    const items = Array.from({ length: 60 }, (_, i) => `Giấy tờ thứ ${i + 1}: bản sao có chứng thực, còn hiệu lực, ghi rõ họ tên, ngày tháng năm sinh và nơi cư trú hiện tại`);
    const pdf = await renderForm({ ...base, form: '02', eventSeq: 2, items, reason: 'hồ sơ chưa đầy đủ.', officer: 'Cán bộ', contact: 'Bộ phận một cửa' });
    keep('long-02.pdf', pdf);
    const { text, flat, pages } = await pdfText(pdf);
    expect(pages).toBeGreaterThan(1);
    for (let i = 1; i <= 60; i++) expect(text).toMatch(new RegExp(`${i}\\.\\s+Giấy tờ thứ ${i}:`));
    expect(flat).toContain(`Trang ${pages}/${pages}`);
    expect(flat).toContain('XÃ TÂN BIÊN');
    expect(flat).toContain('Tân Biên, ngày 01 tháng 12 năm 2026');
    expect(flat).toContain('thủ tục Đăng ký thường trú (mã thủ tục 1.000000)');
  });

  it('06 with forty steps repeats the table heading on every page; 01 at the counter, free of charge, with a moved appointment', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      no: i + 1,
      step: 'Chuyển chuyên viên xử lý',
      from: 'Bộ phận một cửa',
      to: 'Chuyên viên xử lý',
      at: new Date('2026-12-01T08:00:00+07:00'),
      actor: `Cán bộ ${i + 1}`,
      result: 'Đang giải quyết.',
      dueInForce: '2026-12-03',
      timeliness: 'early' as const,
    }));
    const slip = await renderForm({ ...base, form: '06', receivedAt: base.issuedAt, dueDate: '2026-12-03', status: 'Đang giải quyết', rows });
    const s = await pdfText(slip);
    expect(s.pages).toBeGreaterThan(1);
    expect(s.flat.match(/Bước xử lý/g)).toHaveLength(s.pages);
    for (let i = 1; i <= 40; i++) expect(s.flat).toContain(`Cán bộ ${i} `);

    const receipt = await renderForm({
      ...base,
      form: '01',
      receivedAt: base.issuedAt,
      receivedBy: 'Cán bộ tiếp nhận',
      channel: 'counter',
      papers: [{ name: 'Tờ khai thay đổi thông tin cư trú', originals: 1, certifiedCopies: 0, photocopies: 0, files: 0 }],
      sets: 1,
      workingDays: 7,
      appointment: { date: '2026-12-10', time: '17:00' },
      currentDue: '2026-12-14',
      returnAt: { kind: 'counter', text: 'Bộ phận một cửa UBND Xã Tân Biên' },
      fees: feeLines([{ kind: 'charge', amountVnd: 0, text: '', unpublished: false }]),
      bookEntry: { book: '2026', no: 1234 },
      trackingUrl: 'https://xaso.example.vn/tra-cuu?ma=25486-261201-0042',
    });
    keep('counter-01.pdf', receipt);
    const r = await pdfText(receipt);
    expect(r.pages).toBe(1);
    expect(r.flat).toContain('Lệ phí: miễn phí');
    expect(r.flat).toContain('Hình thức: nộp trực tiếp');
    expect(r.flat).toContain('(Ký và ghi rõ họ tên)');
    expect(r.flat).toContain('Ngày hẹn trả hiện nay, sau khi tạm dừng hoặc gia hạn: Thứ Hai, 14/12/2026');
    expect(r.flat).toContain('Số thứ tự: 1234');
  });

  it('the receipt of a dossier submitted at the counter: both signatures, no appointment, no form number, files per paper', async () => {
    const pdf = await renderForm({
      ...base,
      form: 'submission',
      submittedAt: new Date('2026-12-01T08:05:00+07:00'),
      channel: 'counter',
      assistedBy: 'Trần Thị Tiếp Nhận',
      papers: [
        { name: 'Tờ khai thay đổi thông tin cư trú', files: 2 },
        { name: 'Giấy tờ chứng minh chỗ ở hợp pháp', files: 0 },
      ],
      otherFiles: 1,
      workingDays: 7,
      status: 'Đã nộp, chờ tiếp nhận',
      statusAt: new Date('2026-12-01T08:06:00+07:00'),
      fees: feeLines([]),
      trackingUrl: 'https://xaso.example.vn/tra-cuu?ma=25486-261201-0042',
    });
    keep('counter-submission.pdf', pdf);
    const { text, flat, pages } = await pdfText(pdf);
    expect(pages).toBe(1);
    expect(flat).toContain('GIẤY BIÊN NHẬN HỒ SƠ ĐÃ NỘP');
    expect(flat).toContain('Mã hồ sơ: 25486-261201-0042');
    expect(flat).toContain('nộp tại Bộ phận một cửa UBND Xã Tân Biên, cán bộ nộp thay người dân (Trần Thị Tiếp Nhận)');
    expect(flat).toContain('Thời gian nộp hồ sơ: 08 giờ 05 phút, ngày 01 tháng 12 năm 2026');
    expect(flat).toContain('7 ngày làm việc, tính từ khi hồ sơ được tiếp nhận');
    expect(flat).toContain('Ngày hẹn trả kết quả: sẽ ghi khi cán bộ tiếp nhận hồ sơ (hồ sơ đủ giấy tờ)');
    expect(text).toMatch(/Tờ khai thay đổi thông tin cư trú\s+02 tệp/);
    expect(text).toMatch(/Giấy tờ chứng minh chỗ ở hợp pháp\s+Chưa nộp/);
    expect(text).toMatch(/Giấy tờ khác\s+01 tệp/);
    expect(flat).toContain('NGƯỜI NỘP HỒ SƠ');
    expect(flat).toContain('CÁN BỘ NỘP THAY');
    expect(flat).not.toContain('Mẫu số');
    expect(flat).not.toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(flat).not.toContain('Quyển số');
    expect(flat).not.toContain('Thời gian trả kết quả giải quyết hồ sơ');
  });
});

describe('forms 01–07 of a dossier driven through the workflow', () => {
  let h: DbHandle;
  let calendar: HolidayCalendar;
  const clock = new TestClock(new Date('2026-03-09T09:00:00+07:00'));
  const deps = () => ({ db: h.db, calendar, clock });
  let full: Driven;
  let refused: Driven;
  let stopped: Driven;
  let late: Driven;
  let pending: Driven;
  let asked: Driven;

  beforeAll(async () => {
    h = await openTestDb('pglite');
    calendar = await loadDefaultCalendar();
    await importCatalog(h.db, await catalogSlice(['1.001193'], 0), { source: 'test' });
    full = await drive(deps(), { at: '2026-03-09T09:00:00+07:00', key: 'full' }, FULL_FLOW);
    refused = await drive(deps(), { at: '2026-03-11T08:00:00+07:00', key: 'refused', name: 'Trần Văn Hùng', channel: 'counter' }, [
      ['2026-03-11T08:20:00+07:00', officer, 'refuse', { note: 'Trẻ đã được đăng ký khai sinh tại UBND xã khác\nNgười đi đăng ký không phải cha, mẹ hoặc người được ủy quyền' }],
    ]);
    stopped = await drive(deps(), { at: '2026-03-20T08:00:00+07:00', key: 'stopped', name: 'Võ Thị Hoa' }, [
      ['2026-03-20T08:30:00+07:00', officer, 'accept'],
      ['2026-03-20T16:00:00+07:00', leader, 'stop', { note: 'Tòa án đang thụ lý tranh chấp về việc xác định cha cho trẻ' }],
    ]);
    late = await drive(deps(), { at: '2026-03-23T08:00:00+07:00', key: 'late', name: 'Phạm Văn Bình' }, [['2026-03-23T08:10:00+07:00', officer, 'accept']]);
    // Never received: just submitted, and one asked for papers (the note as the office page writes it) before reception.
    pending = await drive(deps(), { at: '2026-03-24T09:00:00+07:00', key: 'pending', name: 'Lê Thị Chờ' }, []);
    asked = await drive(deps(), { at: '2026-03-25T08:00:00+07:00', key: 'asked', name: 'Đỗ Văn Thiếu' }, [
      ['2026-03-25T08:30:00+07:00', officer, 'request_supplement', { note: `${SUPPLEMENT_HEADING}\n- Giấy chứng sinh\n- Văn bản ủy quyền (được chứng thực)\nNộp bản có chứng thực của UBND cấp xã.` }],
    ]);
  });
  afterAll(() => h.close());

  async function form(no: PdfFormNo, d: Driven, seq?: number): Promise<{ data: DossierForm; text: string; flat: string; pages: number }> {
    const r = await formData(h.db, COMMUNE, d.dossier.id, no, seq, { baseUrl: 'https://xaso.example.vn', now: new Date('2026-03-18T10:00:00+07:00') });
    if (!r.ok) throw new Error(r.message);
    const pdf = await renderForm(r.data);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    keep(`mau-${no}-${d.dossier.code}${seq ? `-lan-${seq}` : ''}.pdf`, pdf);
    return { data: r.data, ...(await pdfText(pdf)) };
  }

  function header(flat: string, no: string) {
    expect(flat).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(flat).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(flat).toContain(`Mẫu số ${no}`);
    expect(flat).toMatch(/PHƯỜNG TÂN NINH/);
  }

  it('01: receipt and appointment — papers of the case, times, where, fees, book entry, QR link, signatures', async () => {
    const { data, flat, pages } = await form('01', full);
    header(flat, '01');
    expect(pages).toBeLessThanOrEqual(2);
    expect(flat).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(flat).toContain(full.dossier.code);
    expect(flat).toContain('Nguyễn Thị Lan');
    expect(flat).toContain('Thủ tục đăng ký khai sinh');
    expect(flat).toContain('1.001193');
    expect(flat).toContain('Giấy chứng sinh');
    expect(flat).toContain('Bản chính');
    expect(flat).toContain('10 giờ 15 phút, ngày 10 tháng 03 năm 2026');
    // Appointment as set at receipt (1 working day), and today's after the pause and the apology.
    expect(flat).toContain('17 giờ 00 phút, Thứ Tư, ngày 11 tháng 03 năm 2026');
    expect(flat).toContain('Tân Ninh, ngày 10 tháng 03 năm 2026');
    expect(flat).toContain('Bộ phận một cửa UBND Phường Tân Ninh');
    expect(flat).toContain('chưa công bố');
    expect(flat).toContain('Quyển số: 2026, Số thứ tự: 1');
    expect(flat).toContain(`https://xaso.example.vn/tra-cuu?ma=${full.dossier.code}`);
    expect(flat).toContain('NGƯỜI NỘP HỒ SƠ');
    expect(flat).toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
    expect(flat).toContain('Trần Thị Tiếp Nhận');
    expect(flat).not.toContain('receiving_officer');
    expect(data.form === '01' && data.currentDue).toBeNull(); // returned: no "today's appointment" line
  });

  it('02: the latest request lists everything missing; ?lan= gives an earlier one', async () => {
    const latest = await form('02', full);
    header(latest.flat, '02');
    expect(latest.flat).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(latest.flat).toContain(full.dossier.code);
    expect(latest.flat).toContain('Nguyễn Thị Lan');
    expect(latest.flat).toContain('thủ tục đăng ký khai sinh (mã thủ tục 1.001193)');
    expect(latest.text).toMatch(/1\.\s+Bản sao giấy đăng ký kết hôn bị mờ, nộp lại bản rõ/);
    expect(latest.text).toMatch(/2\.\s+Tờ khai đăng ký khai sinh còn thiếu chữ ký/);
    expect(latest.flat).toContain('đầy đủ, một lần');
    expect(latest.flat).toContain('Lê Văn Chuyên Viên');
    expect(latest.flat).toContain('Tân Ninh, ngày 10 tháng 03 năm 2026');
    const first = await form('02', full, full.seqs[1]);
    expect(first.text).toMatch(/1\.\s+Giấy chứng sinh \(bản chính\)/);
    expect(first.text).toMatch(/2\.\s+Văn bản ủy quyền có chứng thực/);
    expect(first.flat).toContain('Tân Ninh, ngày 09 tháng 03 năm 2026');
    const wrong = await formData(h.db, COMMUNE, full.dossier.id, '02', full.seqs[2]);
    expect(wrong).toMatchObject({ ok: false, reason: 'no_event' });
  });

  it('03: refusal with every reason', async () => {
    const { flat, text } = await form('03', refused);
    header(flat, '03');
    expect(flat).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ');
    expect(flat).toContain(refused.dossier.code);
    expect(flat).toContain('Trần Văn Hùng');
    expect(flat).toContain('thủ tục đăng ký khai sinh (mã thủ tục 1.001193)');
    expect(text).toMatch(/1\.\s+Trẻ đã được đăng ký khai sinh tại UBND xã khác/);
    expect(flat).toContain('Người đi đăng ký không phải cha, mẹ hoặc người được ủy quyền');
    expect(flat).toContain('08 giờ 00 phút, ngày 11 tháng 03 năm 2026');
    // Never received: no receipt.
    expect(await formData(h.db, COMMUNE, refused.dossier.id, '01')).toMatchObject({ ok: false, reason: 'not_received' });
  });

  it('02 and 06 list exactly the ticked papers and the typed line: the heading the office page writes is not a missing paper', async () => {
    const { data, text, flat } = await form('02', asked);
    expect(data.form === '02' && data.items).toEqual(['Giấy chứng sinh', 'Văn bản ủy quyền (được chứng thực)', 'Nộp bản có chứng thực của UBND cấp xã.']);
    expect(text).toMatch(/1\.\s+Giấy chứng sinh\s+2\.\s+Văn bản ủy quyền \(được chứng thực\)\s+3\.\s+Nộp bản có chứng thực của UBND cấp xã\./);
    expect(text).not.toMatch(/\d\.\s+Giấy tờ cần bổ sung/);
    expect(flat).not.toContain(SUPPLEMENT_HEADING);
    const slip = await form('06', asked);
    if (slip.data.form !== '06') throw new Error('wrong form');
    expect(slip.data.rows[1]!.result).toBe('Chờ bổ sung giấy tờ. Giấy chứng sinh; Văn bản ủy quyền (được chứng thực); Nộp bản có chứng thực của UBND cấp xã.');
    expect(slip.flat).not.toContain(SUPPLEMENT_HEADING);
  });

  it('before reception the receipt is a receipt of submission (no appointment, no form number); form 01 once received; none once refused', async () => {
    const opts = { baseUrl: 'https://xaso.example.vn', now: new Date('2026-03-24T10:30:00+07:00') };
    const r = await receiptFor(h.db, pending.dossier, opts);
    if (!r.ok || r.data.form !== 'submission') throw new Error('expected a receipt of submission');
    const pdf = await renderForm(r.data);
    keep(`bien-nhan-nop-${pending.dossier.code}.pdf`, pdf);
    const { flat, pages } = await pdfText(pdf);
    expect(pages).toBe(1);
    expect(flat).toContain('PHƯỜNG TÂN NINH');
    expect(flat).toContain('BỘ PHẬN MỘT CỬA');
    expect(flat).toContain('GIẤY BIÊN NHẬN HỒ SƠ NỘP TRỰC TUYẾN');
    expect(flat).toContain(`Mã hồ sơ: ${pending.dossier.code}`);
    expect(flat).toContain('Giấy này chưa phải Giấy tiếp nhận hồ sơ và hẹn trả kết quả');
    expect(flat).toContain('Tân Ninh, ngày 24 tháng 03 năm 2026');
    expect(flat).toContain('đã được nộp trực tuyến đến Bộ phận một cửa UBND Phường Tân Ninh');
    expect(flat).toContain('Lê Thị Chờ');
    expect(flat).toContain('Thủ tục đăng ký khai sinh (mã thủ tục 1.001193)');
    // Every paper of the case is listed; nothing was attached to this one.
    expect(r.data.papers.length).toBeGreaterThan(1);
    for (const p of r.data.papers) expect(flat).toContain(p.name.replace(/\s+/g, ' ').slice(0, 40));
    expect(flat.match(/Chưa nộp/g)).toHaveLength(r.data.papers.length);
    expect(flat).toContain('Thời gian nộp hồ sơ: 09 giờ 00 phút, ngày 24 tháng 03 năm 2026');
    expect(flat).toContain('Ngày hẹn trả kết quả: sẽ ghi khi cán bộ tiếp nhận hồ sơ (hồ sơ đủ giấy tờ)');
    expect(flat).toContain('Tình trạng hồ sơ lúc 10 giờ 30 phút, ngày 24 tháng 03 năm 2026: Đã nộp, chờ tiếp nhận');
    expect(flat).toContain(`Tra cứu tình trạng hồ sơ: https://xaso.example.vn/tra-cuu?ma=${pending.dossier.code}`);
    expect(pdf.includes('/Subtype /Image')).toBe(true); // the QR code to that page
    expect(flat).toContain('không cần chữ ký');
    // It must not pass for form 01: no form number, no appointment, no tracking-book entry, no receiving officer.
    expect(flat).not.toContain('Mẫu số');
    expect(flat).not.toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(flat).not.toContain('Thời gian trả kết quả giải quyết hồ sơ');
    expect(flat).not.toContain('Quyển số');
    expect(flat).not.toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');

    // Waiting for papers asked before reception: still a receipt of submission, with the status as it is.
    const waiting = await receiptFor(h.db, (await findDossier(h.db, COMMUNE, asked.dossier.id))!, opts);
    expect(waiting).toMatchObject({ ok: true, data: { form: 'submission', status: 'Chờ bổ sung giấy tờ' } });
    // Received: the same download is form 01.
    expect(await receiptFor(h.db, full.dossier, opts)).toMatchObject({ ok: true, data: { form: '01' } });
    // Refused before reception: neither; and /mau/01 stays form 01 only.
    expect(await receiptFor(h.db, refused.dossier, opts)).toMatchObject({ ok: false, reason: 'not_received' });
    expect(await formData(h.db, COMMUNE, pending.dossier.id, '01')).toMatchObject({ ok: false, reason: 'not_received' });
  });

  it('04: apology with the old and the new appointment and the reason', async () => {
    const { flat } = await form('04', full);
    header(flat, '04');
    expect(flat).toContain('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN');
    expect(flat).toContain(full.dossier.code);
    expect(flat).toContain('Nguyễn Thị Lan');
    expect(flat).toContain('Ngày hẹn trả cũ: Thứ Sáu, 13/03/2026');
    expect(flat).toContain('Ngày hẹn trả mới: Thứ Tư, 18/03/2026');
    expect(flat).toContain('Giấy khai sinh phải in và ký lại do sai chính tả tên người cha.');
    expect(flat).toContain('Tân Ninh, ngày 16 tháng 03 năm 2026');
    expect(flat).toContain('TM. ỦY BAN NHÂN DÂN');
  });

  it('05: stop notice with the reason', async () => {
    const { flat } = await form('05', stopped);
    header(flat, '05');
    expect(flat).toContain('THÔNG BÁO');
    expect(flat).toContain('Về việc dừng giải quyết hồ sơ');
    expect(flat).toContain(stopped.dossier.code);
    expect(flat).toContain('Võ Thị Hoa');
    expect(flat).toContain('Tòa án đang thụ lý tranh chấp về việc xác định cha cho trẻ');
    expect(flat).toContain('Ngày 20 tháng 03 năm 2026');
  });

  it('06: one row per step, each marked against the due date in force then', async () => {
    const { data, flat } = await form('06', full);
    header(flat, '06');
    expect(flat).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(flat).toContain(full.dossier.code);
    expect(flat).toContain('Nguyễn Thị Lan');
    if (data.form !== '06') throw new Error('wrong form');
    expect(data.rows).toHaveLength(FULL_FLOW.length + 1);
    // Steps before receipt have no due date; after it: 11/03, then 13/03 after the pause, then 18/03 after the apology.
    expect(data.rows.map((r) => [r.step, r.dueInForce, r.timeliness])).toEqual([
      ['Nộp hồ sơ trực tuyến', null, null],
      ['Yêu cầu bổ sung, hoàn thiện hồ sơ', null, null],
      ['Nộp bổ sung giấy tờ', null, null],
      ['Tiếp nhận hồ sơ', '2026-03-11', 'early'],
      ['Chuyển chuyên viên xử lý', '2026-03-11', 'early'],
      ['Yêu cầu bổ sung, hoàn thiện hồ sơ', '2026-03-11', 'early'],
      ['Nộp bổ sung giấy tờ', '2026-03-13', 'early'],
      ['Thẩm định xong, trình lãnh đạo', '2026-03-13', 'early'],
      ['Phê duyệt, ký kết quả', '2026-03-13', 'on_time'],
      ['Xin lỗi và hẹn lại ngày trả (mẫu 04)', '2026-03-13', 'late'],
      ['Trả kết quả', '2026-03-18', 'on_time'],
    ]);
    expect(data.rows[4]).toMatchObject({ from: 'Bộ phận một cửa UBND Phường Tân Ninh', to: 'Chuyên viên xử lý' });
    // Every row is printed with its mark.
    const marks = flat.match(/Chưa tính hạn|Sớm|Đúng hạn|Quá hạn/g) ?? [];
    expect(marks.filter((m) => m === 'Chưa tính hạn')).toHaveLength(3);
    expect(marks.filter((m) => m === 'Sớm').length).toBeGreaterThanOrEqual(5);
    expect(marks.filter((m) => m === 'Đúng hạn').length).toBeGreaterThanOrEqual(2);
    expect(marks.filter((m) => m === 'Quá hạn').length).toBeGreaterThanOrEqual(1);
    expect(flat).toContain('Giao: Bộ phận một cửa UBND Phường Tân Ninh');
    expect(flat).toContain('Nhận: Chuyên viên xử lý');
    expect(flat).toContain('Phạm Văn Lãnh Đạo');
  });

  it('07: the tracking book, as Excel and as PDF, numbered as the receipts are', async () => {
    const book = await trackingBookData(h.db, COMMUNE, '2026-03-01', '2026-03-31', { now: new Date('2026-03-31T10:00:00+07:00') });
    expect(book.rows.map((r) => r.code)).toEqual([full.dossier.code, stopped.dossier.code, late.dossier.code]);
    const xlsx = await renderTrackingBookXlsx(book);
    keep('so-theo-doi.xlsx', xlsx);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell(2, 1).value).toBe('SỔ THEO DÕI HỒ SƠ');
    expect(ws.getRow(5).values).toEqual([
      undefined,
      'STT',
      'Số vào sổ',
      'Mã hồ sơ',
      'Người nộp',
      'Mã thủ tục',
      'Tên thủ tục',
      'Ngày nhận',
      'Hẹn trả',
      'Ngày có kết quả',
      'Ngày trả kết quả',
      'Tình trạng',
      'Tiến độ',
    ]);
    const row = (i: number) => (ws.getRow(6 + i).values as unknown[]).slice(1);
    expect(row(0)).toEqual([
      1,
      '1/2026',
      full.dossier.code,
      'Nguyễn Thị Lan',
      '1.001193',
      'Thủ tục đăng ký khai sinh',
      new Date('2026-03-10T10:15:00Z'), // local wall-clock time, as Excel has no zones
      new Date('2026-03-18T00:00:00Z'),
      new Date('2026-03-13T10:00:00Z'),
      new Date('2026-03-18T09:00:00Z'),
      'Đã trả kết quả',
      'Đúng hạn', // decided on the due date in force then (13/03), before the apology moved it
    ]);
    expect(row(1)).toMatchObject({ 1: '2/2026', 3: 'Võ Thị Hoa', 10: 'Dừng giải quyết' });
    expect(row(1)[11]).toBeUndefined();
    expect(row(2)).toMatchObject({ 1: '3/2026', 3: 'Phạm Văn Bình', 10: 'Đã tiếp nhận', 11: 'Đã quá hạn' });
    expect(String(ws.getRow(10).getCell(1).value)).toContain('Tổng số: 3 hồ sơ');

    const pdf = await renderTrackingBookPdf(book);
    keep('so-theo-doi.pdf', pdf);
    const { flat } = await pdfText(pdf);
    expect(flat).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(flat).toContain('Từ ngày 01/03/2026 đến ngày 31/03/2026');
    for (const r of book.rows) expect(flat).toContain(r.code);
    expect(flat).toContain('Tổng số: 3 hồ sơ');

    // The receipt prints the same entry numbers.
    const receipt = await formData(h.db, COMMUNE, late.dossier.id, '01');
    expect(receipt.ok && receipt.data.form === '01' && receipt.data.bookEntry).toEqual({ book: '2026', no: 3 });
    // A period starting mid-month keeps the year's numbering.
    const later = await trackingBookData(h.db, COMMUNE, '2026-03-15', '2026-03-31');
    expect(later.rows.map((r) => r.entryNo)).toEqual([2, 3]);
  });
});
