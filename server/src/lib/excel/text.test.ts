import { describe, expect, it } from 'vitest';
import { excelSerialToIsoDate, normaliseCellText, normaliseHeaderText, parseFlexibleDate } from './text.ts';

describe('normaliseCellText', () => {
  it('turns full-width digits, letters and punctuation half-width', () => {
    expect(normaliseCellText('１１０１０５１９４９１２３１００２Ｘ')).toBe('11010519491231002X');
    expect(normaliseCellText('张三（大），电话：１３８')).toBe('张三(大),电话:138');
  });

  it('maps ideographic space and NBSP to spaces, trims and collapses runs', () => {
    expect(normaliseCellText('\u3000张\u00A0\u00A0三  丰\u3000')).toBe('张 三 丰');
    expect(normaliseCellText('\t a \t b ')).toBe('a b');
  });

  it('strips zero-width characters', () => {
    expect(normaliseCellText('\uFEFF张\u200B三\u200D')).toBe('张三');
  });

  it('keeps line breaks inside a cell but trims around them', () => {
    expect(normaliseCellText('北京市 \r\n  朝阳区')).toBe('北京市\n朝阳区');
  });
});

describe('normaliseHeaderText', () => {
  it('ignores spaces, line breaks, * markers, (必填) and width', () => {
    expect(normaliseHeaderText('*身份证号（必填）')).toBe('身份证号');
    expect(normaliseHeaderText('＊ 身 份\n证号 (必填)')).toBe('身份证号');
    expect(normaliseHeaderText('入职日期：')).toBe('入职日期');
    expect(normaliseHeaderText('ID Number')).toBe('idnumber');
  });
});

describe('parseFlexibleDate', () => {
  const ok = (value: string) => ({ ok: true, value });

  it.each([
    ['2024-03-01'],
    ['2024/3/1'],
    ['2024.3.1'],
    ['2024年3月1日'],
    ['2024 年 3 月 1 号'],
    ['20240301'],
    ['２０２４－０３－０１'],
    ['２０２４年３月１日'],
    ['2024-03-01 00:00:00'],
    ['2024-03-01T08:30'],
    ['45352'],
    ['45352.75'],
  ])('reads %s as 2024-03-01', (input) => {
    expect(parseFlexibleDate(input)).toEqual(ok('2024-03-01'));
  });

  it('reads Dates by their UTC calendar day, as exceljs gives them', () => {
    expect(parseFlexibleDate(new Date(Date.UTC(2024, 2, 1)))).toEqual(ok('2024-03-01'));
    // 23:00 UTC on the last day of February is still February 29th, whatever the server's zone.
    expect(parseFlexibleDate(new Date(Date.UTC(2024, 1, 29, 23)))).toEqual(ok('2024-02-29'));
    expect(parseFlexibleDate(new Date(Number.NaN)).ok).toBe(false);
  });

  it('reads Excel serial numbers in the 1900 system, including around the 1900-02-29 bug', () => {
    expect(parseFlexibleDate(45352)).toEqual(ok('2024-03-01'));
    expect(parseFlexibleDate(1)).toEqual(ok('1900-01-01'));
    expect(parseFlexibleDate(59)).toEqual(ok('1900-02-28'));
    expect(parseFlexibleDate(61)).toEqual(ok('1900-03-01'));
    expect(parseFlexibleDate(2958465)).toEqual(ok('9999-12-31'));
    expect(parseFlexibleDate(45352.99)).toEqual(ok('2024-03-01'));
    const bug = parseFlexibleDate(60);
    expect(bug.ok).toBe(false);
    expect(!bug.ok && bug.message).toContain('1900-02-29');
    expect(parseFlexibleDate(0).ok).toBe(false);
    expect(parseFlexibleDate(2958466).ok).toBe(false);
    expect(parseFlexibleDate(-3).ok).toBe(false);
  });

  it('reads the 1904 date system when asked', () => {
    expect(excelSerialToIsoDate(0, true)).toEqual(ok('1904-01-01'));
    expect(parseFlexibleDate(43890, { date1904: true })).toEqual(ok('2024-03-01'));
  });

  it('reads yyyymmdd typed as a number', () => {
    expect(parseFlexibleDate(20240301)).toEqual(ok('2024-03-01'));
  });

  it('accepts a year and month only with allowMonth', () => {
    expect(parseFlexibleDate('2024-3', { allowMonth: true })).toEqual(ok('2024-03-01'));
    expect(parseFlexibleDate('2024年3月', { allowMonth: true })).toEqual(ok('2024-03-01'));
    expect(parseFlexibleDate('２０２４．３', { allowMonth: true })).toEqual(ok('2024-03-01'));
    expect(parseFlexibleDate('202403', { allowMonth: true })).toEqual(ok('2024-03-01'));
    expect(parseFlexibleDate(202403, { allowMonth: true })).toEqual(ok('2024-03-01'));
    const r = parseFlexibleDate('2024-3');
    expect(r).toMatchObject({ ok: false, message: '日期不完整：“2024-3”，请填写到日，如 2024-03-01' });
  });

  it('rejects dates that do not exist and says so in Chinese and English', () => {
    expect(parseFlexibleDate('2024-13-01')).toEqual({
      ok: false,
      message: '日期格式无法识别：“2024-13-01”',
      messageEn: 'Unrecognised date: "2024-13-01"',
    });
    expect(parseFlexibleDate('2023-02-29')).toMatchObject({ ok: false, message: '日期不存在：“2023-02-29”' });
    expect(parseFlexibleDate('2024-02-29')).toEqual(ok('2024-02-29'));
    expect(parseFlexibleDate('2024-04-31')).toMatchObject({ ok: false, message: '日期不存在：“2024-04-31”' });
    expect(parseFlexibleDate('20241301').ok).toBe(false);
  });

  it('rejects text that is not a date', () => {
    expect(parseFlexibleDate('明天')).toMatchObject({ ok: false, message: '日期格式无法识别：“明天”' });
    expect(parseFlexibleDate('3/1/2024').ok).toBe(false);
    expect(parseFlexibleDate('')).toMatchObject({ ok: false, message: '日期为空' });
    expect(parseFlexibleDate(null)).toMatchObject({ ok: false, message: '日期为空' });
    expect(parseFlexibleDate('123456789').ok).toBe(false);
  });
});
