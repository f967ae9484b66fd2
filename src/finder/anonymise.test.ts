import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymise } from './anonymise.js';

describe('anonymise', () => {
  it('removes phones, ID numbers, e-mails and names', () => {
    expect(anonymise('gọi cho tôi 0912 345 678 nhé')).toBe('gọi cho tôi [số] nhé');
    expect(anonymise('cccd 001203004567 bị mất')).toBe('cccd [số] bị mất');
    expect(anonymise('số +84 912.345.678')).toBe('số [số]');
    expect(anonymise('mail an.nguyen@example.vn')).toBe('mail [email]');
    expect(anonymise('bố tôi là ông Nguyễn Văn An vừa mất')).toBe('bố tôi là ông [tên] vừa mất');
    expect(anonymise('con tôi tên là Lan cần khai sinh')).toBe('con tôi tên là [tên] cần khai sinh');
  });

  it('keeps the words of the question', () => {
    expect(anonymise('làm giấy khai sinh cho con 2 tháng tuổi')).toBe('làm giấy khai sinh cho con 2 tháng tuổi');
    expect(anonymise('đất cấp năm 1993')).toBe('đất cấp năm 1993');
  });

  it('never leaves a run of 7 digits and never grows past 500 characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 15 }), fc.string({ maxLength: 300 }), (a, digits, b) => {
        const out = anonymise(`${a} ${digits.join('')} ${b}`);
        expect(out).not.toMatch(/\d{7}/);
        expect(out.length).toBeLessThanOrEqual(500);
      }),
    );
  });
});
