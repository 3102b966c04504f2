import type { OpContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { ancestorCodes, NATION_CODE } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { findOrgInScope, getOrgNames } from '../orgs/orgs.service.ts';
import * as repo from './staffing.repo.ts';
import { DEFAULT_STAFFING_PER_10K } from './staffing-rules.ts';
import type { TEffectiveStandard, TStaffingStandardCreate } from './staffing.schema.ts';

type RuleRow = Awaited<ReturnType<typeof repo.findRulesForCodesUnscoped>>[number];

function selfAndAncestors(code: string): string[] {
  return code === NATION_CODE ? [NATION_CODE] : [NATION_CODE, ...ancestorCodes(code), code];
}

const DEFAULT_STANDARD: TEffectiveStandard = {
  per10k: DEFAULT_STAFFING_PER_10K,
  communityCap: null,
  source: 'default',
  orgCode: null,
  orgName: null,
  effectiveFrom: null,
  ruleId: null,
};

/** The rule in force for `code`: the newest version at the nearest node on its path to the root. */
function pickRule(code: string, rules: RuleRow[], names: Map<string, string>): TEffectiveStandard {
  const path = selfAndAncestors(code);
  for (let i = path.length - 1; i >= 0; i--) {
    const hit = rules.find((r) => r.org_code === path[i]);
    if (hit) {
      return {
        per10k: hit.per_10k,
        communityCap: hit.community_cap,
        source: 'rule',
        orgCode: hit.org_code,
        orgName: names.get(hit.org_code) ?? null,
        effectiveFrom: hit.effective_from,
        ruleId: Number(hit.id),
      };
    }
  }
  return DEFAULT_STANDARD;
}

function today(): string {
  return nowIso().slice(0, 10);
}

/**
 * Standards in force for a node and for each of its children, from one query: rules on the
 * node's path to the root and on the children themselves.
 */
export async function resolveStandards(ctx: OpContext, code: string, childCodes: string[], on = today()) {
  const rules = await repo.findRulesForCodesUnscoped(ctx.deps.db.kysely, [...selfAndAncestors(code), ...childCodes], on);
  const names = await getOrgNames(ctx, [...new Set(rules.map((r) => r.org_code))]);
  return {
    own: pickRule(code, rules, names),
    children: new Map(childCodes.map((c) => [c, pickRule(c, rules, names)])),
  };
}

export async function getStaffingStandard(ctx: OpContext, code: string) {
  const org = await findOrgInScope(ctx, code);
  if (!org) throw AppError.notFound();
  const [{ own }, versions] = await Promise.all([
    resolveStandards(ctx, code, []),
    repo.findVersionsOfNodeUnscoped(ctx.deps.db.kysely, code),
  ]);
  return {
    effective: own,
    versions: versions.map((v) => ({
      id: Number(v.id),
      orgCode: v.org_code,
      per10k: v.per_10k,
      communityCap: v.community_cap,
      effectiveFrom: v.effective_from,
      note: v.note,
      createdAt: v.created_at,
    })),
  };
}

/** Adds a new version of a region's standard (province, city or district; never edited in place). */
export async function setStaffingStandard(ctx: OpContext, code: string, input: TStaffingStandardCreate) {
  const org = await findOrgInScope(ctx, code);
  if (!org) throw AppError.notFound();
  if (org.level > 3) {
    throw new AppError('VALIDATION_FAILED', {
      message: '配备标准只能由全国、省、市、区县设置',
      messageEn: 'Staffing standards are set by the nation, a province, a city or a district',
      details: { issues: [{ field: 'orgCode', message: '配备标准只能由全国、省、市、区县设置' }] },
    });
  }
  const d = new Date(`${input.effectiveFrom}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== input.effectiveFrom) {
    throw new AppError('VALIDATION_FAILED', {
      message: '生效日期：不是有效日期',
      messageEn: 'effectiveFrom: not a valid date',
      details: { issues: [{ field: 'effectiveFrom', message: '生效日期：不是有效日期' }] },
    });
  }
  const row = {
    org_code: code,
    per_10k: input.per10k,
    community_cap: input.communityCap ?? null,
    effective_from: input.effectiveFrom,
    note: input.note ?? null,
    created_at: nowIso(),
    created_by: ctx.actor?.id ?? null,
  };
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    const id = await repo.insertRule(trx, row);
    await appendAudit(trx, ctx, {
      action: 'staffing_standard.set',
      entityType: 'staffing_standard',
      entityId: id,
      orgCode: code,
      after: { per10k: row.per_10k, communityCap: row.community_cap, effectiveFrom: row.effective_from, note: row.note },
    });
  });
  return getStaffingStandard(ctx, code);
}
