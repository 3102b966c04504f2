import { describe, expect, it } from 'vitest';
import { WORKER_STATUS_CODES } from '../meta/enums.ts';
import { derivePostFacts, isStatusEditable, postsOf, resolvePosts, statusTransitionProblem } from './workers.lifecycle.ts';

describe('statusTransitionProblem', () => {
  it('allows the ordinary lifecycle moves', () => {
    for (const [from, to] of [
      ['probation', 'active'],
      ['probation', 'on_leave'],
      ['probation', 'exited'],
      ['active', 'on_leave'],
      ['active', 'exited'],
      ['on_leave', 'active'],
      ['on_leave', 'exited'],
    ] as const) {
      expect(statusTransitionProblem(from, to), `${from} → ${to}`).toBeNull();
    }
  });

  it('refuses going back to probation and leaving the exited state without reinstatement', () => {
    expect(statusTransitionProblem('active', 'probation')?.message).toBe('状态：不能从“在岗”直接改为“试用期”');
    expect(statusTransitionProblem('exited', 'active')?.message).toMatch(/^状态：不能从“已退出”直接改为“在岗”/);
    expect(statusTransitionProblem('exited', 'active')?.kind).toBe('reinstate_needed');
    expect(statusTransitionProblem('exited', 'on_leave')?.kind).toBe('illegal');
  });

  it('lets an explicit reinstatement bring an exited worker back to probation or active only', () => {
    expect(statusTransitionProblem('exited', 'active', true)).toBeNull();
    expect(statusTransitionProblem('exited', 'probation', true)).toBeNull();
    expect(statusTransitionProblem('exited', 'on_leave', true)?.kind).toBe('illegal');
    expect(statusTransitionProblem('active', 'on_leave', true)?.message).toBe('状态：只有已退出人员可以恢复');
  });

  it('reports an unchanged status for every status', () => {
    for (const s of WORKER_STATUS_CODES) expect(statusTransitionProblem(s, s)?.kind).toBe('unchanged');
  });

  it('lets a plain edit only confirm a probationer', () => {
    expect(isStatusEditable('probation', 'active')).toBe(true);
    expect(isStatusEditable('active', 'active')).toBe(true);
    expect(isStatusEditable('active', 'on_leave')).toBe(false);
    expect(isStatusEditable('exited', 'active')).toBe(false);
  });
});

describe('posts', () => {
  it('derives the category from the highest-ranking post and flags 一肩挑', () => {
    expect(derivePostFacts(['grid_worker', 'deputy_director'])).toEqual({ postCategory: 'deputy', isConcurrent: false });
    expect(derivePostFacts(['committee_director', 'party_secretary'])).toEqual({ postCategory: 'principal', isConcurrent: true });
    expect(derivePostFacts(['grid_worker'])).toEqual({ postCategory: 'staff', isConcurrent: false });
  });

  it('reads the stored set, falling back to the primary post', () => {
    expect(postsOf('grid_worker', null)).toEqual(['grid_worker']);
    expect(postsOf('party_secretary', '["party_secretary","committee_director"]')).toEqual(['party_secretary', 'committee_director']);
  });

  it('resolves the primary post and the set from an edit', () => {
    expect(resolvePosts(null, { posts: ['committee_director', 'party_secretary'] })).toEqual({
      post: 'party_secretary',
      posts: ['party_secretary', 'committee_director'],
    });
    expect(resolvePosts(null, { post: 'grid_worker' })).toEqual({ post: 'grid_worker', posts: ['grid_worker'] });
    expect(resolvePosts(null, { post: 'grid_worker', posts: ['party_secretary'] })).toEqual({
      problem: '岗位：主岗位须在所任岗位之中',
      problemEn: 'post: must be one of posts',
    });
    const held = { post: 'committee_director', posts: ['committee_director', 'party_secretary'] };
    expect(resolvePosts(held, { posts: ['committee_director', 'grid_worker'] })).toEqual({
      post: 'committee_director',
      posts: ['committee_director', 'grid_worker'],
    });
    expect(resolvePosts(held, { post: 'deputy_director' })).toEqual({
      post: 'deputy_director',
      posts: ['party_secretary', 'deputy_director'],
    });
    expect(resolvePosts(held, {})).toEqual(held);
  });
});
