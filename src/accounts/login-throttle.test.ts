import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { delayAfter, LoginThrottle, RULES } from './login-throttle.js';

describe('login throttle (progressive delay, no lockout)', () => {
  it('lets the first failures through, then doubles the wait up to its cap', () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < RULES.pair.free; i++) {
      expect(t.waitMs('0912000001', '1.2.3.4')).toBe(0);
      t.failed('0912000001', '1.2.3.4');
    }
    expect(t.waitMs('0912000001', '1.2.3.4')).toBe(0);
    t.failed('0912000001', '1.2.3.4');
    expect(t.waitMs('0912000001', '1.2.3.4')).toBe(2_000);
    now += 2_000;
    expect(t.waitMs('0912000001', '1.2.3.4')).toBe(0);
    t.failed('0912000001', '1.2.3.4');
    expect(t.waitMs('0912000001', '1.2.3.4')).toBe(4_000);
    // Another address is not slowed by this pair (only by the login's own, looser rule).
    expect(t.waitMs('0912000001', '5.6.7.8')).toBe(0);
  });

  it('many addresses against one official: the wait stays bounded by the login rule', () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 200; i++) t.failed('lanhdao@xa.vn', `10.0.${i >> 8}.${i & 255}`);
    expect(t.waitMs('lanhdao@xa.vn', '192.0.2.1')).toBeLessThanOrEqual(RULES.login.maxMs);
    now += RULES.login.maxMs;
    expect(t.waitMs('lanhdao@xa.vn', '192.0.2.1')).toBe(0);
  });

  it('treats a login without an account exactly like one with an account (it never looks)', () => {
    const t = new LoginThrottle(() => 0);
    for (let i = 0; i < 6; i++) {
      t.failed('0912000001', 'x');
      t.failed('0999999999', 'x');
    }
    expect(t.waitMs('0912000001', 'x')).toBe(t.waitMs('0999999999', 'x'));
  });

  it('delay is monotone in failures and never above the cap', () => {
    fc.assert(
      fc.property(fc.constantFrom(RULES.pair, RULES.login, RULES.address), fc.nat(1000), (rule, n) => {
        expect(delayAfter(rule, n)).toBeLessThanOrEqual(delayAfter(rule, n + 1));
        expect(delayAfter(rule, n)).toBeLessThanOrEqual(rule.maxMs);
      }),
    );
  });
});
