import { describe, expect, it } from 'vitest';
import { screenComment, stripControlChars, validateBallot } from './ballot-rules.ts';

const LIST = new Set([11, 12, 13]);
const ballot = (changes: Record<string, unknown> = {}) => ({
  voterKind: 'ordinary_resident',
  ratings: [
    { workerId: 11, choice: 'satisfied' },
    { workerId: 12, choice: 'basically_satisfied' },
  ],
  ...changes,
});

describe('validateBallot', () => {
  it('accepts a ballot rating some of the community’s workers', () => {
    expect(validateBallot(ballot({ comment: '  服务很好 ' }), LIST)).toEqual({
      ok: true,
      ballot: { ...ballot(), comment: '服务很好' },
    });
  });

  it('drops an empty comment', () => {
    const r = validateBallot(ballot({ comment: ' \u200B ' }), LIST);
    expect(r).toEqual({ ok: true, ballot: ballot() });
  });

  it('refuses a worker not on the community’s list', () => {
    expect(validateBallot(ballot({ ratings: [{ workerId: 99, choice: 'satisfied' }] }), LIST)).toEqual({
      ok: false,
      issues: [{ field: 'ratings.0.workerId', message: '被评价人不在本社区测评名单中' }],
    });
  });

  it('refuses a second rating of the same worker', () => {
    const ratings = [
      { workerId: 11, choice: 'satisfied' },
      { workerId: 12, choice: 'satisfied' },
      { workerId: 11, choice: 'dissatisfied' },
    ];
    expect(validateBallot(ballot({ ratings }), LIST)).toEqual({
      ok: false,
      issues: [{ field: 'ratings.2.workerId', message: '同一名社区工作者只能评价一次' }],
    });
  });

  it('refuses a choice outside 满意/基本满意/不满意, in Chinese, with the path', () => {
    const r = validateBallot(ballot({ ratings: [{ workerId: 11, choice: 'very_satisfied' }] }), LIST);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => i.field)).toEqual(['ratings.0.choice']);
      expect(r.issues[0]!.message).toMatch(/无效选项/);
    }
  });

  it('refuses an empty ballot and an unknown voter kind', () => {
    const r = validateBallot({ voterKind: 'tourist', ratings: [] }, LIST);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => i.field)).toEqual(['voterKind', 'ratings']);
      expect(r.issues[1]!.message).toBe('请至少评价一名社区工作者');
    }
  });

  it('limits the comment to 200 characters, counted as code points after stripping control characters', () => {
    expect(validateBallot(ballot({ comment: '好'.repeat(200) }), LIST).ok).toBe(true);
    expect(validateBallot(ballot({ comment: '😀'.repeat(200) }), LIST).ok).toBe(true); // 400 UTF-16 units, 200 characters
    expect(validateBallot(ballot({ comment: `${'好'.repeat(200)}\u0000\u200B` }), LIST).ok).toBe(true);
    expect(validateBallot(ballot({ comment: '好'.repeat(201) }), LIST)).toEqual({
      ok: false,
      issues: [{ field: 'comment', message: '意见建议不得超过200字，当前201字' }],
    });
  });
});

describe('stripControlChars', () => {
  it('removes C0/C1 controls and invisible marks, keeps newlines and tabs', () => {
    expect(stripControlChars('a\u0000b\u0007c\r\nd\re\tf\u202Eg\uFEFF\u0085')).toEqual({ text: 'abc\nd\ne\tfg', removed: 5 });
  });
});

const masks = (text: string) => screenComment(text).text;

describe('screenComment: ID numbers', () => {
  it.each([
    ['身份证110101199003071234请保密', '身份证110***********1234请保密'],
    ['11010119900307123X', '110***********123X'],
    ['11010119900307123x。', '110***********123X。'],
    ['110101 19900307 1234', '110***********1234'],
    ['110101-19900307-1234', '110***********1234'],
    ['1101 0119 9003 0712 34', '110***********1234'],
    ['１１０１０１１９９００３０７１２３４', '110***********1234'],
    ['３３０１０６２０００１２３１５６７Ｘ', '330***********567X'],
    ['老身份证110101900307123', '老身份证110********7123'],
  ])('%s → %s', (input, output) => {
    expect(masks(input)).toBe(output);
  });

  it('reports the masked forms, never the originals', () => {
    expect(screenComment('号码110101199003071234').masked).toEqual([{ kind: 'id_number', masked: '110***********1234' }]);
  });
});

describe('screenComment: mobile numbers', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['我的电话：13812345678，欢迎来电', '我的电话：138****5678，欢迎来电'],
    ['19912345678', '199****5678'],
    ['138 1234 5678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['138－1234－5678', '138****5678'],
    ['138　1234　5678', '138****5678'],
    ['+86 138 1234 5678', '138****5678'],
    ['+86-13812345678', '138****5678'],
    ['＋８６ １３８１２３４５６７８', '138****5678'],
    ['8613812345678', '138****5678'],
    ['0086 13812345678', '138****5678'],
    ['１３８１２３４５６７８', '138****5678'],
    ['138\u200B1234\u200B5678', '138****5678'],
    ['找13812345678或13987654321', '找138****5678或139****4321'],
    ['13812345678 13987654321', '138****5678 139****4321'],
  ])('%s → %s', (input, output) => {
    expect(masks(input)).toBe(output);
  });
});

describe('screenComment: landlines', () => {
  it.each([
    ['0571-88886666', '0571-****6666'],
    ['010-12345678', '010-****5678'],
    ['021 6123 4567', '021-****4567'],
    ['0755-1234567', '0755-***4567'],
    ['０５７１－８８８８６６６６', '0571-****6666'],
    ['居委会电话057188886666', '居委会电话0571-****6666'],
  ])('%s → %s', (input, output) => {
    expect(masks(input)).toBe(output);
  });
});

describe('screenComment: leaves ordinary numbers alone', () => {
  it.each([
    '2024-05-01 开会',
    '共100 200 300人',
    '3号楼2单元501室',
    '12345',
    '订单20240501123456',
    '12812345678',
    '88886666',
    '2024年12月31日前完成',
  ])('%s', (input) => {
    expect(screenComment(input)).toEqual({ text: input, masked: [], controlCharsRemoved: 0 });
  });

  it('masks a phone after a date without swallowing the date', () => {
    expect(masks('2024-05-01 13812345678')).toBe('2024-05-01 138****5678');
  });
});

describe('screenComment: several kinds in one comment', () => {
  it('masks each, in order, and counts removed control characters', () => {
    const r = screenComment('张阿姨\u0007身份证110101199003071234，手机138 1234 5678，座机0571-88886666');
    expect(r.text).toBe('张阿姨身份证110***********1234，手机138****5678，座机0571-****6666');
    expect(r.masked).toEqual([
      { kind: 'id_number', masked: '110***********1234' },
      { kind: 'mobile', masked: '138****5678' },
      { kind: 'landline', masked: '0571-****6666' },
    ]);
    expect(r.controlCharsRemoved).toBe(1);
  });
});
