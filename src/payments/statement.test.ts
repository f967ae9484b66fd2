import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStatement, parseStatementAmount, parseStatementCsv, parseStatementDate } from './statement.js';

const line = fc.record({
  date: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  amountVnd: fc.integer({ min: 1, max: 9_999_999_999 }),
  description: fc.constantFrom('HS254592612030001 nop le phi', 'CT DEN:123 Nguyen Van A chuyen tien', 'Thanh toán lệ phí, hồ sơ "25459"', ''),
  bankRef: fc.stringMatching(/^[A-Z0-9]{6,14}$/),
});
const dateStyle = fc.constantFrom('dmy/', 'dmy-', 'dmy.', 'iso', 'dmy/ time');
const amountStyle = fc.constantFrom('dot', 'comma', 'plain', 'dot,00', 'vnd');

function writeDate(iso: string, style: string): string {
  const [y, m, d] = iso.split('-');
  if (style === 'iso') return iso;
  if (style === 'dmy/ time') return `${d}/${m}/${y} 14:05:09`;
  const sep = style.slice(3);
  return `${d}${sep}${m}${sep}${y}`;
}
function writeAmount(n: number, style: string): string {
  const dots = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  if (style === 'dot') return dots;
  if (style === 'comma') return dots.replaceAll('.', ',');
  if (style === 'dot,00') return `${dots},00`;
  if (style === 'vnd') return `${dots} VND`;
  return String(n);
}
const csvCell = (s: string, delim: string) => (s.includes(delim) || s.includes('"') ? `"${s.replaceAll('"', '""')}"` : s);

describe('bank statement', () => {
  it('reads back any lines, whatever date and amount style or delimiter the bank uses', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), dateStyle, amountStyle, fc.constantFrom(',', ';'), (lines, ds, as, delim) => {
        const csv = [
          ['Sao kê tài khoản 1023456789'],
          ['STT', 'Ngày giao dịch', 'Số tham chiếu', 'Số tiền ghi nợ', 'Số tiền ghi có', 'Nội dung'],
          ...lines.map((l, i) => [String(i + 1), writeDate(l.date, ds), l.bankRef, '', writeAmount(l.amountVnd, as), l.description]),
        ]
          .map((r) => r.map((c) => csvCell(c, delim)).join(delim))
          .join('\r\n');
        const parsed = parseStatementCsv(`\uFEFF${csv}`);
        expect(parsed.problems).toEqual([]);
        expect(parsed.lines.map(({ row: _row, ...l }) => l)).toEqual(lines.map((l) => ({ bankRef: l.bankRef, date: l.date, amountVnd: l.amountVnd, description: l.description })));
      }),
      { numRuns: 300 },
    );
  });

  it('reports unreadable dates and amounts written as words by row, and keeps the good lines', () => {
    const csv = [
      'Ngày giao dịch,Mã giao dịch,Ghi có,Diễn giải',
      '03/12/2026,FT1,150.000,HS254592612030001',
      '31/02/2026,FT2,50.000,sai ngay',
      '03/12/2026,FT3,một trăm nghìn,chu',
      '03/12/2026,FT4,150.5,le',
      ',,,',
      '04/12/2026,FT5,"(20.000)",chi ra',
      '04/12/2026,FT6,20.000,HS254592612030002',
    ].join('\n');
    const r = parseStatementCsv(csv);
    expect(r.lines.map((l) => l.bankRef)).toEqual(['FT1', 'FT6']);
    expect(r.problems.map((p) => [p.row, p.field])).toEqual([
      [3, 'date'],
      [4, 'amount'],
      [5, 'amount'],
    ]);
    expect(r.problems[1]!.message).toMatch(/Dòng 4: số tiền "một trăm nghìn" không đọc được/);
  });

  it('says what is missing when the header is not there', () => {
    expect(parseStatementCsv('a,b\n1,2').problems[0]).toMatchObject({ row: 0, field: 'file' });
  });

  it('gives the same derived reference to the same line on re-import, and different ones to repeated identical lines', () => {
    const csv = 'Ngày,Số tiền,Nội dung\n03/12/2026,50.000,nop phi\n03/12/2026,50.000,nop phi\n';
    const a = parseStatementCsv(csv).lines.map((l) => l.bankRef);
    expect(a).toHaveLength(2);
    expect(new Set(a).size).toBe(2);
    expect(parseStatementCsv(csv).lines.map((l) => l.bankRef)).toEqual(a);
  });

  it('reads Excel exports with date and number cells', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 10 }), async (lines) => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('Sao ke');
        ws.addRow(['Ngày giao dịch', 'Số bút toán', 'Ghi có', 'Mô tả']);
        for (const l of lines) ws.addRow([new Date(`${l.date}T00:00:00Z`), l.bankRef, l.amountVnd, l.description]);
        const buf = Buffer.from(await wb.xlsx.writeBuffer());
        const parsed = await parseStatement(buf);
        expect(parsed.problems).toEqual([]);
        expect(parsed.lines.map((l) => [l.date, l.bankRef, l.amountVnd, l.description])).toEqual(lines.map((l) => [l.date, l.bankRef, l.amountVnd, l.description]));
      }),
      { numRuns: 15 },
    );
  });

  it('refuses a broken Excel file with a message', async () => {
    const r = await parseStatement(Buffer.from('PK\u0003\u0004broken'));
    expect(r.problems[0]!.field).toBe('file');
  });

  it('date and amount readers', () => {
    expect(parseStatementDate('3/1/2026')).toBe('2026-01-03');
    expect(parseStatementDate('29/02/2025')).toBeNull();
    expect(parseStatementDate('ngày 3 tháng 1')).toBeNull();
    expect(parseStatementAmount('1.500.000,00')).toBe(1_500_000);
    expect(parseStatementAmount('-50.000')).toBe(-50_000);
    expect(parseStatementAmount('1.500,000')).toBeNull();
    expect(parseStatementAmount(12.5)).toBeNull();
  });
});
