/**
 * A birth registration (1.001193) from submission to result, end to end in
 * Chromium with JavaScript OFF for everyone, against the real server:
 *
 * - the citizen signs in and submits online through the one-question-per-page
 *   wizard, uploading an authorisation (PNG) and a birth certificate (PDF);
 * - the receiving officer asks for a supplement (the authorisation, certified);
 * - the citizen reads the request on their dossier page, uploads the paper
 *   from the page's link and sends it with “Nộp bổ sung”;
 * - the officer accepts (which sets the due date) and assigns, the specialist
 *   appraises, the leader approves, the officer returns the result;
 * - the public tracking page (code + last four phone digits) and the citizen's
 *   own dossier page show every step and the due date the office page shows;
 * - forms 01, 02 and 06 of that dossier (and the citizen's own receipt) are
 *   downloaded from the pages' links and their text read back.
 *
 * Forms 03 (refusal) and 04 (apology, new appointment) cannot occur on that
 * path, so a second test submits two short dossiers at the counter: one is
 * refused, the other accepted then given a new appointment; their forms are
 * read back and the public tracking page shows the refusal and the new date.
 * Each person works in their own browser; axe checks every page visited.
 */
import type { Locator } from 'playwright-core';
import { expect, it } from 'vitest';
import { addWorkingDays, loadDefaultCalendar } from '../src/calendar/index.js';
import { DEMO_CITIZENS, demoStaff } from '../src/demo/seed.js';
import { tinyPdf, tinyPng } from '../src/dossiers/submit/test-files.js';
import { pdfAt, signIn } from './flows.js';
import { describeInBrowser, follow, uniquePhone, visit, type TrackedPage } from './harness.js';
import { flatten, type PdfText } from './pdf-text.js';

/** Generous: two cores, a dozen browsers' worth of pages each checked by axe, and other suites running alongside. */
const FLOW_TIMEOUT = 480_000;
const BIRTH = '1.001193';
const PROCEDURE_NAME = 'Thủ tục đăng ký khai sinh';
const COMMUNE = '25459';

const CITIZEN = DEMO_CITIZENS.find((p) => p.phone === '0912000001');
if (!CITIZEN || CITIZEN.fullName !== 'Nguyễn Thị Lan' || CITIZEN.commune !== COMMUNE) throw new Error('demo data changed: 0912000001 is no longer Nguyễn Thị Lan of Phường Tân Ninh');
function staff(login: string) {
  const s = demoStaff().find((x) => x.login === login);
  if (!s) throw new Error(`demo data changed: no ${login}`);
  return s;
}
const OFFICER = staff('tiepnhan.tanninh@demo.xaso.vn');
const SPECIALIST = staff('chuyenvien.tanninh@demo.xaso.vn');
const LEADER = staff('lanhdao.tanninh@demo.xaso.vn');

const OFFICE = `/can-bo/xa/${COMMUNE}/ho-so`;
/** What the officer types when asking for the supplement (ticking the paper adds its name above it). */
const SUPPLEMENT_NOTE = 'Văn bản ủy quyền đã nộp là bản chụp chưa chứng thực: nộp bản có chứng thực của UBND cấp xã hoặc công chứng.';
const DATE_RE = /\b(\d{2})\/(\d{2})\/(\d{4})\b/;

// The first start loads the national catalog: allow for it.
describeInBrowser('dossier back office in the browser', { readyTimeoutMs: 180_000, setupTimeoutMs: 240_000 }, (suite) => {
  // ------------------------------------------------------------ helpers

  /** Everyone works with JavaScript off. */
  const open = () => suite.open(false);

  /** A new browser for one person, signed in with the demo password. */
  async function openAs(login: string): Promise<TrackedPage> {
    const t = await open();
    await signIn(t, login);
    expect(new URL(t.page.url()).pathname, `${login} signed in`).not.toBe('/dang-nhap');
    return t;
  }

  const path = (t: TrackedPage) => new URL(t.page.url()).pathname;
  const text = async (loc: Locator) => flatten((await loc.textContent()) ?? '');
  const main = (t: TrackedPage) => text(t.page.locator('main'));

  /** The form of one action on the office dossier page: a region named by its heading. */
  const action = (t: TrackedPage, name: string) => t.page.getByRole('region', { name, exact: true });
  const notice = (t: TrackedPage) => text(t.page.locator('.notice.success'));

  async function upload(t: TrackedPage, button: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await t.page.getByLabel('Chọn ảnh chụp hoặc tệp PDF').setInputFiles(file);
    await follow(t, t.page.getByRole('button', { name: button, exact: true }));
  }
  const skipPaper = (t: TrackedPage) => follow(t, t.page.locator('main').getByRole('link', { name: /^Bỏ qua:/ }));

  /** The titles of the citizen-facing timeline (public tracking page and the citizen's dossier page). */
  const timelineTitles = async (t: TrackedPage) => (await t.page.locator('ol.timeline .timeline-what strong').allTextContents()).map(flatten);

  /** The one href of the links to form `no` on an office dossier page (the done notice and the history may both link it). */
  async function formHref(t: TrackedPage, no: string): Promise<string> {
    const links = t.page.locator('main').getByRole('link', { name: new RegExp(`\\(mẫu ${no}\\)$`) });
    const hrefs = new Set(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))));
    expect([...hrefs], `links to form ${no}`).toHaveLength(1);
    return [...hrefs][0]!;
  }

  /** "dd/mm/yyyy" → "ngày dd tháng mm năm yyyy", as the forms write a date. */
  function inWords(ddmmyyyy: string): string {
    const [, d, m, y] = DATE_RE.exec(ddmmyyyy)!;
    return `ngày ${d} tháng ${m} năm ${y}`;
  }
  const toIso = (ddmmyyyy: string) => ddmmyyyy.split('/').reverse().join('-');
  const fromIso = (iso: string) => iso.split('-').reverse().join('/');

  /** Everything every dossier form prints: its title, the dossier, the applicant, the procedure, the commune. */
  function expectFormBasics(pdf: PdfText, no: string, title: string, code: string, applicant: string): void {
    expect(pdf.flat, `form ${no}`).toContain(`Mẫu số ${no}`);
    expect(pdf.flat, `form ${no}`).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(pdf.flat, `form ${no}`).toContain('PHƯỜNG TÂN NINH');
    expect(pdf.flat, `form ${no}`).toContain(title);
    expect(pdf.flat, `form ${no}`).toContain(code);
    expect(pdf.flat, `form ${no}`).toContain(applicant);
    expect(pdf.flat.toLowerCase(), `form ${no}`).toContain(PROCEDURE_NAME.toLowerCase());
    expect(pdf.flat, `form ${no}`).toContain(BIRTH);
  }

  /** The public look-up, in a browser nobody signed in to. */
  async function track(t: TrackedPage, code: string, phone: string): Promise<void> {
    await visit(t, '/tra-cuu');
    await t.page.getByLabel('Mã hồ sơ').fill(code);
    await t.page.getByLabel('4 số cuối của số điện thoại').fill(phone.slice(-4));
    await follow(t, t.page.getByRole('button', { name: 'Tra cứu' }));
    expect(await text(t.page.locator('#ket-qua'))).toBe(`Hồ sơ ${code}`);
  }

  /** A receiving officer submits a birth registration at the counter for someone without an account; returns the office page's path and the code. */
  async function counterSubmission(officer: TrackedPage, applicant: { name: string; phone: string }): Promise<{ code: string; officePath: string }> {
    const { page } = officer;
    await visit(officer, '/can-bo/nop-thay');
    await page.getByLabel('Mã thủ tục').fill(BIRTH);
    await follow(officer, page.getByRole('button', { name: 'Bắt đầu' }));
    expect(path(officer)).toMatch(/^\/can-bo\/nop-thay\/ban-nhap\/[0-9a-f-]{36}\/nguoi-nop$/);
    await page.getByLabel('Họ và tên').fill(applicant.name);
    await page.getByLabel('Số điện thoại di động (nếu có)').fill(applicant.phone);
    await page.getByLabel('Địa chỉ (nếu có)').fill('Khu phố 2, phường Tân Ninh');
    await follow(officer, page.getByRole('button', { name: 'Lưu và tiếp tục' }));
    await page.getByRole('radio', { name: 'Giấy tờ phải nộp' }).check();
    await follow(officer, page.getByRole('button', { name: 'Lưu và tiếp tục' }));
    for (const n of [0, 1, 2]) {
      expect(path(officer)).toMatch(new RegExp(`/giay-to/${n}$`));
      await skipPaper(officer);
    }
    await upload(officer, 'Tải lên và tiếp tục', { name: 'scan-giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: tinyPdf('scan chung sinh') });
    expect(path(officer)).toMatch(/\/xem-lai$/);
    await follow(officer, page.getByRole('link', { name: 'Tiếp tục' }));
    await page.getByLabel(/^Người dân đã đồng ý/).check();
    await follow(officer, page.getByRole('button', { name: 'Nộp hồ sơ thay người dân' }));
    expect(path(officer)).toMatch(/\/da-nop$/);
    const code = await text(page.locator('#ma-ho-so'));
    expect(code).toMatch(/^25459-\d{6}-\d{4}$/);
    await follow(officer, page.getByRole('link', { name: 'Mở hồ sơ trong khu làm việc của cán bộ' }));
    expect(path(officer)).toMatch(new RegExp(`^${OFFICE}/[0-9a-f-]{36}$`));
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe(`Hồ sơ ${code}`);
    return { code, officePath: path(officer) };
  }

  // ------------------------------------------------------------ the happy path

  it(
    'online with uploads → supplement requested → supplemented → accepted → appraised → approved → returned; tracked with its due date; forms 01, 02, 06 read back',
    async () => {
      // 1. The citizen submits online, one question per page.
      const citizen = await openAs(CITIZEN.phone);
      const cp = citizen.page;
      await visit(citizen, `/nop-ho-so/${BIRTH}`);
      expect(await text(cp.getByRole('heading', { level: 1 }).first())).toBe('Nộp hồ sơ trực tuyến');
      await follow(citizen, cp.getByRole('button', { name: /^Bắt đầu/ }));
      expect(path(citizen)).toMatch(/^\/nop-ho-so\/ban-nhap\/[0-9a-f-]{36}\/nguoi-nop$/);
      const draft = path(citizen).replace(/\/nguoi-nop$/, '');
      expect(await cp.getByLabel('Họ và tên').inputValue()).toBe(CITIZEN.fullName);
      expect(await cp.getByLabel('Số điện thoại di động').inputValue()).toBe(CITIZEN.phone);
      await cp.getByLabel('Địa chỉ nơi bạn đang ở').fill('Số 12, khu phố 3, phường Tân Ninh');
      await follow(citizen, cp.getByRole('button', { name: 'Lưu và tiếp tục' }));
      expect(path(citizen)).toBe(`${draft}/noi-nop`);
      expect(await cp.getByLabel('Nộp hồ sơ tại xã, phường nào?').inputValue()).toBe(COMMUNE);
      await follow(citizen, cp.getByRole('button', { name: 'Lưu và tiếp tục' }));
      expect(path(citizen)).toBe(`${draft}/truong-hop`);
      await cp.getByRole('radio', { name: 'Giấy tờ phải nộp' }).check();
      await follow(citizen, cp.getByRole('button', { name: 'Lưu và tiếp tục' }));
      expect(path(citizen)).toBe(`${draft}/giay-to/0`);
      await skipPaper(citizen);
      expect(path(citizen)).toBe(`${draft}/giay-to/1`);
      expect(await text(cp.getByRole('heading', { level: 1 }))).toMatch(/^Văn bản ủy quyền/);
      await upload(citizen, 'Tải lên và tiếp tục', { name: 'uy-quyen.png', mimeType: 'image/png', buffer: await tinyPng(3) });
      expect(path(citizen)).toBe(`${draft}/giay-to/2`);
      await skipPaper(citizen);
      expect(path(citizen)).toBe(`${draft}/giay-to/3`);
      expect(await text(cp.getByRole('heading', { level: 1 }))).toMatch(/^Giấy chứng sinh/);
      await upload(citizen, 'Tải lên và tiếp tục', { name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: tinyPdf('giay chung sinh') });
      expect(path(citizen)).toBe(`${draft}/xem-lai`);
      const review = await main(citizen);
      for (const s of ['uy-quyen.png', 'giay-chung-sinh.pdf', 'Số 12, khu phố 3', CITIZEN.fullName]) expect(review).toContain(s);
      await follow(citizen, cp.getByRole('link', { name: 'Tiếp tục' }));
      expect(path(citizen)).toBe(`${draft}/cam-doan`);
      await cp.getByLabel(/^Tôi cam đoan/).check();
      await follow(citizen, cp.getByRole('button', { name: 'Nộp hồ sơ' }));
      expect(path(citizen)).toBe(`${draft}/da-nop`);
      const code = await text(cp.locator('#ma-ho-so'));
      expect(code).toMatch(/^25459-\d{6}-\d{4}$/);
      const ownPath = (await cp.getByRole('link', { name: 'Theo dõi hồ sơ này' }).getAttribute('href')) ?? '';
      expect(ownPath).toMatch(/^\/ho-so\/[0-9a-f-]{36}$/);
      const officePath = `${OFFICE}/${ownPath.slice('/ho-so/'.length)}`;

      // 2. The receiving officer finds it in the queue to receive and asks for a supplement, all at once.
      const officer = await openAs(OFFICER.login);
      const op = officer.page;
      await visit(officer, OFFICE);
      expect(await text(op.getByRole('heading', { level: 2 }).first())).toContain('Chờ tiếp nhận');
      await follow(officer, op.getByRole('link', { name: code }));
      expect(path(officer)).toBe(officePath);
      const submitted = await main(officer);
      expect(submitted).toContain(CITIZEN.fullName);
      expect(submitted).toContain('Số 12, khu phố 3, phường Tân Ninh');
      expect(await op.getByRole('link', { name: 'Tải uy-quyen.png' }).count()).toBe(1);
      expect(await op.getByRole('link', { name: 'Tải giay-chung-sinh.pdf' }).count()).toBe(1);
      const supplement = action(officer, 'Yêu cầu bổ sung, hoàn thiện hồ sơ');
      await supplement.getByRole('checkbox', { name: /^2\. Văn bản ủy quyền/ }).check();
      await supplement.getByLabel('Nội dung cần bổ sung, hoàn thiện').fill(SUPPLEMENT_NOTE);
      await follow(officer, supplement.getByRole('button', { name: 'Yêu cầu bổ sung, hoàn thiện hồ sơ' }));
      expect(await notice(officer)).toContain('Đã gửi yêu cầu bổ sung');
      expect(await text(op.locator('.office-status'))).toContain('Chờ bổ sung giấy tờ');
      const form02 = await formHref(officer, '02');
      expect(form02).toBe(`${officePath}/mau/02`);

      // 3. The citizen reads the request on their dossier page, uploads the paper asked for and sends it.
      await visit(citizen, '/ho-so-cua-toi');
      await follow(citizen, cp.getByRole('link', { name: new RegExp(`^${code}: ${PROCEDURE_NAME}`) }));
      expect(path(citizen)).toBe(ownPath);
      const waiting = await text(cp.locator('.status-block'));
      expect(waiting).toContain('Chờ bổ sung giấy tờ');
      expect(waiting).toContain('Đang chờ bạn bổ sung');
      expect(waiting).toContain('Văn bản ủy quyền (được chứng thực)');
      expect(waiting).toContain(SUPPLEMENT_NOTE);
      const panel = cp.getByRole('region', { name: 'Bổ sung giấy tờ' });
      expect(await text(panel)).toContain('Chưa tải lên giấy tờ bổ sung nào');
      await follow(citizen, panel.getByRole('link', { name: /^Văn bản ủy quyền/ }));
      expect(path(citizen)).toBe(`${ownPath}/bo-sung/1`);
      expect(await main(citizen)).toContain(`Bổ sung giấy tờ cho hồ sơ ${code}`);
      await upload(citizen, 'Tải lên', { name: 'uy-quyen-chung-thuc.pdf', mimeType: 'application/pdf', buffer: tinyPdf('uy quyen chung thuc') });
      expect(path(citizen)).toBe(ownPath);
      expect(await notice(citizen)).toContain('Đã tải lên giấy tờ bổ sung');
      expect(await text(panel)).toContain('uy-quyen-chung-thuc.pdf');
      await follow(citizen, panel.getByRole('button', { name: 'Nộp bổ sung' }));
      expect(path(citizen)).toBe(ownPath);
      expect(await notice(citizen)).toContain('Đã nộp bổ sung');
      expect(await text(cp.locator('.status-block'))).toContain('Đã nộp, chờ tiếp nhận');
      expect(await cp.getByRole('region', { name: 'Bổ sung giấy tờ' }).count()).toBe(0);

      // 4. Back in the queue to receive: the officer sees the new paper, accepts (ticking each paper checked) and assigns.
      await visit(officer, OFFICE);
      await follow(officer, op.getByRole('link', { name: code }));
      expect(await op.getByRole('link', { name: 'Tải uy-quyen-chung-thuc.pdf' }).count()).toBe(1);
      const accept = action(officer, 'Tiếp nhận hồ sơ');
      for (const box of await accept.getByRole('checkbox').all()) await box.check();
      await follow(officer, accept.getByRole('button', { name: 'Tiếp nhận hồ sơ' }));
      const accepted = await notice(officer);
      expect(accepted).toContain('Đã tiếp nhận hồ sơ');
      const due = DATE_RE.exec(accepted)?.[0] ?? '';
      expect(due, accepted).toMatch(DATE_RE);
      expect(await text(op.locator('.office-status'))).toContain(`Hẹn trả: ${due}`);
      expect(await formHref(officer, '01')).toBe(`${officePath}/mau/01`);

      // The citizen sees the same due date in their list and on their page while it is being processed.
      await visit(citizen, '/ho-so-cua-toi');
      const listed = cp.getByRole('listitem').filter({ has: cp.getByRole('link', { name: new RegExp(`^${code}:`) }) });
      expect(await text(listed)).toContain(`Đã tiếp nhận · Hẹn trả ${due}`);
      await follow(citizen, listed.getByRole('link'));
      expect(path(citizen)).toBe(ownPath);
      expect(await text(cp.locator('.status-block'))).toContain(`Hẹn trả kết quả: ${due}.`);

      const assign = action(officer, 'Chuyển chuyên viên xử lý');
      await assign.getByLabel('Chuyên viên xử lý').selectOption({ label: SPECIALIST.fullName });
      await follow(officer, assign.getByRole('button', { name: 'Chuyển chuyên viên xử lý' }));
      expect(await notice(officer)).toContain('Đã chuyển hồ sơ cho chuyên viên');

      // The specialist finds it among their own and appraises.
      const specialist = await openAs(SPECIALIST.login);
      await visit(specialist, `${OFFICE}?hang=xu-ly&cua-toi=1`);
      await follow(specialist, specialist.page.getByRole('link', { name: code }));
      const appraise = action(specialist, 'Thẩm định xong, trình lãnh đạo');
      await appraise.getByLabel('Ý kiến thẩm định (không bắt buộc)').fill('Đủ điều kiện đăng ký khai sinh.');
      await follow(specialist, appraise.getByRole('button', { name: 'Thẩm định xong, trình lãnh đạo' }));
      expect(await notice(specialist)).toContain('Đã thẩm định xong');

      // The leader approves from the queue to approve.
      const leader = await openAs(LEADER.login);
      await visit(leader, `${OFFICE}?hang=phe-duyet`);
      await follow(leader, leader.page.getByRole('link', { name: code }));
      await follow(leader, action(leader, 'Phê duyệt, ký kết quả').getByRole('button', { name: 'Phê duyệt, ký kết quả' }));
      expect(await notice(leader)).toContain('Đã phê duyệt kết quả');

      // The officer returns the result.
      await visit(officer, `${OFFICE}?hang=tra-ket-qua`);
      await follow(officer, op.getByRole('link', { name: code }));
      await follow(officer, action(officer, 'Trả kết quả').getByRole('button', { name: 'Trả kết quả' }));
      expect(await notice(officer)).toContain('Đã trả kết quả');
      const status = await text(op.locator('.office-status'));
      expect(status).toContain('Đã trả kết quả');
      expect(status).toContain(`Hẹn trả: ${due}`);
      expect((await op.locator('.office-timeline > li > strong').allTextContents()).map(flatten)).toEqual([
        'Nộp hồ sơ',
        'Yêu cầu bổ sung, hoàn thiện hồ sơ',
        // The upload is its own event (it changes the dossier), before the citizen sends the supplement.
        'Đã tải lên giấy tờ bổ sung',
        'Nộp bổ sung giấy tờ',
        'Tiếp nhận hồ sơ',
        'Chuyển chuyên viên xử lý',
        'Thẩm định xong, trình lãnh đạo',
        'Phê duyệt, ký kết quả',
        'Trả kết quả',
      ]);
      expect(await text(op.locator('.office-timeline'))).toContain(SUPPLEMENT_NOTE);
      expect(await text(op.locator('.office-timeline > li').nth(4))).toContain(`hẹn trả ${due}`);

      // 5. Tracking. The public page, code and last four digits, in a browser nobody signed in to.
      const steps = [
        'Đã nộp hồ sơ trực tuyến',
        'Yêu cầu bổ sung giấy tờ',
        'Đã tải lên giấy tờ bổ sung',
        'Đã nộp bổ sung giấy tờ',
        'Đã tiếp nhận hồ sơ',
        'Chuyển chuyên viên giải quyết',
        'Đã thẩm định, trình lãnh đạo ký',
        'Đã có kết quả, chờ trả',
        'Đã trả kết quả',
      ];
      const visitor = await open();
      await track(visitor, code, CITIZEN.phone);
      const tracked = await main(visitor);
      expect(tracked).toContain(PROCEDURE_NAME);
      expect(tracked).toContain('Trạng thái: Đã trả kết quả');
      expect(await timelineTitles(visitor)).toEqual(steps);
      const publicItems = visitor.page.locator('ol.timeline > li');
      expect(await text(publicItems.nth(1))).toContain(`Cần bổ sung: Giấy tờ cần bổ sung: - Văn bản ủy quyền`);
      expect(await text(publicItems.nth(1))).toContain(SUPPLEMENT_NOTE);
      expect(await text(publicItems.nth(3))).toContain('Người nộp hồ sơ');
      expect(await text(publicItems.nth(4))).toContain(`Hẹn trả kết quả: ${due}`);
      // Nobody is named on the public page.
      for (const who of [CITIZEN.fullName, OFFICER.fullName, SPECIALIST.fullName, LEADER.fullName]) expect(tracked).not.toContain(who);

      // The citizen's own page: the same steps, theirs marked "Bạn", and the receipt to download.
      await visit(citizen, '/ho-so-cua-toi');
      await follow(citizen, cp.getByRole('link', { name: new RegExp(`^${code}:`) }));
      expect(await timelineTitles(citizen)).toEqual(steps);
      const ownItems = cp.locator('ol.timeline > li');
      expect(await text(ownItems.nth(0))).toContain('Bạn');
      expect(await text(ownItems.nth(3))).toContain('Bạn');
      expect(await text(ownItems.nth(4))).toContain(`Hẹn trả kết quả: ${due}`);
      expect(await main(citizen)).toContain('uy-quyen-chung-thuc.pdf');
      expect(await cp.getByRole('region', { name: 'Đánh giá sự hài lòng' }).count()).toBe(1);
      const ownReceipt = await pdfAt(citizen, (await cp.getByRole('link', { name: 'Tải giấy biên nhận (PDF)' }).getAttribute('href')) ?? '');
      expectFormBasics(ownReceipt, '01', 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', code, CITIZEN.fullName);

      // 6. Forms, from the links on the officer's dossier page.
      const receipt = await pdfAt(officer, await formHref(officer, '01'));
      expectFormBasics(receipt, '01', 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', code, CITIZEN.fullName);
      // The appointment is the due date the pages show; the paper asked for counts both its files.
      expect(receipt.flat).toMatch(new RegExp(`Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, [^,]+, ${inWords(due)}\\.`));
      expect(receipt.flat).toMatch(/Văn bản ủy quyền \(được chứng thực\) .*\(đã tải lên 2 tệp\)/);
      expect(receipt.flat).toMatch(/Giấy chứng sinh; .*\(đã tải lên 1 tệp\)/);
      expect(receipt.flat).toContain('Hình thức: nộp trực tuyến');
      expect(receipt.flat).toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
      expect(receipt.flat).toContain(OFFICER.fullName);
      expect(receipt.flat).toContain(`/tra-cuu?ma=${code}`);

      const request = await pdfAt(officer, form02);
      expectFormBasics(request, '02', 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', code, CITIZEN.fullName);
      expect(request.flat).toContain('Văn bản ủy quyền (được chứng thực)');
      expect(request.flat).toContain(SUPPLEMENT_NOTE);
      expect(request.flat).toContain('đầy đủ, một lần');
      expect(request.flat).toContain(OFFICER.fullName);

      const slip = await pdfAt(officer, await formHref(officer, '06'));
      expectFormBasics(slip, '06', 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', code, CITIZEN.fullName);
      for (const who of [OFFICER.fullName, SPECIALIST.fullName, LEADER.fullName]) expect(slip.flat).toContain(who);
      for (const step of ['Nộp hồ sơ trực tuyến', 'Tiếp nhận hồ sơ', 'Chuyển chuyên viên xử lý', 'Thẩm định xong, trình lãnh đạo', 'Phê duyệt, ký kết quả', 'Trả kết quả']) {
        expect(slip.flat).toContain(step);
      }
      expect(slip.flat).toContain(`Hẹn trả kết quả: ${due}`);
      expect(slip.flat).toContain('Tình trạng hiện nay: Đã trả kết quả');
      // The three steps before receipt run no clock; the five after it are ahead of the due date.
      expect(slip.flat.match(/Chưa tính hạn/g)).toHaveLength(3);
      expect(slip.flat.match(new RegExp(`${due} Sớm`, 'g'))).toHaveLength(5);

      await citizen.finish();
      await visitor.finish();
      await officer.finish();
      await specialist.finish();
      await leader.finish();
    },
    FLOW_TIMEOUT,
  );

  // ------------------------------------------------------------ forms 03 and 04

  it(
    'at the counter: one dossier refused (form 03), another accepted then given a new appointment (form 04); both tracked',
    async () => {
      const officer = await openAs(OFFICER.login);
      const op = officer.page;

      // Refused: the reasons, one per line, go on form 03.
      const hung = { name: 'Trần Văn Hùng', phone: uniquePhone() };
      const refused = await counterSubmission(officer, hung);
      const refuse = action(officer, 'Từ chối tiếp nhận');
      await refuse.getByLabel('Lý do từ chối tiếp nhận').fill('Trẻ đã được đăng ký khai sinh tại UBND xã khác\nNgười đi đăng ký không phải cha, mẹ hoặc người được ủy quyền');
      await follow(officer, refuse.getByRole('button', { name: 'Từ chối tiếp nhận' }));
      expect(await notice(officer)).toContain('Đã từ chối tiếp nhận hồ sơ');
      expect(await text(op.locator('.office-status'))).toContain('Bị từ chối tiếp nhận');
      const form03 = await formHref(officer, '03');
      expect(form03).toBe(`${refused.officePath}/mau/03`);
      const refusal = await pdfAt(officer, form03);
      expectFormBasics(refusal, '03', 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ', refused.code, hung.name);
      expect(refusal.text).toMatch(/1\.\s+Trẻ đã được đăng ký khai sinh tại UBND xã khác/);
      expect(refusal.text).toMatch(/2\.\s+Người đi đăng ký không phải cha, mẹ hoặc người được ủy quyền/);
      expect(refusal.flat).toContain(OFFICER.fullName);
      // Never received, so there is no receipt to print.
      expect(await op.locator('main').getByRole('link', { name: /\(mẫu 01\)$/ }).count()).toBe(0);
      expect((await op.request.get(new URL(`${refused.officePath}/mau/01`, op.url()).toString())).status()).toBe(404);

      // Accepted, then an apology with a new appointment: form 04 prints both dates and the reason.
      const hoa = { name: 'Võ Thị Hoa', phone: uniquePhone() };
      const late = await counterSubmission(officer, hoa);
      const accept = action(officer, 'Tiếp nhận hồ sơ');
      for (const box of await accept.getByRole('checkbox').all()) await box.check();
      await follow(officer, accept.getByRole('button', { name: 'Tiếp nhận hồ sơ' }));
      const oldDue = DATE_RE.exec(await notice(officer))?.[0] ?? '';
      expect(oldDue).toMatch(DATE_RE);
      const newDue = fromIso(addWorkingDays(toIso(oldDue), 3, await loadDefaultCalendar()));
      const reason = 'Cơ sở dữ liệu hộ tịch đang bảo trì, chưa cấp được số định danh cho trẻ.';
      const apology = action(officer, 'Xin lỗi và hẹn lại ngày trả (mẫu 04)');
      expect(await text(apology)).toContain(`sau ngày hẹn cũ (${oldDue})`);
      await apology.getByLabel('Lý do chậm trả kết quả').fill(reason);
      await apology.getByLabel('Ngày hẹn trả mới').fill(toIso(newDue));
      await follow(officer, apology.getByRole('button', { name: 'Xin lỗi và hẹn lại ngày trả (mẫu 04)' }));
      expect(await notice(officer)).toContain('Đã lập văn bản xin lỗi và hẹn lại ngày trả');
      expect(await text(op.locator('.office-status'))).toContain(`Hẹn trả: ${newDue}`);
      const form04 = await formHref(officer, '04');
      expect(form04).toBe(`${late.officePath}/mau/04`);
      const letter = await pdfAt(officer, form04);
      expectFormBasics(letter, '04', 'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN', late.code, hoa.name);
      expect(letter.flat).toContain('Về việc hẹn lại ngày trả kết quả giải quyết hồ sơ');
      expect(letter.flat).toMatch(new RegExp(`Ngày hẹn trả cũ: [^,]+, ${oldDue}`));
      expect(letter.flat).toMatch(new RegExp(`Ngày hẹn trả mới: [^,]+, ${newDue}`));
      expect(letter.flat).toContain(reason);

      // The public tracking page tells each applicant what happened, and the new date.
      const visitor = await open();
      await track(visitor, refused.code, hung.phone);
      expect(await timelineTitles(visitor)).toEqual(['Đã nộp hồ sơ tại bộ phận một cửa', 'Từ chối tiếp nhận hồ sơ']);
      const refusedTracked = await main(visitor);
      expect(refusedTracked).toContain('Trạng thái: Bị từ chối tiếp nhận');
      expect(refusedTracked).toContain('Lý do: Trẻ đã được đăng ký khai sinh tại UBND xã khác');
      await track(visitor, late.code, hoa.phone);
      expect(await timelineTitles(visitor)).toEqual(['Đã nộp hồ sơ tại bộ phận một cửa', 'Đã tiếp nhận hồ sơ', 'Xin lỗi vì chậm trả kết quả, hẹn lại ngày trả']);
      expect(await text(visitor.page.locator('.status-block'))).toContain(`Hẹn trả kết quả: ${newDue}.`);
      const items = visitor.page.locator('ol.timeline > li');
      expect(await text(items.nth(1))).toContain(`Hẹn trả kết quả: ${oldDue}`);
      expect(await text(items.nth(2))).toContain(`Lý do: ${reason}`);
      expect(await text(items.nth(2))).toContain(`Hẹn trả kết quả: ${newDue}`);

      await visitor.finish();
      await officer.finish();
    },
    FLOW_TIMEOUT,
  );
});
