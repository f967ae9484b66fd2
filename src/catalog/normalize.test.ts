import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CatalogRecordError,
  cleanName,
  mergeDuplicates,
  normalizeFee,
  normalizeRecord,
  onlineLevelOf,
  type RawLine,
  saysFree,
  splitSteps,
} from './normalize.js';
import { procedureSchema } from './procedure.schema.js';

// Loose view of a raw portal record: tests poke at it the way the portal varies it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** Real portal records, trimmed (scripts/extract-catalog-fixtures.ts). */
function fixture(name: string): RawLine & { raw: Loose } {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
}
const norm = (name: string) => normalizeRecord(fixture(name));

const FIXTURES = [
  'raw-1.001193',
  'raw-1.003107',
  'raw-1.003622',
  'raw-1.008002',
  'raw-1.010369',
  'raw-1.012789',
  'raw-1.013562',
  'raw-1.014325',
  'raw-1.014325-space',
  'raw-1.115189',
  'raw-2.001895',
  'raw-3.000382',
  'raw-5.003813',
  'raw-5.003854',
];

describe('normalizeRecord on real records', () => {
  it.each(FIXTURES)('%s gives a Procedure the schema accepts', (name) => {
    expect(() => procedureSchema.parse(norm(name))).not.toThrow();
  });

  it('1.001193 (đăng ký khai sinh): identity, levels, variants, decision, source', () => {
    const p = norm('raw-1.001193');
    expect(p.code).toBe('1.001193');
    expect(p.name).toBe('Thủ tục đăng ký khai sinh');
    expect(p.field).toBe('Hộ tịch');
    expect(p.fieldCode).toBe('G15-TP07');
    expect(p.lifeEvents).toEqual(['co-con-nho']);
    expect(p.levels).toEqual(['commune']);
    expect(p.results).toEqual(['Giấy khai sinh']);
    expect(p.agencies).toEqual(['Ủy ban nhân dân cấp xã']);
    expect(p.variants.map((v) => v.code)).toEqual(['1.001193.02', '1.001193.01']);
    // decisionDate is local midnight (2026-01-16 00:00 +07:00 = 15th 17:00 UTC).
    expect(p.decision).toEqual({ number: '163/QĐ-BTP', date: '2026-01-16', agency: 'Bộ Tư pháp' });
    expect(p.updatedAt).toBe('2026-04-15T08:36:31.512Z');
    expect(p.sourceUrl).toBe(
      'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193',
    );
  });

  it('1.001193: papers by case, bullets stripped, counts kept', () => {
    const p = norm('raw-1.001193');
    expect(p.cases.map((c) => c.name)).toEqual(['Giấy tờ phải nộp', 'Giấy tờ phải xuất trình', 'Lưu ý', '']);
    const submit = p.cases[0]!;
    expect(submit.papers).toHaveLength(4);
    expect(submit.papers.map((x) => x.name)).toContain(
      'Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh.',
    );
    for (const paper of p.cases.flatMap((c) => c.papers)) {
      expect(paper.name).not.toMatch(/^[-+•*]/);
      expect(paper.originals + paper.copies).toBeGreaterThan(0);
    }
    // The form itself, with the portal's double space collapsed.
    expect(p.cases[3]!.papers[0]!.name).toMatch(/^Tờ khai đăng ký khai sinh theo mẫu \(nếu/);
  });

  it('1.001193: fees of 0 with no text are unpublished, never free', () => {
    const p = norm('raw-1.001193');
    expect(p.channels.map((c) => c.channel)).toEqual(['online', 'postal', 'direct']);
    for (const c of p.channels) {
      expect(c.fees).toEqual([{ kind: 'charge', amountVnd: null, text: '', unpublished: true }]);
    }
  });

  it('1.001193: unit "OTHER" takes the unit of the online variant with the same number', () => {
    const p = norm('raw-1.001193');
    for (const c of p.channels) {
      expect(c.time).toEqual({ qty: 1, unit: 'working_day' });
      expect(c.timeText).toBe('1 ngày làm việc');
    }
  });

  it('note rows (0 originals, 0 copies) become notes, not papers', () => {
    const p = norm('raw-1.001193');
    const note =
      'Trường hợp người yêu cầu đã nộp bản điện tử Giấy chứng sinh hoặc cơ quan đăng ký hộ tịch đã khai thác được dữ liệu điện tử có ký số của Giấy chứng sinh thì không phải nộp bản giấy.';
    expect(p.cases[0]!.notes).toEqual([note]);
    expect(p.cases.flatMap((c) => c.papers).map((x) => x.name)).not.toContain(note);
    // A case made only of notes ("Lưu ý") has no papers; "+" sub-points keep their marker.
    const caveats = p.cases[2]!;
    expect(caveats.papers).toEqual([]);
    expect(caveats.notes.some((n) => n.startsWith('+ '))).toBe(true);
    expect(caveats.notes.some((n) => n.startsWith('- '))).toBe(false);
  });

  it('ignores the per-document required flag (false everywhere in the source)', () => {
    const line = fixture('raw-1.001193');
    const flipped = structuredClone(line);
    for (const c of flipped.raw.detail.executionCases) for (const pc of c.profileComponents) pc.required = true;
    expect(normalizeRecord(flipped)).toEqual(normalizeRecord(line));
  });

  it('1.001193: the garbled portal text keeps its words but loses the stray line break and the U+200E mark', () => {
    const line = fixture('raw-1.001193');
    expect(JSON.stringify(line)).toContain('\u200e');
    const p = normalizeRecord(line);
    expect(JSON.stringify(p)).not.toMatch(/[\u200b-\u200f\ufeff]/);
    expect(p.steps.some((s) => s.endsWith('hoàn tất việc sinh tại Trung nộp hồ sơ.'))).toBe(true);
    expect(p.steps[0]).toMatch(/^Nếu lựa chọn hình thức nộp hồ sơ trực tiếp/);
  });

  it('1.003622: end-to-end flag without an online channel → offline, disputed', () => {
    const p = norm('raw-1.003622');
    expect(p.channels.map((c) => c.channel)).toEqual(['postal', 'direct']);
    expect(p.onlineLevel).toBe('offline');
    expect(p.onlineLevelDisputed).toBe(true);
  });

  it('online level from both signals', () => {
    expect(norm('raw-1.012789')).toMatchObject({ onlineLevel: 'full', onlineLevelDisputed: false });
    expect(norm('raw-1.001193')).toMatchObject({ onlineLevel: 'partial', onlineLevelDisputed: false });
    // "offline only" flag next to an online channel
    expect(norm('raw-1.115189')).toMatchObject({ onlineLevel: 'partial', onlineLevelDisputed: true });
    expect(onlineLevelOf({ isFullProcess: false, isOfflineOnly: false, hasOnlineChannel: false })).toEqual({
      onlineLevel: 'offline',
      onlineLevelDisputed: false,
    });
  });

  it('levels come from the flags; commune-level branch offices also carry "vertical"', () => {
    expect(norm('raw-1.008002').levels).toEqual(['commune', 'vertical']); // customs at the border
    expect(norm('raw-1.115189').levels).toEqual(['commune', 'province', 'ministry']);
  });

  it('a decomposed (NFD-mixed) name comes out NFC', () => {
    const line = fixture('raw-1.010369');
    const rawName: string = line.raw.detail.name;
    expect(rawName).not.toBe(rawName.normalize('NFC'));
    const p = normalizeRecord(line);
    expect(p.name).toBe(p.name.normalize('NFC'));
    expect(p.name).toBe('Chấp thuận DNBH triển khai bảo hiểm khai thác hải sản');
    expect(JSON.stringify(p)).toBe(JSON.stringify(p).normalize('NFC'));
    expect(cleanName('ho\u0103\u0323c')).toBe('hoặc');
  });

  it('cleans whitespace and line breaks in names', () => {
    expect(cleanName('  Cấp  lại\n Giấy\tphép \u00a0 ')).toBe('Cấp lại Giấy phép');
    const line = fixture('raw-1.003622');
    line.raw.detail.name = '  Thủ tục thông báo\n tổ chức  lễ hội cấp xã ';
    expect(normalizeRecord(line).name).toBe('Thủ tục thông báo tổ chức lễ hội cấp xã');
  });

  it('a stray space around the code is trimmed', () => {
    const line = fixture('raw-1.014325-space');
    expect(line.raw.code).toBe(' 1.014325');
    expect(normalizeRecord(line).code).toBe('1.014325');
  });
});

describe('fees', () => {
  it('0 with text that says free → amount 0', () => {
    const fees = norm('raw-3.000382').channels.flatMap((c) => c.fees);
    expect(fees[0]).toEqual({ kind: 'fee', amountVnd: 0, text: 'Không thu lệ phí', unpublished: false });
  });

  it('0 with other text → text kept, amount null (an exemption list is not "free")', () => {
    const postal = norm('raw-2.001895').channels.find((c) => c.channel === 'postal')!;
    expect(postal.fees[0]).toMatchObject({ amountVnd: null, unpublished: false });
    expect(postal.fees[0]!.text).toMatch(/^Miễn phí đối với: người di cư từ Lào/);
  });

  it('a small amount with no currency is not taken as VND', () => {
    const online = norm('raw-2.001895').channels.find((c) => c.channel === 'online')!;
    expect(online.fees[0]).toMatchObject({ amountVnd: null, unpublished: false });
    expect(online.fees[0]!.text).toBe(
      'Cổng ghi mức 20, chưa rõ đơn vị tiền tệ — Nếu nộp hồ sơ tại Cơ quan đại diện Việt Nam ở nước ngoài',
    );
  });

  it('a USD fee keeps its amount in the text, not as VND', () => {
    const fee = norm('raw-1.013562').channels[0]!.fees[0]!;
    expect(fee.amountVnd).toBeNull();
    expect(fee.text).toMatch(/^3 USD — /);
  });

  it('a VND amount is kept', () => {
    const fee = norm('raw-1.012789').channels[0]!.fees[0]!;
    expect(fee).toEqual({ kind: 'fee', amountVnd: 10000, text: '10.000 đồng/ bản', unpublished: false });
  });

  it('a null amount with no text is unpublished', () => {
    const fees = norm('raw-1.008002').channels.flatMap((c) => c.fees);
    expect(fees.length).toBeGreaterThan(0);
    for (const f of fees) expect(f).toMatchObject({ amountVnd: null, unpublished: true, text: '' });
  });

  it.each([
    ['Miễn phí', true],
    ['Miễn lệ phí.', true],
    ['Không thu lệ phí', true],
    ['không mất phí', true],
    ['- Không có', true],
    ['Không', true],
    ['Miễn phí đối với các đối tượng sau: người cao tuổi', false],
    ['Không quy định', false],
    ['Chưa có quy định', false],
    ['Theo quy định của Bộ Tài chính', false],
    ['0', false],
  ])('saysFree(%j) = %s', (text, free) => {
    expect(saysFree(text)).toBe(free);
  });

  it('kind: from a leading "Lệ phí"/"Phí" in the text, else from the portal type', () => {
    expect(normalizeFee({ type: 'FEE', value: 50000, description: 'Lệ phí: 50.000 đồng' }).kind).toBe('charge');
    expect(normalizeFee({ type: 'SERVICE_FEE', value: 50000, description: 'Phí thẩm định' }).kind).toBe('fee');
    expect(normalizeFee({ type: 'PRICE_LEVEL', value: 0, description: '' }).kind).toBe('other');
    expect(normalizeFee({ type: '???', value: 0 })).toEqual({ kind: 'other', amountVnd: null, text: '', unpublished: true });
  });
});

describe('processing time', () => {
  it('years become months', () => {
    expect(norm('raw-5.003854').channels[0]!.time).toEqual({ qty: 36, unit: 'month' });
  });

  it('prose instead of a number → time null, prose kept', () => {
    const c = norm('raw-5.003813').channels[0]!;
    expect(c.time).toBeNull();
    expect(c.timeText.split('\n')[0]).toBe('1/12 hàng năm');
  });
});

describe('steps', () => {
  it('splits a packed block on line breaks and bullets, drops empties', () => {
    const steps = splitSteps([
      { name: '', description: '- Bước 1: nộp hồ sơ.\n\n  - Bước 2: tiếp nhận\n+ nếu đủ thì nhận;\n\n' },
    ]);
    expect(steps).toEqual(['Bước 1: nộp hồ sơ.', 'Bước 2: tiếp nhận', '+ nếu đủ thì nhận;']);
  });

  it('glues a line that starts in lower case to the one before, but not "a)" items', () => {
    expect(splitSteps([{ name: '', description: 'Nộp tại Trung \ntâm.\na) Trực tiếp\nb) Qua bưu chính' }])).toEqual([
      'Nộp tại Trung tâm.',
      'a) Trực tiếp',
      'b) Qua bưu chính',
    ]);
  });

  it('step headings come first and a repeated heading is dropped', () => {
    expect(splitSteps([{ name: '* Lưu ý:', description: '* Lưu ý \n- Cá nhân có quyền lựa chọn' }])).toEqual([
      'Lưu ý:',
      'Cá nhân có quyền lựa chọn',
    ]);
  });
});

describe('form files', () => {
  it('come from the attachments: file name and storage path as given', () => {
    const paper = norm('raw-1.003107').cases[0]!.papers[0]!;
    expect(paper.forms).toEqual([
      { name: 'Mu05.docx', url: 'configuring/019d7d81-381e-77fb-a9f6-ac83d8ebda92/Mu05.docx' },
    ]);
  });
});

describe('mergeDuplicates', () => {
  it('merges copies of one procedure: newest wins, life events and variants united', () => {
    const a = fixture('raw-1.001193');
    const b = structuredClone(a);
    b.lifeEventGroup = 'hon-nhan-va-gia-dinh';
    b.raw.detail.updatedAt += 1000;
    b.raw.detail.cases = [{ code: '1.001193.03', name: 'Thủ tục đăng ký khai sinh', processingDay: null }];
    const other = norm('raw-1.003622');
    const { procedures, merged, conflicts } = mergeDuplicates([normalizeRecord(a), other, normalizeRecord(b)]);
    expect(merged).toBe(1);
    expect(conflicts).toEqual([]);
    expect(procedures.map((p) => p.code)).toEqual(['1.001193', '1.003622']);
    const p = procedures[0]!;
    expect(p.lifeEvents).toEqual(['co-con-nho', 'hon-nhan-va-gia-dinh']);
    expect(p.updatedAt).toBe(normalizeRecord(b).updatedAt);
    expect(p.variants.map((v) => v.code).sort()).toEqual(['1.001193.01', '1.001193.02', '1.001193.03']);
  });

  it('never blends different procedures that share a code (" 1.014325" vs "1.014325")', () => {
    const clean = norm('raw-1.014325');
    const stray = norm('raw-1.014325-space');
    const { procedures, merged, conflicts } = mergeDuplicates([stray, clean]);
    expect(merged).toBe(0);
    expect(procedures).toEqual([clean]); // the more recently updated one
    expect(conflicts).toEqual([{ code: '1.014325', kept: clean.name, dropped: [stray.name] }]);
  });

  it('leaves unique codes untouched', () => {
    const list = [norm('raw-1.001193'), norm('raw-1.003622')];
    expect(mergeDuplicates(list)).toEqual({ procedures: list, merged: 0, conflicts: [] });
  });
});

describe('unusable records', () => {
  it('throw a CatalogRecordError naming the problem', () => {
    expect(() => normalizeRecord({ lifeEventGroup: 'x', raw: null })).toThrow(CatalogRecordError);
    const noName = fixture('raw-1.003622');
    noName.raw.name = '';
    noName.raw.detail.name = ' \n ';
    expect(() => normalizeRecord(noName)).toThrow(/1\.003622: missing procedure name/);
  });
});
