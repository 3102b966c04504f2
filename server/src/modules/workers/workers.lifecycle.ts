import { highestPost, isConcurrentPosts, labelOf, postCategoryOf, WORKER_STATUSES, type WorkerStatus } from '../meta/enums.ts';

/**
 * The worker lifecycle: 试用期 → 在岗 → 离岗 → 已退出. Moves allowed without more ado; anything
 * else is refused. `exited` is final except by an explicit reinstatement (恢复), which only a street
 * office (or the system) may do, back to probation or active.
 */
const ALLOWED: Record<WorkerStatus, readonly WorkerStatus[]> = {
  probation: ['active', 'on_leave', 'exited'],
  active: ['on_leave', 'exited'],
  on_leave: ['active', 'exited'],
  exited: [],
};

const REINSTATE_TARGETS: readonly WorkerStatus[] = ['probation', 'active'];

export type TransitionProblem =
  | { kind: 'unchanged'; message: string; messageEn: string }
  | { kind: 'illegal'; message: string; messageEn: string }
  | { kind: 'reinstate_needed'; message: string; messageEn: string };

function statusLabel(code: string): string {
  return labelOf(WORKER_STATUSES, code);
}

/** Why a status change is not allowed, or null when it is. `reinstate` is the explicit 恢复 flag. */
export function statusTransitionProblem(from: WorkerStatus, to: WorkerStatus, reinstate = false): TransitionProblem | null {
  if (from === to) {
    return { kind: 'unchanged', message: `状态：已是“${statusLabel(to)}”`, messageEn: `status: already ${to}` };
  }
  if (from === 'exited') {
    if (reinstate && REINSTATE_TARGETS.includes(to)) return null;
    if (REINSTATE_TARGETS.includes(to)) {
      return {
        kind: 'reinstate_needed',
        message: `状态：不能从“${statusLabel(from)}”直接改为“${statusLabel(to)}”，须办理恢复（reinstate）`,
        messageEn: `status: cannot go from ${from} to ${to} without an explicit reinstatement`,
      };
    }
  }
  if (reinstate && from !== 'exited') {
    return { kind: 'illegal', message: '状态：只有已退出人员可以恢复', messageEn: 'status: only an exited worker can be reinstated' };
  }
  if (ALLOWED[from].includes(to)) return null;
  return {
    kind: 'illegal',
    message: `状态：不能从“${statusLabel(from)}”直接改为“${statusLabel(to)}”`,
    messageEn: `status: cannot go from ${from} to ${to}`,
  };
}

/** Whether a plain edit may change the status: only the confirmation of a probationer (转正). */
export function isStatusEditable(from: string, to: string): boolean {
  return from === to || (from === 'probation' && to === 'active');
}

/** The posts a worker holds: the stored set, or the primary post alone for older rows. */
export function postsOf(primary: string, postsJson: string | null): string[] {
  if (!postsJson) return [primary];
  const parsed = JSON.parse(postsJson) as unknown;
  return Array.isArray(parsed) && parsed.length > 0 ? parsed.map(String) : [primary];
}

/** Post category (正职/副职/其他) and 一肩挑 flag derived from every post held. */
export function derivePostFacts(posts: readonly string[]): { postCategory: string; isConcurrent: boolean } {
  const top = highestPost(posts);
  return { postCategory: postCategoryOf(top ?? 'full_time_staff'), isConcurrent: isConcurrentPosts(posts) };
}

/**
 * Resolves the primary post and the post set from an edit: the set always contains the primary
 * post; a set without a primary keeps the old primary when still held, else takes the highest;
 * a new primary without a set replaces the old primary in the set.
 */
export function resolvePosts(
  current: { post: string; posts: readonly string[] } | null,
  input: { post?: string | undefined; posts?: readonly string[] | undefined },
): { post: string; posts: string[] } | { problem: string; problemEn: string } {
  if (input.posts !== undefined) {
    const set = [...new Set(input.posts)];
    if (input.post !== undefined) {
      if (!set.includes(input.post)) return { problem: '岗位：主岗位须在所任岗位之中', problemEn: 'post: must be one of posts' };
      return { post: input.post, posts: sortPosts(set) };
    }
    const keep = current && set.includes(current.post) ? current.post : highestPost(set)!;
    return { post: keep, posts: sortPosts(set) };
  }
  if (input.post !== undefined) {
    const rest = current ? current.posts.filter((p) => p !== current.post && p !== input.post) : [];
    return { post: input.post, posts: sortPosts([input.post, ...rest]) };
  }
  if (!current) return { problem: '岗位：必填', problemEn: 'post: required' };
  return { post: current.post, posts: [...current.posts] };
}

function sortPosts(posts: string[]): string[] {
  return [...posts].sort((a, b) => (highestPost([a, b]) === a ? -1 : 1));
}
