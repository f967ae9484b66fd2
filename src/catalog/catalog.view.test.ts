import { describe, expect, it } from 'vitest';
import { feeText, formatDate, formatVnd, groupTerms, pageNumber, timeText } from './catalog.view.js';
import type { ChannelTerms, Fee } from './procedure.js';

const fee = (f: Partial<Fee>): Fee => ({ kind: 'charge', amountVnd: null, text: '', unpublished: false, ...f });
const terms = (t: Partial<ChannelTerms>): ChannelTerms => ({ channel: 'direct', time: { qty: 1, unit: 'working_day' }, timeText: '1 ngày làm việc', fees: [], ...t });

describe('catalog wording', () => {
  it('never calls an unpublished fee free; an amount of 0 is free', () => {
    expect(feeText(fee({ unpublished: true }))).toBe('Lệ phí: Chưa công bố mức phí — hỏi bộ phận một cửa');
    expect(feeText(fee({ kind: 'fee', amountVnd: 0, text: 'Không có' }))).toBe('Phí: Miễn phí');
    expect(feeText(fee({ amountVnd: 0, text: 'Miễn cho trẻ em dưới 6 tuổi' }))).toBe('Lệ phí: Miễn phí (Miễn cho trẻ em dưới 6 tuổi)');
    expect(feeText(fee({ amountVnd: 1250000 }))).toBe('Lệ phí: 1.250.000 đồng');
    expect(feeText(fee({ amountVnd: 20000, text: 'mỗi bản' }))).toBe('Lệ phí: 20.000 đồng — mỗi bản');
    expect(feeText(fee({ text: '5 USD' }))).toBe('Lệ phí: 5 USD');
  });

  it('gives processing time in its unit, with the portal’s explanation apart', () => {
    expect(timeText(terms({}))).toEqual({ main: '1 ngày làm việc', detail: '' });
    expect(timeText(terms({ time: { qty: 0.5, unit: 'working_day' }, timeText: '0.5 ngày làm việc\nTrong buổi sáng.' }))).toEqual({ main: '0,5 ngày làm việc', detail: 'Trong buổi sáng.' });
    expect(timeText(terms({ time: null, timeText: 'Ngay trong ngày' })).main).toBe('Ngay trong ngày');
    expect(timeText(terms({ time: null, timeText: '' })).main).toContain('Chưa công bố thời hạn');
  });

  it('shows channels with the same terms once, but keeps different terms of one channel apart', () => {
    const same = groupTerms([terms({ channel: 'online' }), terms({ channel: 'postal' }), terms({ channel: 'direct' })]);
    expect(same.map((g) => g.channels)).toEqual([['online', 'postal', 'direct']]);
    const split = groupTerms([terms({}), terms({ time: { qty: 2, unit: 'working_day' }, timeText: '2 ngày làm việc\nThẩm định' }), terms({ channel: 'online' })]);
    expect(split.map((g) => [g.channels, g.time.main])).toEqual([
      [['direct', 'online'], '1 ngày làm việc'],
      [['direct'], '2 ngày làm việc'],
    ]);
  });

  it('formats money, dates (Vietnam time) and page numbers', () => {
    expect(formatVnd(50000000)).toBe('50.000.000');
    expect(formatDate('2026-04-14T18:30:00Z')).toBe('15/04/2026');
    expect(pageNumber(undefined, 120)).toEqual({ page: 1, pages: 3, offset: 0 });
    expect(pageNumber('3', 120)).toEqual({ page: 3, pages: 3, offset: 100 });
    expect(pageNumber('99', 120).page).toBe(3);
    expect(pageNumber('-1', 0)).toEqual({ page: 1, pages: 1, offset: 0 });
    expect(pageNumber('x', 10).page).toBe(1);
  });
});
