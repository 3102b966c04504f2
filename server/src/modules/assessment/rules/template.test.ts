import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors.ts';
import {
  DEFAULT_ASSESSMENT_TEMPLATE,
  DE_NENG_QIN_JI_LIAN_DIMENSIONS,
  parseAssessmentTemplate,
  resultLabel,
  resultRank,
  safeParseAssessmentTemplate,
  type AssessmentTemplateInput,
} from './template.ts';

const withChanges = (changes: Partial<AssessmentTemplateInput>): unknown => ({ ...DEFAULT_ASSESSMENT_TEMPLATE, ...changes });
const issuesOf = (input: unknown) => {
  const r = safeParseAssessmentTemplate(input);
  if (r.ok) throw new Error('expected the template to be rejected');
  return r.issues;
};

describe('assessment template defaults', () => {
  it('parses the default template to itself (JSON round trip)', () => {
    expect(parseAssessmentTemplate(JSON.parse(JSON.stringify(DEFAULT_ASSESSMENT_TEMPLATE)))).toEqual(DEFAULT_ASSESSMENT_TEMPLATE);
  });

  it('holds the published defaults: 30/10/60, quorum 50 and 70%, 20% cap, bands 90/70/60', () => {
    const t = DEFAULT_ASSESSMENT_TEMPLATE;
    expect(t.raterGroups.map((g) => [g.key, g.weightBp])).toEqual([
      ['street', 3000],
      ['peers', 1000],
      ['residents', 6000],
    ]);
    expect(t.quorum).toEqual({ minBallots: 50, minOrdinaryShareBp: 7000 });
    expect(t.excellentCap).toEqual({ shareBp: 2000, rounding: 'floor', atLeastOne: true });
    expect(t.bands.map((b) => b.minScore)).toEqual([9000, 7000, 6000, 0]);
    expect(t.ballotPoints).toEqual({ satisfied: 10000, basically_satisfied: 6000, dissatisfied: 0 });
    expect(t.missingGroupPolicy).toBe('flag');
    expect(t.tieRule).toBe('demote_all');
  });

  it('accepts the 德能勤绩廉 variant (20+20+15+35+10 = 100%)', () => {
    const r = safeParseAssessmentTemplate(withChanges({ dimensions: DE_NENG_QIN_JI_LIAN_DIMENSIONS }));
    expect(r.ok).toBe(true);
  });

  it('fills defaults for omitted settings', () => {
    const {
      tieRule: _t,
      vetoItems: _v,
      missingGroupPolicy: _m,
      tieBreakGroups: _b,
      nameZh: _n,
      period: _p,
      ...rest
    } = DEFAULT_ASSESSMENT_TEMPLATE;
    const t = parseAssessmentTemplate(rest);
    expect(t.tieRule).toBe('demote_all');
    expect(t.vetoItems).toEqual([]);
    expect(t.missingGroupPolicy).toBe('flag');
    expect(t.period).toBe('annual');
  });

  it('labels and ranks grades', () => {
    expect(resultLabel('basically_competent')).toBe('基本称职');
    expect(resultRank('excellent')).toBe(0);
    expect(resultRank('incompetent')).toBe(3);
  });
});

describe('assessment template validation (Chinese messages with the field path)', () => {
  it('rejects dimension weights that do not sum to 100% (30+50+10 = 90%)', () => {
    const dims = DEFAULT_ASSESSMENT_TEMPLATE.dimensions.map((d) => (d.key === 'satisfaction' ? { ...d, weightBp: 1000 } : d));
    expect(issuesOf(withChanges({ dimensions: dims }))).toEqual([{ field: 'dimensions', message: '考核维度权重之和须为100%，当前为90%' }]);
  });

  it('rejects rater group weights that do not sum to 100% (30+10+61 = 101%)', () => {
    const groups = DEFAULT_ASSESSMENT_TEMPLATE.raterGroups.map((g) => (g.key === 'residents' ? { ...g, weightBp: 6100 } : g));
    expect(issuesOf(withChanges({ raterGroups: groups }))).toEqual([
      { field: 'raterGroups', message: '评议组权重之和须为100%，当前为101%' },
    ]);
  });

  it('rejects fractional weights, naming the path', () => {
    const groups = DEFAULT_ASSESSMENT_TEMPLATE.raterGroups.map((g, i) => (i === 1 ? { ...g, weightBp: 999.5 } : g));
    expect(issuesOf(withChanges({ raterGroups: groups }))).toContainEqual({
      field: 'raterGroups.1.weightBp',
      message: '须为整数（单位：基点，1% = 100）',
    });
  });

  it('rejects duplicate keys and a second ballot group', () => {
    const groups = [
      { key: 'street', nameZh: '街道', weightBp: 4000, source: 'ballot' as const },
      { key: 'street', nameZh: '居民', weightBp: 6000, source: 'ballot' as const },
    ];
    const fields = issuesOf(withChanges({ raterGroups: groups, tieBreakGroups: [] }));
    expect(fields).toContainEqual({ field: 'raterGroups.1.key', message: '评议组键名重复' });
    expect(fields).toContainEqual({ field: 'raterGroups', message: '至多一个评议组来自居民测评票' });
  });

  it('rejects bands out of order, not descending, or not starting at 0', () => {
    const bands = [
      { result: 'excellent' as const, minScore: 9000 },
      { result: 'competent' as const, minScore: 9000 },
      { result: 'incompetent' as const, minScore: 6000 },
      { result: 'basically_competent' as const, minScore: 100 },
    ];
    const fields = issuesOf(withChanges({ bands }));
    expect(fields).toContainEqual({ field: 'bands.1.minScore', message: '等次分数线须从高到低严格递减' });
    expect(fields).toContainEqual({ field: 'bands.2.result', message: '第3档须为“基本称职”' });
    expect(fields).toContainEqual({ field: 'bands.3.minScore', message: '最低等次的分数线须为0' });
  });

  it('rejects unknown tie-break groups and a group tie rule without groups', () => {
    expect(issuesOf(withChanges({ tieBreakGroups: ['parents'] }))).toEqual([
      { field: 'tieBreakGroups.0', message: '评议组“parents”不存在' },
    ]);
    expect(issuesOf(withChanges({ tieRule: 'break_by_group_scores', tieBreakGroups: [] }))).toEqual([
      { field: 'tieBreakGroups', message: '按评议组得分区分并列时须指定至少一个评议组' },
    ]);
  });

  it('uses Chinese messages for type errors (period, scores above 100 points)', () => {
    const issues = issuesOf(withChanges({ period: 'monthly' as 'annual', quorum: { minBallots: 50, minOrdinaryShareBp: 12000 } }));
    expect(issues.map((i) => i.field)).toEqual(['period', 'quorum.minOrdinaryShareBp']);
    expect(issues[0]!.message).toMatch(/无效选项/);
    expect(issues[1]!.message).toBe('不得超过100%（10000）');
  });

  it('throws VALIDATION_FAILED with every issue in details', () => {
    try {
      parseAssessmentTemplate(withChanges({ tieBreakGroups: ['parents'] }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      const e = err as AppError;
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.message).toBe('考核模板有误：tieBreakGroups.0：评议组“parents”不存在');
      expect(e.details).toEqual({ issues: [{ field: 'tieBreakGroups.0', message: '评议组“parents”不存在' }] });
    }
  });
});
