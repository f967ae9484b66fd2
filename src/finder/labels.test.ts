import { describe, expect, it } from 'vitest';
import { forWhomLabel, shortAgency, whereLabel } from './labels.js';

describe('look-alike labels', () => {
  it('names level and deciding body', () => {
    expect(whereLabel(['commune'], ['Ủy ban Nhân dân xã, phường, thị trấn.'])).toBe('Cấp xã — UBND xã');
    expect(whereLabel(['commune', 'vertical'], ['Công an cấp Xã'])).toBe('Cấp xã — Công an xã');
    expect(whereLabel(['province'], ['Chi nhánh Văn phòng đăng ký đất đai, Văn phòng đăng ký đất đai | Sở Nông nghiệp và Môi trường'])).toBe('Cấp tỉnh — Sở Nông nghiệp và Môi trường');
    expect(whereLabel(['commune', 'province'], ['Cơ quan quản lý cơ sở dữ liệu hộ tịch điện tử | Sở Tư pháp'])).toBe('Cấp xã — Cơ quan quản lý cơ sở dữ liệu hộ tịch điện tử');
    expect(whereLabel(['ministry'], [])).toBe('Cấp trung ương');
    expect(whereLabel([], [])).toBe('Chưa rõ cấp');
  });

  it('shortens long agency names', () => {
    expect(shortAgency('x'.repeat(80)).length).toBeLessThanOrEqual(58);
    expect(shortAgency('Ủy ban nhân dân cấp tỉnh')).toBe('UBND tỉnh');
  });

  it('says for whom', () => {
    expect(forWhomLabel(['Công dân Việt Nam', 'Người Việt Nam định cư ở nước ngoài'])).toBe('người dân, người Việt Nam ở nước ngoài');
    expect(forWhomLabel(['Doanh nghiệp', 'Hợp tác xã', 'Tổ chức nước ngoài'])).toBe('tổ chức, doanh nghiệp, tổ chức nước ngoài');
    expect(forWhomLabel(['Người nước ngoài'])).toBe('người nước ngoài');
    expect(forWhomLabel([])).toBe('');
  });
});
