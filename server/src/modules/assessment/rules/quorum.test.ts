import { describe, expect, it } from 'vitest';
import { checkQuorum } from './quorum.ts';

const RULE = { minBallots: 50, minOrdinaryShareBp: 7000 };

describe('checkQuorum (≥50 valid ballots, ≥70% ordinary residents)', () => {
  it('is met at exactly 50 ballots with exactly 70% ordinary (35/50)', () => {
    expect(checkQuorum(RULE, { validBallots: 50, ordinaryResidentBallots: 35 })).toEqual({ met: true, reasonsZh: [] });
  });

  it('is met with 60 ballots, 42 ordinary (42×10000 = 420,000 ≥ 60×7000 = 420,000)', () => {
    expect(checkQuorum(RULE, { validBallots: 60, ordinaryResidentBallots: 42 }).met).toBe(true);
  });

  it('is not met by count: 49 ballots, all ordinary', () => {
    expect(checkQuorum(RULE, { validBallots: 49, ordinaryResidentBallots: 49 })).toEqual({
      met: false,
      reasonsZh: ['有效测评票49张，少于50张'],
    });
  });

  it('is not met by share: 60 ballots, 41 ordinary = 68.3%', () => {
    expect(checkQuorum(RULE, { validBallots: 60, ordinaryResidentBallots: 41 })).toEqual({
      met: false,
      reasonsZh: ['普通居民测评票41张，占68.3%，低于70%'],
    });
  });

  it('is not met by share by a single ballot: 100 ballots, 69 ordinary', () => {
    expect(checkQuorum(RULE, { validBallots: 100, ordinaryResidentBallots: 69 }).reasonsZh).toEqual(['普通居民测评票69张，占69%，低于70%']);
  });

  it('reports both failures', () => {
    expect(checkQuorum(RULE, { validBallots: 30, ordinaryResidentBallots: 10 }).reasonsZh).toEqual([
      '有效测评票30张，少于50张',
      '普通居民测评票10张，占33.3%，低于70%',
    ]);
  });

  it('fails without ballots, and passes with a zero rule', () => {
    expect(checkQuorum(RULE, { validBallots: 0, ordinaryResidentBallots: 0 }).reasonsZh).toEqual([
      '有效测评票0张，少于50张',
      '无有效测评票，普通居民占比无法计算',
    ]);
    expect(checkQuorum({ minBallots: 0, minOrdinaryShareBp: 0 }, { validBallots: 0, ordinaryResidentBallots: 0 }).met).toBe(true);
  });
});
