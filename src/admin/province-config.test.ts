import { describe, expect, it } from 'vitest';
import { loadConfig, parseProvinces } from '../platform/config.js';

describe('XASO_PROVINCE', () => {
  it('names the provinces a deployment serves', () => {
    expect(parseProvinces('04')).toEqual(['04']);
    expect(parseProvinces(' 04, 80 04 ')).toEqual(['04', '80']);
    expect(parseProvinces(undefined)).toEqual(['80']);
    expect(loadConfig({ XASO_PROVINCE: '04' }).provinces).toEqual(['04']);
  });
  it('refuses anything but two-digit codes, in Vietnamese', () => {
    expect(() => parseProvinces('4')).toThrow('XASO_PROVINCE không hợp lệ: "4" (cần mã tỉnh 2 chữ số, ví dụ 04 hoặc 04,80)');
    expect(() => parseProvinces('Cao Bằng')).toThrow('XASO_PROVINCE không hợp lệ');
  });
});
