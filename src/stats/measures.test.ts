import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MEASURES, addCounters, formatValue, measure, mergeHistograms, percentile, publicValue, ratio, received, zeroCounters, type Counters, type Figures } from './measures.js';

const fig = (c: Partial<Counters>, h: [number, number][] = []): Figures => ({ counters: addCounters(zeroCounters(), c), histogram: new Map(h) });
const v = (id: string, f: Figures) => measure(id).value(f);

describe('measures', () => {
  it('every measure has a unique id, a Vietnamese label, a formula and a unit', () => {
    expect(new Set(MEASURES.map((m) => m.id)).size).toBe(MEASURES.length);
    for (const m of MEASURES) {
      expect(m.label.length).toBeGreaterThan(3);
      expect(m.formula.length).toBeGreaterThan(3);
    }
  });

  it('every measure on empty figures is 0 or null ("chưa có dữ liệu"), never NaN', () => {
    for (const m of MEASURES) {
      const x = m.value(fig({}));
      expect(x === null || x === 0).toBe(true);
    }
  });

  it('worked example: channels, timeliness, time, supplements, ratings, feedback', () => {
    const f = fig(
      {
        recv_online_full: 4,
        recv_online_partial: 2,
        recv_counter: 3,
        recv_assisted: 1,
        recv_field: 2,
        done_early: 3,
        done_on_time: 4,
        done_late: 1,
        open_on_time: 1,
        open_overdue: 1,
        proc_days_sum: 36,
        supplement_requests: 3,
        rated: 4,
        rating_sum: 17,
        rating_satisfied: 3,
        fb_received: 609,
        fb_handled: 580,
        fb_on_time: 580,
        fb_rated: 10,
        fb_satisfied: 9,
      },
      [
        [2, 3],
        [4, 3],
        [7, 1],
        [10, 1],
      ],
    );
    expect(v('received', f)).toBe(12);
    expect(v('online_share', f)).toBeCloseTo(7 / 12);
    expect(v('finished', f)).toBe(8);
    expect(v('on_time_share', f)).toBeCloseTo(8 / 10);
    expect(v('late_share', f)).toBeCloseTo(2 / 10);
    expect(v('avg_days', f)).toBe(4.5);
    // 8 finished: rank ceil(0.9 × 8) = 8 → the largest, 10.
    expect(v('p90_days', f)).toBe(10);
    expect(v('supplements_per_dossier', f)).toBe(0.25);
    expect(v('rating_avg', f)).toBe(4.25);
    expect(v('rating_satisfied_share', f)).toBe(0.75);
    // The province's own figure: 580 of 609 handled = 95.24 % (95.23 % truncated).
    expect(v('feedback_handled_share', f)).toBeCloseTo(0.95238, 4);
    expect(v('feedback_satisfaction', f)).toBe(0.9);
    expect(v('paid_online', f)).toBeNull();
    expect(formatValue(measure('paid_online'), null)).toBe('chưa có dữ liệu');
    expect(formatValue(measure('on_time_share'), 0.8)).toBe('80,0%');
  });

  it('ratio is null on a zero denominator', () => {
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(3, 4)).toBe(0.75);
  });

  it('suppresses public figures resting on 1–4 dossiers, not 0 and not 5', () => {
    const m = measure('on_time_share');
    expect(publicValue(m, fig({ recv_counter: 4, done_on_time: 4 }))).toBe('suppressed');
    expect(publicValue(m, fig({ recv_counter: 5, done_on_time: 5 }))).toBe(1);
    expect(publicValue(m, fig({}))).toBeNull();
    expect(formatValue(m, 'suppressed')).toBe('ít hơn 5 hồ sơ');
  });

  it('percentile: nearest rank, agrees with sorting the values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 200 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (values, p) => {
        const h = new Map<number, number>();
        for (const x of values) h.set(x, (h.get(x) ?? 0) + 1);
        const sorted = [...values].sort((a, b) => a - b);
        expect(percentile(h, p)).toBe(sorted[Math.max(1, Math.ceil(p * values.length)) - 1]);
      }),
    );
    expect(percentile(new Map(), 0.9)).toBeNull();
  });

  it('measures of a sum are measures of the summed counters (roll-up is addition)', () => {
    const counter = fc.record({ recv_counter: fc.nat(50), recv_online_full: fc.nat(50), done_on_time: fc.nat(20), done_late: fc.nat(20), open_overdue: fc.nat(10), proc_days_sum: fc.nat(500) });
    fc.assert(
      fc.property(fc.array(counter, { minLength: 1, maxLength: 10 }), (parts) => {
        const total = zeroCounters();
        for (const p of parts) addCounters(total, p);
        expect(received(total)).toBe(parts.reduce((s, p) => s + p.recv_counter + p.recv_online_full, 0));
        const hs = parts.map((_, i) => new Map([[i, 1]]));
        const merged = new Map<number, number>();
        for (const h of hs) mergeHistograms(merged, h);
        expect([...merged.values()].reduce((a, b) => a + b, 0)).toBe(parts.length);
      }),
    );
  });
});
