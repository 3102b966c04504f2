/**
 * Re-banding on a change of post (岗位变动重新定岗): when a worker's post moves them to another band
 * of their grade scheme (正职/副职/其他), the current grade is re-banded in the same transaction as
 * the post change — the level is kept when it lies in the new band, else moved to the nearest end.
 * Kept apart from grades.service.ts so the workers service can call it without an import cycle.
 */
import type { OpContext, Tx } from '../../context.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { highestPost, labelOf, POSTS, postCategoryOf, type PostCode } from '../meta/enums.ts';
import * as repo from './grades.repo.ts';
import { bandForPost, findBand, ZGradeScheme, type PostCategory } from './rules/grade-scheme.ts';
import { rebandOnPostChange } from './rules/promotion.ts';

export interface PostChange {
  workerId: number;
  /** The worker's org after the change (for the audit entry). */
  orgCode: string;
  /** The primary post and every post held after the change. */
  post: string;
  posts: readonly string[];
}

/**
 * Re-bands the worker's current grade for their new post, effective `date`; a worker without a
 * grade, or whose band does not change, is left as is. Returns the new grade row's id, if any.
 */
export async function rebandWorkerOnPostChange(trx: Tx, ctx: OpContext, change: PostChange, date: string): Promise<number | null> {
  const current = await repo.getCurrentGradeUnscoped(trx, change.workerId);
  if (!current) return null;
  const [schemeRow] = await repo.getSchemesByIdUnscoped(trx, [Number(current.scheme_id)]);
  if (!schemeRow) return null;
  const scheme = ZGradeScheme.parse(JSON.parse(schemeRow.rules));
  const post = highestPost(change.posts.length ? change.posts : [change.post]) ?? change.post;
  const target = bandForPost(scheme, { postCategory: postCategoryOf(post) as PostCategory, post: post as PostCode });
  if (!target || target.key === current.band) return null;
  const rb = rebandOnPostChange(scheme, { level: Number(current.level), newBand: target.key });
  if (!rb.ok) return null;
  const fromBandName = findBand(scheme, current.band)?.nameZh ?? current.band;
  const isLevelChanged = rb.value.level !== Number(current.level);
  const textZh = `岗位调整为${labelOf(POSTS, post)}（${date}），岗位序列由${fromBandName}调整为${target.nameZh}：${rb.value.explanation.textZh}`;
  const id = await repo.replaceCurrentGrade(trx, {
    worker_id: change.workerId,
    org_code: change.orgCode,
    scheme_id: Number(current.scheme_id),
    band: rb.value.band,
    level: rb.value.level,
    effective_date: date,
    // The step clock restarts only when the level itself changed.
    last_step_date: isLevelChanged ? date : current.last_step_date,
    early_steps_used: Number(current.early_steps_used),
    source: 'reband',
    run_id: null,
    explanation: JSON.stringify({
      textZh,
      schemeKey: scheme.key,
      schemeName: scheme.nameZh,
      bandName: target.nameZh,
      post,
      fromBand: current.band,
      fromLevel: Number(current.level),
      fromGradeId: Number(current.id),
      rules: [rb.value.explanation],
    }),
    is_current: 1,
    created_by: ctx.actor?.id ?? null,
    created_at: nowIso(),
  });
  await appendAudit(trx, ctx, {
    action: 'worker_grade.reband',
    entityType: 'worker',
    entityId: change.workerId,
    orgCode: change.orgCode,
    before: { band: current.band, level: Number(current.level) },
    after: { band: rb.value.band, level: rb.value.level, effectiveDate: date, post, gradeId: id },
  });
  return id;
}
