import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gsmLength, prepareSms, smsPlainText, smsSegments } from './sms-text.js';

describe('brand-name SMS text', () => {
  it('drops diacritics, keeps words', () => {
    expect(smsPlainText('Đã tiếp nhận hồ sơ: hẹn trả ngày 09/03')).toBe('Da tiep nhan ho so: hen tra ngay 09/03');
    expect(smsPlainText('ĐƯỜNG Ữ ỹ\nmới')).toBe('DUONG U y moi');
  });

  it('always yields printable ASCII (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => /^[\x20-\x7e]*$/.test(smsPlainText(s))));
  });

  it('counts segments: 160 alone, 153 each when joined; extended characters take two', () => {
    expect(smsSegments('')).toBe(0);
    expect(smsSegments('a'.repeat(160))).toBe(1);
    expect(smsSegments('a'.repeat(161))).toBe(2);
    expect(smsSegments('a'.repeat(306))).toBe(2);
    expect(smsSegments('a'.repeat(307))).toBe(3);
    expect(gsmLength('[]')).toBe(4);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '[', ' ') , maxLength: 600 }), (s) => {
        const n = gsmLength(s);
        const seg = smsSegments(s);
        return n === 0 ? seg === 0 : seg === (n <= 160 ? 1 : Math.ceil(n / 153)) && seg * 160 >= n;
      }),
    );
  });

  it("matches every message the product sends to a registered template", () => {
    const bodies = [
      'Xa So: ho so H55-300302-0001: da duoc tiep nhan.',
      'Xa So: Phan anh PA-0001 da duoc tra loi. Xem: https://xaso.test/phan-anh/PA-0001?ma=abc',
      'Xa So: ma dat lai mat khau cua ban la 123456. Ma co hieu luc 15 phut. Khong dua ma nay cho ai.',
      'Xa So: can bo mot cua da cap ma dat lai mat khau cho ban: 123456. Ma co hieu luc 24 gio.',
    ];
    expect(bodies.map((b) => (prepareSms(b) as { templateId?: string }).templateId)).toEqual(['dossier_status', 'feedback_status', 'password_code', 'counter_code']);
  });

  it('refuses text beyond two segments, empty text, and text matching no template', () => {
    expect(prepareSms(`Xa So: ho so A-1: ${'x'.repeat(300)}`)).toEqual({ ok: false, reason: expect.stringContaining('quá 2 tin') });
    expect(prepareSms('   ')).toEqual({ ok: false, reason: 'tin nhắn trống' });
    expect(prepareSms('Khuyen mai')).toMatchObject({ ok: false });
  });
});
