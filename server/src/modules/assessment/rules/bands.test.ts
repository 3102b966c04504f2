import { describe, expect, it } from 'vitest';
import { assignBand, bandRangeZh, vetoExplanationZh, vetoOutcome } from './bands.ts';
import { DEFAULT_ASSESSMENT_TEMPLATE } from './template.ts';

const BANDS = DEFAULT_ASSESSMENT_TEMPLATE.bands;

describe('assignBand at the exact boundaries (优秀 ≥90, 称职 70–89.99, 基本称职 60–69.99, 不称职 <60)', () => {
  it.each([
    [10000, 'excellent'],
    [9000, 'excellent'],
    [8999, 'competent'],
    [7000, 'competent'],
    [6999, 'basically_competent'],
    [6000, 'basically_competent'],
    [5999, 'incompetent'],
    [0, 'incompetent'],
  ])('%i hundredths → %s', (total, result) => {
    expect(assignBand(BANDS, total)).toBe(result);
  });

  it('describes band ranges', () => {
    expect(bandRangeZh(BANDS, 'excellent')).toBe('≥90.00分');
    expect(bandRangeZh(BANDS, 'competent')).toBe('70.00–89.99分');
    expect(bandRangeZh(BANDS, 'basically_competent')).toBe('60.00–69.99分');
    expect(bandRangeZh(BANDS, 'incompetent')).toBe('0.00–59.99分');
  });

  it('follows a region’s own lines (优秀 ≥95, 称职 ≥80, 基本称职 ≥65)', () => {
    const own = [
      { result: 'excellent' as const, minScore: 9500 },
      { result: 'competent' as const, minScore: 8000 },
      { result: 'basically_competent' as const, minScore: 6500 },
      { result: 'incompetent' as const, minScore: 0 },
    ];
    expect(assignBand(own, 9499)).toBe('competent');
    expect(assignBand(own, 6500)).toBe('basically_competent');
    expect(assignBand(own, 6499)).toBe('incompetent');
  });
});

describe('vetoOutcome (一票否决)', () => {
  const T = {
    vetoItems: [
      ...DEFAULT_ASSESSMENT_TEMPLATE.vetoItems,
      { key: 'late_reports', nameZh: '多次未按时报送材料', result: 'basically_competent' as const },
    ],
  };

  it('is null without vetoes', () => {
    expect(vetoOutcome(T, [])).toBe(null);
  });

  it('gives 不称职 for a disciplinary sanction and explains it', () => {
    const v = vetoOutcome(T, ['disciplinary_sanction'])!;
    expect(v.result).toBe('incompetent');
    expect(vetoExplanationZh(v)).toBe('因“年度内受到党纪政务处分”一票否决，考核等次为不称职');
  });

  it('takes the worst result when several apply, and counts a key once', () => {
    expect(vetoOutcome(T, ['late_reports'])!.result).toBe('basically_competent');
    const v = vetoOutcome(T, ['late_reports', 'disciplinary_sanction', 'late_reports'])!;
    expect(v.result).toBe('incompetent');
    expect(v.items.map((i) => i.key)).toEqual(['late_reports', 'disciplinary_sanction']);
  });

  it('throws on a veto the template does not define', () => {
    expect(() => vetoOutcome(T, ['unknown'])).toThrow(RangeError);
  });
});
