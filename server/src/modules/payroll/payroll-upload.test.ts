import { describe, expect, it } from 'vitest';
import { cellFen, cellMonth, RowErrors } from './payroll-upload.ts';

describe('payroll upload cells', () => {
  it('reads months as people write them', () => {
    expect(cellMonth('2026-06', null)).toBe('2026-06');
    expect(cellMonth('2026/6', null)).toBe('2026-06');
    expect(cellMonth('2026年6月', null)).toBe('2026-06');
    expect(cellMonth('2026.06', null)).toBe('2026-06');
    expect(cellMonth('202606', null)).toBe('2026-06');
    expect(cellMonth('2026-06-01', null)).toBe('2026-06');
    expect(cellMonth(new Date(Date.UTC(2026, 5, 1)), null)).toBe('2026-06');
    expect(cellMonth('6', 2026)).toBe('2026-06');
    expect(cellMonth('6月', 2026)).toBe('2026-06');
    expect(cellMonth('6', null)).toBeNull();
    expect(cellMonth('2026-13', null)).toBeNull();
    expect(cellMonth('', 2026)).toBeNull();
  });

  it('reads yuan cells as exact fen; empty is zero only where allowed', () => {
    expect(cellFen('1,234.56', false)).toEqual({ ok: true, fen: 123_456 });
    expect(cellFen(0.3, false)).toEqual({ ok: true, fen: 30 });
    expect(cellFen(null, true)).toEqual({ ok: true, fen: 0 });
    expect(cellFen('  ', false)).toEqual({ ok: false, message: '不能为空' });
    expect(cellFen('1.234', false)).toEqual({ ok: false, message: '最多两位小数（元）' });
    expect(cellFen(new Date(), false)).toMatchObject({ ok: false });
  });

  it('words row errors 第N行 列名：…', () => {
    const errors = new RowErrors({ cumGross: ['累计收入', '累计应发'] });
    errors.add(3, 'cumGross', '最多两位小数（元）');
    errors.add(4, null, '该月已审批');
    expect(errors.items).toEqual([
      { rowNumber: 3, column: '累计收入', message: '第3行 累计收入：最多两位小数（元）' },
      { rowNumber: 4, column: null, message: '第4行 该月已审批' },
    ]);
    expect(() => errors.throwIfAny(10)).toThrow(/10 行中有 2 处错误，未写入任何数据/);
  });
});
