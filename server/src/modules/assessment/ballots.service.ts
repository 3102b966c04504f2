import { randomBytes } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import QRCode from 'qrcode';
import type { OpContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { randomToken } from '../../lib/crypto.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { labelOf, POSTS } from '../meta/enums.ts';
import { getOrgNames } from '../orgs/orgs.service.ts';
import * as repo from './assessment.repo.ts';
import * as ballotsRepo from './ballots.repo.ts';
import type { BallotMode, TCommunityBallot } from './assessment.schema.ts';
import { BALLOT_COMMENT_MAX_CHARS, screenComment, validateBallot, VOTER_KINDS } from './rules/ballot-rules.ts';
import { checkQuorum } from './rules/quorum.ts';
import { BALLOT_CHOICE_CODES, BALLOT_CHOICES, type AssessmentTemplate } from './rules/template.ts';
import { getCycleRowOrThrow, parseStoredTemplate } from './assessment.service.ts';

/** Blind-index purpose of ballot codes and device tokens (HMAC with the server key, never the plain value). */
const CODE_PURPOSE = 'ballot_code';
const DEVICE_PURPOSE = 'ballot_device';
/** Blind-index purpose of client IPs counted in open mode (keyed per cycle, so hashes do not match across cycles). */
const IP_PURPOSE = 'ballot_ip';
export const BALLOT_DEVICE_COOKIE = 'sg_ballot_device';

/** Crockford base32 without I, L, O, U: codes read aloud and typed from paper without confusion. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;

/**
 * Open mode: a burst limit per IP across communities, in memory (the persisted per-community cap is the
 * template's `openModeBallotsPerIp`; codes mode has no limit).
 */
export const OPEN_MODE_IP_LIMIT = { max: 30, windowMs: 10 * 60_000 };

function newCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let s = '';
  for (const b of bytes) s += CODE_ALPHABET[b & 31];
  return s;
}

/** 'ABCDEFGHJKMN' → 'ABCD-EFGH-JKMN', as printed. */
export function formatBallotCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1-');
}

function normaliseCode(token: string): string | null {
  const s = token.toUpperCase().replace(/[\s-]/g, '');
  return new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`).test(s) ? s : null;
}

/** A cycle's community: its workers (fixed when the cycle opens) and names, cached for the public page. */
interface CommunityBallotInfo {
  cycleName: string;
  /** The cycle template's cap on open-mode ballots from one IP in this community. */
  ballotsPerIp: number;
  communityName: string;
  workerIds: Set<number>;
  workers: { id: number; name: string; post: string; postLabel: string }[];
}
const infoCache = new Map<string, CommunityBallotInfo>();

async function communityInfo(ctx: OpContext, cycleId: number, communityCode: string): Promise<CommunityBallotInfo> {
  const key = `${cycleId}:${communityCode}`;
  const hit = infoCache.get(key);
  if (hit) return hit;
  const db = ctx.deps.db.kysely;
  const cycle = await db.selectFrom('assessment_cycles').select(['name', 'template']).where('id', '=', cycleId).executeTakeFirstOrThrow();
  const names = await getOrgNames(ctx, [communityCode]);
  const rows = await repo.findCommunityParticipantsUnscoped(db, cycleId, communityCode);
  const info: CommunityBallotInfo = {
    cycleName: cycle.name,
    ballotsPerIp: parseStoredTemplate(cycle.template).openModeBallotsPerIp,
    communityName: names.get(communityCode) ?? communityCode,
    workerIds: new Set(rows.map((r) => Number(r.worker_id))),
    workers: rows.map((r) => ({ id: Number(r.worker_id), name: r.worker_name, post: r.post, postLabel: labelOf(POSTS, r.post) })),
  };
  if (infoCache.size > 10_000) infoCache.clear();
  infoCache.set(key, info);
  return info;
}

const invalidLink = () =>
  new AppError('NOT_FOUND', { message: '测评链接或测评码无效，请核对后重试', messageEn: 'Unknown ballot link or code' });

async function resolveToken(ctx: OpContext, token: string): Promise<ballotsRepo.BallotTarget> {
  const db = ctx.deps.db.kysely;
  const code = normaliseCode(token);
  const sqlite = ctx.deps.db.sqlite;
  const hash = code ? ctx.deps.cipher.blindIndex(CODE_PURPOSE, code) : null;
  const target = hash
    ? sqlite
      ? ballotsRepo.findCodeTargetSqlite(sqlite, hash)
      : await ballotsRepo.findCodeTarget(db, hash)
    : await ballotsRepo.findLinkTarget(db, token);
  if (!target) throw invalidLink();
  return target;
}

/** The public ballot page for a code or link: the community's workers (name and post only) and the choices. */
export async function getPublicBallot(ctx: OpContext, token: string) {
  const target = await resolveToken(ctx, token);
  const community = await ctx.deps.db.kysely
    .selectFrom('assessment_communities')
    .select(['ballot_mode', 'ballot_status'])
    .where('cycle_id', '=', target.cycleId)
    .where('community_code', '=', target.communityCode)
    .executeTakeFirstOrThrow();
  const info = await communityInfo(ctx, target.cycleId, target.communityCode);
  return {
    cycleName: info.cycleName,
    communityName: info.communityName,
    mode: community.ballot_mode as BallotMode,
    status: community.ballot_status as 'pending' | 'open' | 'closed',
    used: target.used,
    workers: info.workers,
    voterKinds: VOTER_KINDS.map((k) => ({ code: k.code, label: k.label })),
    choices: BALLOT_CHOICES.map((c) => ({ code: c.code, label: c.label })),
    commentMaxChars: BALLOT_COMMENT_MAX_CHARS,
  };
}

const ipWindows = new Map<string, { n: number; start: number }>();

function takeIpAllowance(ip: string | null): boolean {
  const key = ip ?? 'unknown';
  const now = Date.now();
  const w = ipWindows.get(key);
  if (!w || now - w.start >= OPEN_MODE_IP_LIMIT.windowMs) {
    if (ipWindows.size > 100_000) ipWindows.clear();
    ipWindows.set(key, { n: 1, start: now });
    return true;
  }
  w.n++;
  return w.n <= OPEN_MODE_IP_LIMIT.max;
}

const REFUSALS: Record<Exclude<ballotsRepo.CastOutcome, 'ok'>, { message: string; messageEn: string }> = {
  not_open: { message: '本社区的满意度测评尚未开始', messageEn: 'The ballot has not opened yet' },
  closed: { message: '本次满意度测评已结束，不再接受投票', messageEn: 'The ballot is closed' },
  code_used: { message: '该测评码已经投过票，每个测评码只能使用一次', messageEn: 'This ballot code has already been used' },
  device_used: { message: '本设备已参加过本次测评，每台设备只能投票一次', messageEn: 'This device has already voted' },
  ip_limit: {
    message: '您所在网络在本社区的投票次数已达上限，请改用测评码或联系社区工作人员',
    messageEn: 'Too many ballots from this network for this community; use a ballot code or ask the community office',
  },
};

/**
 * Casts a resident's ballot (no sign-in). Codes mode: the code votes once. Open mode: one ballot per
 * device cookie, at most the template's `openModeBallotsPerIp` per IP and community (counted in the
 * database with the ballot, by an HMAC of the IP, in a row that names no ballot) and at most
 * `OPEN_MODE_IP_LIMIT` per IP and window (in memory). The comment is screened (ID and phone numbers
 * masked) before it is stored. Ballots carry no code, device, IP or exact time. Returns the device token
 * to set as a cookie when open mode issued a new one. Behind a reverse proxy the server must trust it
 * (`SHEGONG_TRUST_PROXY`), or every resident shares the proxy's address and its cap.
 */
export async function castBallot(
  ctx: OpContext,
  token: string,
  body: unknown,
  deviceToken: string | undefined,
): Promise<{ newDeviceToken: string | null }> {
  const target = await resolveToken(ctx, token);
  if (target.used) throw new AppError('CONFLICT', { ...REFUSALS.code_used, details: { reason: 'code_used' } });
  const info = await communityInfo(ctx, target.cycleId, target.communityCode);
  const checked = validateBallot(body, info.workerIds);
  if (!checked.ok) {
    const first = checked.issues[0]!;
    throw new AppError('VALIDATION_FAILED', { message: first.message, details: { issues: checked.issues } });
  }
  let deviceHash: string | null = null;
  let ipLimit: ballotsRepo.BallotToInsert['ipLimit'] = null;
  let newDeviceToken: string | null = null;
  if (!target.codeHash) {
    if (!takeIpAllowance(ctx.ip)) throw new AppError('RATE_LIMITED');
    let device = deviceToken && /^[\w-]{20,64}$/.test(deviceToken) ? deviceToken : null;
    if (!device) {
      device = randomToken(24);
      newDeviceToken = device;
    }
    deviceHash = ctx.deps.cipher.blindIndex(DEVICE_PURPOSE, `${target.cycleId}:${device}`);
    ipLimit = { ipHash: ctx.deps.cipher.blindIndex(IP_PURPOSE, `${target.cycleId}:${ctx.ip ?? 'unknown'}`), max: info.ballotsPerIp };
  }
  const ballot: ballotsRepo.BallotToInsert = {
    cycleId: target.cycleId,
    communityCode: target.communityCode,
    voterKind: checked.ballot.voterKind,
    castHour: nowIso().slice(0, 13),
    comment: checked.ballot.comment ? screenComment(checked.ballot.comment).text : null,
    ratings: checked.ballot.ratings,
    codeHash: target.codeHash,
    deviceHash,
    ipLimit,
  };
  const { db } = ctx.deps;
  const outcome =
    (db.sqlite ? await ballotsRepo.castBallotSqlite(db.sqlite, ballot) : null) ??
    (await ballotsRepo.castBallotKysely(db.kysely, db.dialect, ballot));
  if (outcome !== 'ok') throw new AppError('CONFLICT', { ...REFUSALS[outcome], details: { reason: outcome } });
  return { newDeviceToken };
}

// ——— the street's side: modes, codes, opening and closing, live counts, the tally after closing ———

async function getCommunityOrThrow(ctx: OpContext, cycleId: number, code: string) {
  await getCycleRowOrThrow(ctx, cycleId);
  const row = await repo.getCommunityOfCycle(ctx.deps.db.kysely, ctx.scope, cycleId, code);
  if (!row) throw AppError.notFound();
  return row;
}

/** Every community of a cycle in scope with its ballot mode, status and live counts (no per-worker figures). */
export async function findCycleCommunities(ctx: OpContext, cycleId: number): Promise<TCommunityBallot[]> {
  await getCycleRowOrThrow(ctx, cycleId);
  const db = ctx.deps.db.kysely;
  const rows = await repo.findCommunitiesOfCycle(db, ctx.scope, cycleId);
  const codes = rows.map((r) => r.community_code);
  const [counts, used, names, approvals] = await Promise.all([
    repo.countBallotsByCommunity(db, cycleId, codes),
    repo.countUsedCodesByCommunity(db, cycleId, codes),
    getOrgNames(ctx, codes),
    repo.findApprovals(db, cycleId),
  ]);
  const approvedAt = new Map(approvals.map((a) => [a.org_code, a.approved_at]));
  return rows.map((r) => ({
    communityCode: r.community_code,
    communityName: names.get(r.community_code) ?? null,
    streetCode: r.street_code,
    ballotMode: r.ballot_mode as BallotMode,
    ballotStatus: r.ballot_status as 'pending' | 'open' | 'closed',
    linkToken: r.ballot_mode === 'open' ? r.link_token : null,
    codesIssued: Number(r.codes_issued),
    codesUsed: used.get(r.community_code) ?? 0,
    ballots: counts.get(r.community_code)?.total ?? 0,
    ordinaryResidentBallots: counts.get(r.community_code)?.ordinary ?? 0,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    approvedAt: approvedAt.get(r.community_code) ?? null,
  }));
}

async function presentOne(ctx: OpContext, cycleId: number, code: string) {
  return (await findCycleCommunities(ctx, cycleId)).find((c) => c.communityCode === code)!;
}

function assertCycleOpen(status: string) {
  if (status !== 'open') {
    throw new AppError('CONFLICT', {
      message: '考核已进入计算或审核阶段，测评不能再变更',
      messageEn: 'The cycle is past the rating stage',
    });
  }
}

/** Opens a community's ballot in the chosen mode (codes by default); open mode gets a public link. */
export async function openCommunityBallot(ctx: OpContext, cycleId: number, code: string, mode: BallotMode) {
  const cycle = await getCycleRowOrThrow(ctx, cycleId);
  assertCycleOpen(cycle.status);
  const row = await getCommunityOrThrow(ctx, cycleId, code);
  if (row.ballot_status !== 'pending') {
    throw new AppError('CONFLICT', { message: '本社区的测评已开始或已结束', messageEn: 'The ballot has already been opened' });
  }
  if (mode === 'codes' && Number(row.codes_issued) === 0) {
    throw AppError.field('mode', '测评码方式须先生成测评码再开始测评', 'Issue ballot codes before opening in codes mode');
  }
  const now = nowIso();
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    const ok = await repo.updateCommunity(trx, cycleId, code, 'pending', {
      ballot_mode: mode,
      ballot_status: 'open',
      opened_at: now,
      link_token: mode === 'open' ? randomToken(18) : null,
    });
    if (!ok) throw new AppError('CONFLICT', { message: '本社区的测评已被他人开启', messageEn: 'Changed meanwhile' });
    await appendAudit(trx, ctx, {
      action: 'assessment.ballot_open',
      entityType: 'assessment_cycle',
      entityId: cycleId,
      orgCode: code,
      after: { communityCode: code, mode },
    });
  });
  infoCache.delete(`${cycleId}:${code}`);
  return presentOne(ctx, cycleId, code);
}

/** Closes a community's ballot: no more ballots are accepted; the tally becomes visible. */
export async function closeCommunityBallot(ctx: OpContext, cycleId: number, code: string) {
  const row = await getCommunityOrThrow(ctx, cycleId, code);
  if (row.ballot_status !== 'open') {
    throw new AppError('CONFLICT', { message: '本社区的测评未在进行中', messageEn: 'The ballot is not open' });
  }
  const now = nowIso();
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateCommunity(trx, cycleId, code, 'open', { ballot_status: 'closed', closed_at: now }))) {
      throw new AppError('CONFLICT', { message: '本社区的测评已被他人结束', messageEn: 'Changed meanwhile' });
    }
    const counts = await repo.countBallotsByCommunity(trx, cycleId, [code]);
    await appendAudit(trx, ctx, {
      action: 'assessment.ballot_close',
      entityType: 'assessment_cycle',
      entityId: cycleId,
      orgCode: code,
      after: { communityCode: code, ballots: counts.get(code)?.total ?? 0 },
    });
  });
  return presentOne(ctx, cycleId, code);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/**
 * Issues `count` single-use ballot codes for a community (codes mode, before or during the ballot). Only
 * their hashes are stored: the codes appear once, in this answer and its printable sheet.
 */
export async function issueBallotCodes(ctx: OpContext, cycleId: number, code: string, count: number, baseUrl: string) {
  const cycle = await getCycleRowOrThrow(ctx, cycleId);
  assertCycleOpen(cycle.status);
  const row = await getCommunityOrThrow(ctx, cycleId, code);
  if (row.ballot_status === 'closed') throw new AppError('CONFLICT', { message: '本社区的测评已结束', messageEn: 'The ballot is closed' });
  if (row.ballot_mode === 'open' && row.ballot_status === 'open') {
    throw new AppError('CONFLICT', { message: '本社区采用公开链接方式测评，无需测评码', messageEn: 'The ballot runs in open mode' });
  }
  const codes = Array.from({ length: count }, newCode);
  const { cipher } = ctx.deps;
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < codes.length; i += 500) {
      await trx
        .insertInto('assessment_ballot_codes')
        .values(
          codes
            .slice(i, i + 500)
            .map((c) => ({ code_hash: cipher.blindIndex(CODE_PURPOSE, c), cycle_id: cycleId, community_code: code, used: 0 })),
        )
        .execute();
    }
    await trx
      .updateTable('assessment_communities')
      .set((eb) => ({ codes_issued: eb('codes_issued', '+', count) }))
      .where('cycle_id', '=', cycleId)
      .where('community_code', '=', code)
      .execute();
    await appendAudit(trx, ctx, {
      action: 'assessment.ballot_codes_issue',
      entityType: 'assessment_cycle',
      entityId: cycleId,
      orgCode: code,
      after: { communityCode: code, count },
    });
  });
  const names = await getOrgNames(ctx, [code]);
  const community = names.get(code) ?? code;
  const slips: string[] = [];
  for (const [i, c] of codes.entries()) {
    // A QR code costs about a millisecond of CPU: let ballots being cast meanwhile through between batches.
    if (i > 0 && i % 50 === 0) await yieldToEventLoop();
    const link = `${baseUrl}/ballot/${c}`;
    // An inline SVG (no image files, no network): scanning it opens the same link as typing the code.
    const qr = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    slips.push(`<div class="slip"><div class="qr">${qr.trim()}</div><div class="txt"><div class="t">${escapeHtml(cycle.name)}</div>
<div>${escapeHtml(community)} 居民满意度测评</div><div class="code">${formatBallotCode(c)}</div><div class="url">${escapeHtml(link)}</div>
<div class="n">手机扫码或打开上方网址投票；每个测评码只能使用一次，投票不记名。</div></div></div>`);
  }
  const printHtml = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(community)} 测评码</title>
<style>body{font-family:sans-serif;margin:8mm}.slip{display:inline-flex;gap:3mm;width:88mm;border:1px dashed #999;padding:4mm;margin:1mm;vertical-align:top;page-break-inside:avoid;box-sizing:border-box}
.qr{flex:none;width:28mm;height:28mm}.qr svg{width:100%;height:100%}.txt{min-width:0}
.t{font-weight:bold}.code{font:bold 20px monospace;letter-spacing:2px;margin:2mm 0}.url{font:11px monospace;word-break:break-all}.n{font-size:11px;color:#555}</style>
</head><body>${slips.join('\n')}</body></html>`;
  return { communityCode: code, codes: codes.map(formatBallotCode), printHtml };
}

/** Per-worker choices and screened comments of a community: only once its ballot has closed. */
export async function getCommunityTally(ctx: OpContext, cycleId: number, code: string) {
  const cycle = await getCycleRowOrThrow(ctx, cycleId);
  const row = await getCommunityOrThrow(ctx, cycleId, code);
  if (row.ballot_status !== 'closed') {
    throw new AppError('CONFLICT', {
      message: '测评结束前不公开测评结果，仅显示投票数',
      messageEn: 'Results are hidden until the ballot closes',
    });
  }
  const template: AssessmentTemplate = parseStoredTemplate(cycle.template);
  const db = ctx.deps.db.kysely;
  const participants = await repo.findCommunityParticipantsUnscoped(db, cycleId, code);
  const ids = participants.map((p) => Number(p.worker_id));
  const [ratings, counts, comments] = await Promise.all([
    repo.countRatingsByWorker(db, cycleId, ids),
    repo.countBallotsByCommunity(db, cycleId, [code]),
    repo.findBallotComments(db, cycleId, code),
  ]);
  const turnout = { validBallots: counts.get(code)?.total ?? 0, ordinaryResidentBallots: counts.get(code)?.ordinary ?? 0 };
  const quorum = checkQuorum(template.quorum, turnout);
  return {
    communityCode: code,
    validBallots: turnout.validBallots,
    ordinaryResidentBallots: turnout.ordinaryResidentBallots,
    quorumMet: quorum.met,
    quorumReasons: quorum.reasonsZh,
    workers: participants.map((p) => {
      const byChoice = Object.fromEntries(BALLOT_CHOICE_CODES.map((c) => [c, 0])) as Record<(typeof BALLOT_CHOICE_CODES)[number], number>;
      for (const r of ratings) if (Number(r.worker_id) === Number(p.worker_id)) byChoice[r.choice as keyof typeof byChoice] = Number(r.n);
      return { workerId: Number(p.worker_id), name: p.worker_name, ...byChoice };
    }),
    // Sorted by text, not by ballot: the order of casting, set against the live count the street watched
    // rise, would tell whose comment is whose.
    comments: comments
      .map((c) => c.comment!)
      .filter(Boolean)
      .sort(),
  };
}
