/**
 * Finder behaviour on the committed catalog snapshot: the questions the
 * issue names, abbreviations, situations, sibling clarification, did-you-mean,
 * scope, and a fuzz contract (never throws, always well-formed).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogSnapshot } from '../catalog/snapshot.js';
import { buildFinderIndex, search, type FinderIndex, type SearchResult } from './index.js';

let index: FinderIndex;
let codes: Set<string>;

beforeAll(async () => {
  const procedures = await loadCatalogSnapshot();
  codes = new Set(procedures.map((p) => p.code));
  index = buildFinderIndex(procedures);
});

const top = (q: string, limit = 10) => search(index, q, { limit });
const first = (q: string) => top(q).items[0]?.code;
const topCodes = (q: string, n: number) => top(q).items.slice(0, n).map((x) => x.code);

const KS = '1.001193';
const KT = '1.000656';
const KH = '1.000894';
const TTHN = '1.004873';

describe('core questions', () => {
  it('"lam giay khai sinh cho con" returns Đăng ký khai sinh first', () => {
    const r = top('lam giay khai sinh cho con');
    expect(r.items[0]?.code).toBe(KS);
    expect(r.items[0]?.name).toMatch(/khai sinh/i);
    expect(r.items[0]?.why).toMatch(/khai sinh/i);
  });

  it.each([
    ['Đăng ký khai sinh', KS],
    ['dang ky khai sinh', KS],
    ['DANG KY KHAI TU', KT],
    ['đăng ký kết hôn', KH],
    ['xin giấy xác nhận tình trạng hôn nhân', TTHN],
    ['đăng ký thường trú', '1.004222'],
    ['dang ky tam tru', '1.004194'],
    ['chứng thực bản sao', '2.000815'],
    ['đăng ký thành lập hộ kinh doanh', '1.001612'],
  ])('%s → %s', (q, code) => {
    expect(first(q)).toBe(code);
  });

  it('understands Telex and VNI leftovers', () => {
    expect(first('dang kys khai sinh')).toBe(KS);
    expect(first('dang ky1 khai sinh')).toBe(KS);
    expect(first('ddawng kys ket hoon')).toBe(KH);
  });

  it('understands typos', () => {
    expect(first('khai snh cho con')).toBe(KS);
    expect(first('dang ki khia tu')).toBe(KT);
    expect(first('đăng kí thường chú')).toBe('1.004222');
  });

  it.each([
    ['dk khai sinh', [KS]],
    ['đk kết hôn', [KH]],
    ['dk tam tru', ['1.004194']],
    ['mat cccd', ['1.014064']],
    ['rut bhxh 1 lan', ['1.001613', '1.014173']],
    ['xin gpkd ho ca the', ['1.001612']],
    ['xac nhan tthn', [TTHN]],
    ['ko co giay khai sinh thi lam sao', [KS, '1.004772']],
  ])('abbreviation: %s', (q, want) => {
    expect(want).toContain(first(q));
  });

  it('explains each answer in Vietnamese', () => {
    const r = top('dk thuong tru');
    expect(r.items[0]?.why).toMatch(/đăng ký|thường trú/i);
    expect(r.items[0]?.why).toMatch(/dk/);
  });
});

describe('situations', () => {
  it('"bố tôi mất hôm qua" → khai tử first, related procedures after', () => {
    const r = top('bố tôi mất hôm qua');
    expect(r.items[0]?.code).toBe(KT);
    expect(r.items[0]?.why).toMatch(/qua đời|khai tử/);
    const related = r.items.map((x) => x.code);
    expect(related.some((c) => ['2.000821', '1.003197', '1.001731'].includes(c))).toBe(true);
  });

  it('"vợ mới sinh" → khai sinh', () => {
    expect(first('vợ mới sinh')).toBe(KS);
  });

  it('"sắp lấy chồng" → kết hôn and xác nhận tình trạng hôn nhân', () => {
    const c = topCodes('sắp lấy chồng', 2);
    expect(c).toContain(KH);
    expect(c).toContain(TTHN);
  });

  it('"mở quán tạp hóa" → đăng ký hộ kinh doanh', () => {
    expect(first('mở quán tạp hóa')).toBe('1.001612');
  });

  it('a foreign spouse moves marriage to the foreign-element procedure', () => {
    expect(first('toi muon lay vo nguoi trung quoc')).toBe('2.000806');
  });

  it('"mất căn cước" is not a death', () => {
    expect(first('bi mat can cuoc')).not.toBe(KT);
  });
});

describe('siblings and clarifying questions', () => {
  it('names the foreign element when asked for it, without asking', () => {
    const r = top('đăng ký khai sinh có yếu tố nước ngoài');
    expect(r.items[0]?.code).toBe('2.000528');
    expect(r.clarify).toBeUndefined();
  });

  it('"khai sinh" alone returns Đăng ký khai sinh first or asks with it as an option', () => {
    for (const q of ['khai sinh', 'đăng ký khai sinh']) {
      const r = top(q);
      const ok = r.items[0]?.code === KS || !!r.clarify?.options.some((o) => o.code === KS);
      expect(ok, q).toBe(true);
    }
  });

  it('"không có yếu tố nước ngoài" excludes the foreign variant', () => {
    const r = top('khai sinh khong co yeu to nuoc ngoai');
    expect(r.items[0]?.code).toBe(KS);
    expect(r.items.slice(0, 3).map((x) => x.code)).not.toContain('2.000528');
  });

  it('asks "cấp lại or cấp đổi" for "làm lại căn cước", naming the distinguishing feature', () => {
    const r = top('làm lại căn cước');
    expect(r.clarify).toBeDefined();
    const opts = r.clarify!.options;
    expect(opts.map((o) => o.code)).toEqual(expect.arrayContaining(['1.014064', '1.014063']));
    expect(opts.find((o) => o.code === '1.014064')!.label).toMatch(/mất/);
    expect(opts.find((o) => o.code === '1.014063')!.label).toMatch(/hỏng|hết hạn/);
    expect(r.clarify!.question).toMatch(/\?$/);
  });

  it('asks "bản sao or đăng ký lại" for a lost birth certificate', () => {
    const r = top('mất giấy khai sinh');
    expect(r.clarify?.options.map((o) => o.code)).toEqual(expect.arrayContaining(['2.000635', '1.004884']));
    expect(r.clarify!.options.find((o) => o.code === '1.004884')!.label).toMatch(/Đăng ký lại/);
  });

  it('does not ask when the question already picks the variant', () => {
    expect(top('cap lai the can cuoc').clarify).toBeUndefined();
    expect(first('cap lai the can cuoc')).toBe('1.014064');
    expect(first('đăng ký lại khai sinh')).toBe('1.004884');
  });
});

describe('did you mean', () => {
  it('offers the corrected question', () => {
    expect(top('khai snh').didYouMean).toBe('khai sinh');
    expect(top('dang kys khai sinh').didYouMean).toBe('dang ky khai sinh');
    expect(top('xin giấy độc thâm').didYouMean).toMatch(/độc thân/);
  });

  it('stays silent on a correct question and on abbreviations', () => {
    expect(top('đăng ký khai sinh').didYouMean).toBeUndefined();
    expect(top('dk khai sinh').didYouMean).toBeUndefined();
  });
});

describe('scope', () => {
  it('restricts results to the commune offer, and null means all', () => {
    const scope = new Set([KS, KT, '1.004222']);
    const r = search(index, 'dang ky khai sinh', { limit: 10, scope });
    expect(r.items.length).toBeGreaterThan(0);
    for (const it of r.items) expect(scope.has(it.code)).toBe(true);
    expect(r.items[0]?.code).toBe(KS);
    const all = search(index, 'dang ky khai sinh', { limit: 10, scope: null });
    expect(all.items.length).toBe(10);
    const without = search(index, 'dang ky khai sinh', { limit: 10, scope: new Set(['1.004222']) });
    expect(without.items.every((x) => x.code === '1.004222')).toBe(true);
  });

  it('honours the limit', () => {
    expect(search(index, 'dang ky khai sinh', { limit: 3 }).items.length).toBe(3);
    expect(search(index, 'dang ky khai sinh', { limit: 0 }).items.length).toBe(0);
  });
});

describe('hostile input', () => {
  function wellFormed(r: SearchResult) {
    expect(Array.isArray(r.items)).toBe(true);
    const seen = new Set<string>();
    for (const it of r.items) {
      expect(codes.has(it.code)).toBe(true);
      expect(seen.has(it.code)).toBe(false);
      seen.add(it.code);
      expect(typeof it.name).toBe('string');
      expect(typeof it.field).toBe('string');
      expect(Array.isArray(it.levels)).toBe(true);
      expect(Number.isFinite(it.score)).toBe(true);
      expect(it.why.length).toBeGreaterThan(0);
    }
    for (let i = 1; i < r.items.length; i++) expect(r.items[i - 1]!.score).toBeGreaterThanOrEqual(r.items[i]!.score);
    if (r.clarify) {
      expect(r.clarify.question.length).toBeGreaterThan(0);
      expect(r.clarify.options.length).toBeGreaterThanOrEqual(2);
      for (const o of r.clarify.options) {
        expect(codes.has(o.code)).toBe(true);
        expect(o.label.length).toBeGreaterThan(0);
      }
    }
    if (r.didYouMean !== undefined) expect(r.didYouMean.length).toBeGreaterThan(0);
  }

  it.each([
    '',
    '   ',
    'x'.repeat(10_000),
    'đăng ký khai sinh '.repeat(700),
    '👶👶👶 🎉',
    '\u0000\u0001\u0007\u001b[31m',
    "'; DROP TABLE procedures; --",
    '1 OR 1=1 UNION SELECT * FROM users',
    '<script>alert(1)</script>',
    '\ud800\udc00\ud800',
    '%00%20%27',
    '1.001193',
  ])('copes with %j', (q) => {
    const t = performance.now();
    const r = search(index, q, { limit: 10 });
    expect(performance.now() - t).toBeLessThan(500);
    wellFormed(r);
  });

  it('empty question gives an empty result', () => {
    expect(search(index, '', { limit: 10 })).toEqual({ items: [] });
  });

  it('never throws and always returns well-formed output (fuzz)', () => {
    const words = fc.constantFrom('đăng', 'ký', 'khai', 'sinh', 'dk', 'ko', 'mất', 'lại', 'nước', 'ngoài', 'không', 'có', 'và', 'rồi', 'căn', 'cước', 'bố', 'vợ', 'sinh', 'kys', 'ky1', 'đ');
    const query = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      fc.array(words, { maxLength: 20 }).map((w) => w.join(' ')),
    );
    const limit = fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constantFrom(Number.NaN, Infinity, 2.7));
    const scope = fc.option(fc.array(fc.constantFrom(KS, KT, KH, TTHN, '9.999999'), { maxLength: 4 }).map((a) => new Set<string>(a)));
    fc.assert(
      fc.property(query, limit, scope, (q, lim, sc) => {
        const r = search(index, q, { limit: lim, scope: sc });
        wellFormed(r);
        if (sc) for (const it of r.items) expect(sc.has(it.code)).toBe(true);
      }),
      { numRuns: 1200 },
    );
  });

  it('rejects non-string questions gracefully', () => {
    expect(search(index, undefined as unknown as string, {}).items).toEqual([]);
    expect(search(index, 42 as unknown as string, {}).items).toEqual([]);
  });
});

describe('index', () => {
  it('builds from minimal Procedure-shaped records', () => {
    const small = buildFinderIndex([
      { code: '1.000001', name: 'Thủ tục đăng ký khai sinh', field: 'Hộ tịch', levels: ['commune'] },
      { code: '1.000002', name: 'Thủ tục đăng ký khai tử', field: 'Hộ tịch', levels: ['commune'] },
    ]);
    expect(search(small, 'khai tu', {}).items[0]?.code).toBe('1.000002');
    expect(search(small, 'bo toi mat', {}).items[0]?.code).toBe('1.000002');
    expect(buildFinderIndex([]).docs.length).toBe(0);
    expect(search(buildFinderIndex([]), 'khai sinh', {}).items).toEqual([]);
  });
});

describe('do no harm to correct input', () => {
  it.each(['con mèo nhà tôi bị lạc', 'hàng xóm mở nhạc to'])('"%s" is not rewritten', (q) => {
    const r = top(q);
    expect(r.didYouMean).toBeUndefined();
    for (const it of r.items) expect(it.why).not.toMatch(/sửa “/);
  });

  it('corrects spelling when the original words find nothing good', () => {
    expect(top('đăng ký tạm chú cho công nhân').didYouMean).toBe('đăng ký tạm trú cho công nhân');
    expect(first('đăng ký tạm chú cho công nhân')).toBe('1.004194');
  });

  it('explains with whole phrases of the procedure name, in its order', () => {
    const why = top('đăng ký thường trú').items.map((i) => i.why);
    expect(why.join(' ')).not.toMatch(/trú đăng ký thường|trụ thương|hôn kết/);
    expect(why[0]).toContain('“đăng ký thường trú”');
    const khaiBao = top('đăng ký thường trú').items.find((i) => i.code === '1.010040');
    if (khaiBao) expect(khaiBao.why).toContain('“đăng ký thường trú”');
  });
});

describe('no good match', () => {
  it.each(['lắp nước máy cho nhà', 'thi tuyển công chức xã', 'hàng xóm mở nhạc to cả đêm', 'cách làm nem rán'])('"%s" says nothing fits', (q) => {
    const r = top(q);
    expect(r.noMatch).toBe(true);
    expect(r.items).toEqual([]);
  });

  it('names the right door for a known non-procedure matter', () => {
    expect(top('hàng xóm mở nhạc to cả đêm').outOfScope?.door).toBe('feedback');
    expect(top('lắp nước máy cho nhà').outOfScope?.door).toBe('utility');
  });

  it('does not refuse real questions', () => {
    for (const q of ['làm giấy khai sinh cho con', 'bố tôi mất hôm qua', 'đăng ký karaoke kinh doanh', 'xin giấy phép xây dựng nhà ở']) {
      expect(top(q).noMatch, q).toBeUndefined();
    }
  });
});

describe('life events', () => {
  it('a birth answers with the ordered procedures, the interlinked one first', () => {
    const ev = top('vợ tôi vừa sinh em bé').lifeEvents;
    expect(ev?.[0]?.id).toBe('sinh-con');
    expect(ev?.[0]?.steps.map((s) => s.code).slice(0, 2)).toEqual(['2.000986', '1.001193']);
  });

  it('a death in the family starts with khai tử and goes on to residence and benefits', () => {
    const steps = top('bố tôi vừa mất').lifeEvents?.[0]?.steps.map((s) => s.code) ?? [];
    expect(steps[0]).toBe(KT);
    expect(steps).toContain('1.003197');
  });

  it('two events in one question return both', () => {
    const ids = top('bố tôi vừa mất và tôi sắp lấy chồng').lifeEvents?.map((e) => e.id) ?? [];
    expect(ids).toEqual(expect.arrayContaining(['nguoi-than-mat', 'ket-hon']));
  });

  it('every step names a procedure of the catalog', async () => {
    const { LIFE_EVENTS } = await import('./life-events.js');
    for (const e of LIFE_EVENTS) for (const s of e.steps) expect(codes.has(s.code), `${e.id} ${s.code}`).toBe(true);
  });

  it('a question about a procedure opens no life event', () => {
    expect(top('cấp bản sao trích lục hộ tịch').lifeEvents).toBeUndefined();
  });
});
