import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactContacts } from './text.js';

describe('redactContacts (public feedback shows no phone or e-mail)', () => {
  it.each([
    'Gọi 0912345678 nhé',
    'Gọi 0912 345 678 nhé',
    'Gọi 0912.345.678 nhé',
    'Gọi (091) 2345678 nhé',
    'Gọi 0912 - 345 - 678 nhé',
    'Gọi +84 912 345 678 nhé',
    'Gọi 84912345678 nhé',
    'Gọi ０９１２３４５６７８ nhé',
    'Gọi ０９１２ ３４５ ６７８ nhé',
    'Gọi (028) 3822 1234 nhé',
  ])('masks the phone in %j', (text) => {
    const out = redactContacts(text);
    expect(out).toBe('Gọi [đã ẩn] nhé');
  });

  it.each(['thư cho lan@gmail.com nhé', 'thư cho lan [at] gmail.com nhé', 'thư cho lan (at) gmail (dot) com nhé', 'thư cho lan＠gmail．com nhé', 'thư cho lan [a còng] gmail [chấm] com nhé'])(
    'masks the e-mail in %j',
    (text) => {
      expect(redactContacts(text)).toBe('thư cho [đã ẩn] nhé');
    },
  );

  it('keeps what is not a contact: dates, amounts, house numbers, years', () => {
    for (const text of ['Ngày 12/05/2025 đèn hỏng', 'Thu 1.500.000 đồng', 'Số nhà 123-125 đường 30/4', 'Năm 2025 có 3000 hộ', 'Tổ 12, khu phố 3']) {
      expect(redactContacts(text)).toBe(text);
    }
  });

  it('never leaves ten phone digits in a row, however they are spaced', () => {
    const sep = fc.constantFrom('', ' ', '.', '-', ' - ', '  ', '(', ')');
    fc.assert(
      fc.property(fc.stringMatching(/^0[35789][0-9]{8}$/), fc.array(sep, { minLength: 10, maxLength: 10 }), fc.boolean(), (phone, seps, wide) => {
        let typed = [...phone].map((d, i) => (i === 0 ? d : `${seps[i]}${d}`)).join('');
        if (wide) typed = typed.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
        const out = redactContacts(`Liên hệ ${typed} gấp`);
        expect(out.replace(/\D/g, '')).not.toContain(phone.slice(1));
      }),
      { numRuns: 2000 },
    );
  });
});
