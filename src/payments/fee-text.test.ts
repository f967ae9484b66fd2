import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshot } from '../testing/catalog.js';
import { amountsIn, exemptionsIn, parseFee } from './fee-text.js';

const fee = (text: string, amountVnd: number | null = null) => ({ text, amountVnd, unpublished: false });

/** How officials write an amount: "150.000", "150,000" or "150000", then a currency word. */
const written = fc.record({
  n: fc.integer({ min: 1, max: 99_999_999_999 }),
  sep: fc.constantFrom('.', ',', ''),
  currency: fc.constantFrom(' đồng', 'đ', ' vnđ', ' VNĐ', ' VND', ' Đồng'),
  before: fc.constantFrom('', 'Lệ phí: ', '- Mức thu ', 'Phí thẩm định hồ sơ '),
  after: fc.constantFrom('', '.', '/lần', ' /hồ sơ.', ' (theo Thông tư số 85/2019/TT-BTC)'),
});
const show = (n: number, sep: string) => (sep ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep) : String(n));

describe('fee text', () => {
  it('reads any amount written with a currency word, whatever the separator', () => {
    fc.assert(
      fc.property(written, ({ n, sep, currency, before, after }) => {
        const text = `${before}${show(n, sep)}${currency}${after}`;
        expect(amountsIn(text).map((a) => a.amountVnd)).toEqual([n]);
        expect(parseFee(fee(text))).toMatchObject({ status: 'amount', amountVnd: n });
      }),
      { numRuns: 1000 },
    );
  });

  it('does not take legal-document numbers or dates for amounts', () => {
    expect(amountsIn('Thông tư số 85/2019/TT-BTC ngày 02/11/2010')).toEqual([]);
    expect(parseFee(fee('Theo Nghị quyết số 09/2025/NQ-HĐND ngày 27/10/2025.')).status).toBe('set_by_province');
  });

  it('lists any exemptions as written, split on semicolons and commas', () => {
    const word = fc.constantFrom('người', 'thuộc', 'hộ', 'nghèo', 'khuyết', 'tật', 'trẻ', 'em', 'dưới', 'tuổi', 'đúng', 'hạn', 'cận', 'có', 'công');
    const group = fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(group, { minLength: 1, maxLength: 5 }), fc.constantFrom('cho', 'đối với'), (groups, word) => {
        expect(exemptionsIn(`Mức lệ phí do HĐND tỉnh quyết định. Miễn lệ phí ${word} ${groups.join('; ')}.`)).toEqual(groups);
      }),
    );
  });

  it('the portal’s number wins over the text; two different amounts are left to the administrator', () => {
    expect(parseFee(fee('Hộ kinh doanh nộp lệ phí tại thời điểm nộp hồ sơ', 50_000))).toMatchObject({ status: 'amount', amountVnd: 50_000 });
    expect(parseFee(fee('Cá nhân 25.000 đồng/GCN; tổ chức 80.000 đồng/GCN')).status).toBe('unclear');
    expect(parseFee(fee('70.000 đồng/Giấy chứng nhận'))).toMatchObject({ amountVnd: 70_000, per: '/Giấy chứng nhận' });
  });

  it('knows free, province-set and unpublished fees', () => {
    expect(parseFee(fee('Miễn lệ phí. Phí cấp bản sao Trích lục (nếu có yêu cầu) theo Thông tư 281/2016/TT-BTC.'))).toMatchObject({ status: 'free', amountVnd: 0 });
    expect(parseFee(fee('Không quy định.')).status).toBe('free');
    expect(parseFee({ text: '', amountVnd: null, unpublished: true }).status).toBe('unpublished');
    expect(parseFee(fee('Mức lệ phí (nếu có) theo quy định của Hội đồng nhân dân cấp tỉnh.')).status).toBe('set_by_province');
  });

  it('reads the real catalog: every commune-level fee parses, with the known cases right', async () => {
    const all = await snapshot();
    const byCode = new Map(all.map((p) => [p.code, p]));
    for (const p of all) for (const ch of p.channels) for (const f of ch.fees) expect(() => parseFee(f)).not.toThrow();
    const direct = (code: string) => byCode.get(code)!.channels.find((c) => c.channel === 'direct')!.fees[0]!;
    // Household business registration: 50,000 at the counter.
    expect(parseFee(direct('1.001612'))).toMatchObject({ status: 'amount', amountVnd: 50_000 });
    // Marriage registration: free.
    expect(parseFee(direct('1.000894')).status).toBe('free');
    // Death registration: set by the province; on time, and some groups, exempt.
    const death = parseFee(direct('1.000656'));
    expect(death.status).toBe('set_by_province');
    expect(death.exemptions).toEqual(expect.arrayContaining(['trường hợp đăng ký khai tử đúng hạn', 'người thuộc hộ nghèo']));
  });
});
