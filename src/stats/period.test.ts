import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, parsePeriod, previousPeriod, recentPeriods } from './period.js';

describe('periods', () => {
  it('reads months, quarters, years and ranges', () => {
    expect(parsePeriod({ period: '2026-07' })).toMatchObject({ ok: true, period: { from: '2026-07-01', to: '2026-07-31', label: 'tháng 7/2026' } });
    expect(parsePeriod({ period: '2026-Q1' })).toMatchObject({ ok: true, period: { from: '2026-01-01', to: '2026-03-31', label: 'quý I/2026' } });
    expect(parsePeriod({ period: '2028-02' })).toMatchObject({ ok: true, period: { to: '2028-02-29' } });
    expect(parsePeriod({ period: '2026' })).toMatchObject({ ok: true, period: { from: '2026-01-01', to: '2026-12-31' } });
    expect(parsePeriod({ from: '2026-01-05', to: '2026-01-05' })).toMatchObject({ ok: true, period: { kind: 'range' } });
  });

  it('names the field and says what to do on bad input', () => {
    expect(parsePeriod({ period: '2026-13' })).toMatchObject({ ok: false, field: 'ky' });
    expect(parsePeriod({ period: '' })).toMatchObject({ ok: false, field: 'ky' });
    expect(parsePeriod({ from: '2026-02-30', to: '2026-03-01' })).toMatchObject({ ok: false, field: 'tu' });
    expect(parsePeriod({ from: '2026-03-01', to: 'x' })).toMatchObject({ ok: false, field: 'den' });
    const backwards = parsePeriod({ from: '2026-03-01', to: '2026-02-01' });
    expect(backwards).toMatchObject({ ok: false, field: 'den' });
    expect(!backwards.ok && backwards.message).toMatch(/trước ngày bắt đầu/);
    expect(parsePeriod({ from: '2020-01-01', to: '2026-01-02' })).toMatchObject({ ok: false, field: 'den', message: expect.stringMatching(/5 năm/) });
    expect(parsePeriod({ period: '2026', from: '', to: '' }, { period: 'period', from: 'from', to: 'to' })).toMatchObject({ ok: true });
  });

  it('previous period: the one just before, same kind', () => {
    const prev = (k: string) => {
      const r = parsePeriod({ period: k });
      return r.ok ? previousPeriod(r.period).key : null;
    };
    expect(prev('2026-Q1')).toBe('2025-Q4');
    expect(prev('2026-Q3')).toBe('2026-Q2');
    expect(prev('2026-01')).toBe('2025-12');
    expect(prev('2026')).toBe('2025');
  });

  it('any parsed range is ordered, at most 5 years, and its previous range ends the day before (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 1830 }), (start, len) => {
        const from = addDays('2001-01-01', start);
        const to = addDays(from, len);
        const r = parsePeriod({ from, to });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const p = previousPeriod(r.period);
        expect(addDays(p.to, 1)).toBe(from);
        expect(p.from <= p.to).toBe(true);
      }),
    );
  });

  it('offers recent periods, newest first', () => {
    const keys = recentPeriods('2026-08-15').map((p) => p.key);
    expect(keys.slice(0, 4)).toEqual(['2026', '2025', '2024', '2026-Q3']);
    expect(keys).toContain('2026-08');
    expect(keys).toContain('2025-09');
  });
});
