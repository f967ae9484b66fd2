import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold, isSyllable, normalizeQuery, repairToken, tokenize } from './fold.js';

describe('fold', () => {
  it.each([
    ['Đăng ký khai sinh', 'dang ky khai sinh'],
    ['ĐĂNG KÝ KẾT HÔN', 'dang ky ket hon'],
    ['Thủ tục cấp Giấy xác nhận tình trạng hôn nhân', 'thu tuc cap giay xac nhan tinh trang hon nhan'],
    ['đường, đồng; đất!', 'duong dong dat'],
    ['Nuôi con nuôi?!', 'nuoi con nuoi'],
    ['  nhiều   khoảng   trắng  ', 'nhieu khoang trang'],
    ['1.001193', '1 001193'],
    ['Ủy ban nhân dân xã', 'uy ban nhan dan xa'],
    ['Trích lục hộ tịch, bản sao Giấy khai sinh', 'trich luc ho tich ban sao giay khai sinh'],
    ['', ''],
    ['!!!', ''],
  ])('%s → %s', (input, out) => {
    expect(fold(input)).toBe(out);
  });

  it('treats decomposed (NFD) and precomposed (NFC) input alike', () => {
    const s = 'Đăng ký thường trú';
    expect(fold(s.normalize('NFD'))).toBe(fold(s.normalize('NFC')));
    expect(fold(s.normalize('NFD'))).toBe('dang ky thuong tru');
  });

  it('folds compatibility forms and odd letters', () => {
    expect(fold('ＡＢＣ ２０２４')).toBe('abc 2024');
    expect(fold('ﬁle')).toBe('file');
    expect(fold('İstanbul')).toBe('istanbul');
    expect(fold('x²')).toBe('x2');
  });

  it('drops emoji, control characters and non-Latin scripts', () => {
    expect(fold('khai sinh 👶🏻 \u0000\u0007\t\n ok')).toBe('khai sinh ok');
    expect(fold('дом 家 بيت')).toBe('');
    expect(fold('\ud800 lone surrogate')).toBe('lone surrogate');
  });

  it('tokenizes', () => {
    expect(tokenize('Đăng ký, khai sinh.')).toEqual(['dang', 'ky', 'khai', 'sinh']);
    expect(tokenize('   ')).toEqual([]);
  });
});

describe('Telex / VNI repair', () => {
  it.each([
    ['kys', 'ky'],
    ['ky1', 'ky'],
    ['ddawng', 'dang'],
    ['ddawngf', 'dang'],
    ['nuwowcs', 'nuoc'],
    ['truwowngf', 'truong'],
    ['tuwr', 'tu'],
    ['hoon', 'hon'],
    ['tw', 'tu'],
    ['d9a8ng1', 'dang'],
    ['thuongf', 'thuong'],
    ['truws', 'tru'],
  ])('%s → %s', (input, out) => {
    expect(repairToken(input)).toBe(out);
  });

  it.each(['khai', 'sinh', 'nghieng', 'xoong', 'bhxh', 'cccd', 'gplx', 'vneid', 'visa', 'taxi', 'b2', 'a1', 'ct07', '2024', 'ok'])(
    'leaves %s alone',
    (t) => {
      expect(repairToken(t)).toBe(t);
    },
  );

  it('splits a counted noun glued to its number instead of reading VNI', () => {
    expect(normalizeQuery('vao lop1')).toBe('vao lop 1');
    expect(normalizeQuery('muc2')).toBe('muc 2');
  });

  it('repairs whole questions', () => {
    expect(normalizeQuery('dang kys khai sinh')).toBe('dang ky khai sinh');
    expect(normalizeQuery('dang ky1 khai sinh')).toBe('dang ky khai sinh');
    expect(normalizeQuery('ddawng kys ket hoon')).toBe('dang ky ket hon');
    expect(normalizeQuery('Đăng ký khai sinh')).toBe('dang ky khai sinh');
  });

  it('recognises syllables', () => {
    expect(isSyllable('nghieng')).toBe(true);
    expect(isSyllable('khuya')).toBe(true);
    expect(isSyllable('kys')).toBe(false);
    expect(isSyllable('bhxh')).toBe(false);
  });
});

describe('fold properties', () => {
  const anyString = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.string({ unit: fc.constantFrom(...'aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĐ 0123456789sfrxjw.,!?'.split('')), maxLength: 80 }),
  );

  it('fold is idempotent and only yields [a-z0-9 ] with single inner spaces', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const f = fold(s);
        expect(fold(f)).toBe(f);
        expect(f).toMatch(/^(?:[a-z0-9]+(?: [a-z0-9]+)*)?$/);
      }),
      { numRuns: 1500 },
    );
  });

  it('normalizeQuery is idempotent, never throws and stays in the alphabet', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const n = normalizeQuery(s);
        expect(normalizeQuery(n)).toBe(n);
        expect(n).toMatch(/^(?:[a-z0-9]+(?: [a-z0-9]+)*)?$/);
      }),
      { numRuns: 1500 },
    );
  });

  it('copes with 10,000 characters, emoji and control characters', () => {
    const long = 'đăng ký khai sinh 👶 \u0000 '.repeat(500).slice(0, 10_000);
    expect(() => normalizeQuery(long)).not.toThrow();
    expect(fold(long)).toMatch(/^[a-z0-9 ]*$/);
    expect(fold('\u202e\u200b\ufeff')).toBe('');
  });

  it('ignores non-string input without throwing', () => {
    expect(fold(undefined as unknown as string)).toBe('');
    expect(fold(42 as unknown as string)).toBe('');
  });
});
