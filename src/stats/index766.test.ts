import { describe, expect, it } from 'vitest';
import { addCounters, zeroCounters } from './measures.js';
import { INDEX_VERSIONS, computeIndex, scoreIndicator, versionFor, type IndexVersion } from './index766.js';

/**
 * A hand-made commune quarter, every figure worked out by hand:
 * 20 dossiers handled: 10 early, 5 on time, 2 late, 2 open on time, 1 open overdue.
 *   on time = (10 + 5 + 2) ÷ 20 = 0.85 → 0.85 × 20 ÷ 1 = 17 points of 20.
 * Online: 6 end-to-end online dossiers of 10 dossiers of full-online procedures = 0.6;
 *   target 0.8 → 0.6 × 6 ÷ 0.8 = 4.5 of 6. Procedures online: 30 of 40 offered = 0.75 → 4.5 of 6.
 *   Group: 9 of 12.
 * Satisfaction: feedback 8 received, 6 on time = 0.75 → 4.5 of 6; 4 rated, 3 satisfied = 0.75 → 4.5 of 6;
 *   late = 3 ÷ 20 = 0.15, disliked = 1 ÷ 5 ratings = 0.2 → 1 − 0.35 = 0.65 → 3.9 of 6. Group: 12.9 of 18.
 * Transparency, digitisation, payment: no data → "chưa có dữ liệu", out of the denominator.
 * Total: 17 + 9 + 12.9 = 38.9 points of 20 + 12 + 18 = 50 available → index 77.8.
 */
const counters = addCounters(zeroCounters(), {
  recv_online_full: 6,
  recv_counter: 14,
  recv_full_eligible: 10,
  done_early: 10,
  done_on_time: 5,
  done_late: 2,
  open_on_time: 2,
  open_overdue: 1,
  rated: 5,
  rating_sum: 19,
  rating_satisfied: 4,
  rating_dissatisfied: 1,
  fb_received: 8,
  fb_handled: 7,
  fb_on_time: 6,
  fb_rated: 4,
  fb_satisfied: 3,
});
const offered = { total: 40, online: 30, full: 12 };

describe('Decision 766 index', () => {
  const r = computeIndex({ counters, offered }, versionFor('2026-07-01'));
  const group = (id: string) => r.groups.find((g) => g.id === id)!;
  const ind = (id: string) => r.groups.flatMap((g) => g.indicators).find((i) => i.id === id)!;

  it('progress: 17 of 20', () => {
    expect(ind('on_time').ratio).toBeCloseTo(0.85);
    expect(group('progress').points).toBeCloseTo(17);
    expect(group('progress').available).toBe(20);
  });

  it('online service: 4.5 + 4.5 = 9 of 12 (ratio below target scaled by target)', () => {
    expect(ind('full_online').ratio).toBeCloseTo(0.6);
    expect(ind('full_online').points).toBeCloseTo(4.5);
    expect(ind('procedures_online').points).toBeCloseTo(4.5);
    expect(group('online').points).toBeCloseTo(9);
  });

  it('satisfaction: 4.5 + 4.5 + 3.9 = 12.9 of 18', () => {
    expect(ind('feedback_on_time').points).toBeCloseTo(4.5);
    expect(ind('feedback_satisfied').points).toBeCloseTo(4.5);
    expect(ind('not_late_nor_disliked').ratio).toBeCloseTo(0.65);
    expect(ind('not_late_nor_disliked').points).toBeCloseTo(3.9);
    expect(group('satisfaction').points).toBeCloseTo(12.9);
  });

  it('transparency, digitisation, payment: no data, excluded from the denominator', () => {
    for (const id of ['transparency', 'digitisation', 'payment']) {
      expect(group(id).points).toBeNull();
      expect(group(id).available).toBe(0);
      for (const i of group(id).indicators) expect(i.points).toBeNull();
    }
    expect(r.available).toBe(50);
    expect(r.points).toBeCloseTo(38.9);
    expect(r.score).toBeCloseTo(77.8);
  });

  it('an indicator whose denominator is empty is excluded, never 0 nor full', () => {
    const none = computeIndex({ counters: addCounters(zeroCounters(), { recv_counter: 3, done_on_time: 3 }), offered: { total: 0, online: 0, full: 0 } }, INDEX_VERSIONS[0]!);
    // Only progress has data (3 of 3 on time); feedback and ratings are empty.
    expect(none.available).toBe(20);
    expect(none.score).toBe(100);
    const empty = computeIndex({ counters: zeroCounters(), offered: { total: 0, online: 0, full: 0 } }, INDEX_VERSIONS[0]!);
    expect(empty.score).toBeNull();
  });

  it('scoring: full at or above the target, ratio × max ÷ target below', () => {
    expect(scoreIndicator(0.9, 10, 0.8)).toBe(10);
    expect(scoreIndicator(0.4, 10, 0.8)).toBe(5);
    expect(scoreIndicator(0, 10, 1)).toBe(0);
    expect(scoreIndicator(null, 10, 1)).toBeNull();
  });

  it('versions: a period uses the version in force on its first day', () => {
    const later: IndexVersion = { ...INDEX_VERSIONS[0]!, version: 'later', effectiveFrom: '2027-01-01' };
    const versions = [INDEX_VERSIONS[0]!, later];
    expect(versionFor('2026-12-31', versions).version).toBe(INDEX_VERSIONS[0]!.version);
    expect(versionFor('2027-01-01', versions).version).toBe('later');
    expect(versionFor('2020-01-01', versions).version).toBe(INDEX_VERSIONS[0]!.version);
  });

  it('group maxima add up to 100 and each group’s indicators to its maximum', () => {
    for (const v of INDEX_VERSIONS) {
      expect(v.groups.reduce((s, g) => s + g.max, 0)).toBe(100);
      for (const g of v.groups) expect(v.indicators.filter((i) => i.group === g.id).reduce((s, i) => s + i.max, 0)).toBe(g.max);
    }
  });
});
