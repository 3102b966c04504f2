import { z } from 'zod';
import type { FieldIssue } from '../../../lib/errors.ts';
import type { CodeLabel } from '../../meta/enums.ts';
import { maskPhone } from '../../../lib/mask.ts';
import { BALLOT_CHOICE_CODES, toFieldIssues } from './template.ts';

/** Who the voter declares to be; the quorum counts the share of ordinary residents. */
export const VOTER_KINDS = [
  { code: 'ordinary_resident', label: '普通居民', labelEn: 'Ordinary resident' },
  { code: 'resident_representative', label: '居民代表、楼栋长', labelEn: 'Resident representative' },
  { code: 'party_member_representative', label: '党员代表', labelEn: 'Party member representative' },
  { code: 'unit_representative', label: '驻区单位代表', labelEn: 'Representative of a local unit' },
] as const satisfies readonly CodeLabel[];
export type VoterKind = (typeof VOTER_KINDS)[number]['code'];
export const VOTER_KIND_CODES = VOTER_KINDS.map((k) => k.code) as [VoterKind, ...VoterKind[]];

export const BALLOT_COMMENT_MAX_CHARS = 200;

/** The shape of a ballot as posted by the public page; membership and duplicates are checked by `validateBallot`. */
export const ZBallotPayload = z.object({
  voterKind: z.enum(VOTER_KIND_CODES),
  ratings: z
    .array(z.object({ workerId: z.number().int().positive(), choice: z.enum(BALLOT_CHOICE_CODES) }))
    .min(1, '请至少评价一名社区工作者')
    .max(200),
  comment: z.string().max(2000).optional(),
});
export type BallotPayload = z.infer<typeof ZBallotPayload>;

export type BallotValidation = { ok: true; ballot: BallotPayload } | { ok: false; issues: FieldIssue[] };

/**
 * Validates a ballot for one community: the payload shape, every rated worker on the community's list,
 * at most one rating per worker, and a comment of at most 200 characters (code points, counted after
 * control characters are stripped and the ends trimmed). The returned comment is cleaned but not yet
 * screened; run `screenComment` before anyone sees it.
 */
export function validateBallot(input: unknown, communityWorkerIds: ReadonlySet<number>): BallotValidation {
  const parsed = ZBallotPayload.safeParse(input, { error: z.locales.zhCN().localeError });
  if (!parsed.success) return { ok: false, issues: toFieldIssues(parsed.error.issues) };
  const ballot = parsed.data;
  const issues: FieldIssue[] = [];
  const seen = new Set<number>();
  ballot.ratings.forEach((r, i) => {
    if (!communityWorkerIds.has(r.workerId)) {
      issues.push({ field: `ratings.${i}.workerId`, message: '被评价人不在本社区测评名单中' });
    } else if (seen.has(r.workerId)) {
      issues.push({ field: `ratings.${i}.workerId`, message: '同一名社区工作者只能评价一次' });
    }
    seen.add(r.workerId);
  });
  let comment: string | undefined;
  if (ballot.comment !== undefined) {
    comment = stripControlChars(ballot.comment).text.trim();
    const length = [...comment].length;
    if (length > BALLOT_COMMENT_MAX_CHARS) {
      issues.push({ field: 'comment', message: `意见建议不得超过${BALLOT_COMMENT_MAX_CHARS}字，当前${length}字` });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  const { comment: _raw, ...rest } = ballot;
  return { ok: true, ballot: comment ? { ...rest, comment } : rest };
}

/**
 * Control and invisible formatting characters (C0 except tab and newline, DEL, C1, zero-width and
 * bidirectional marks, BOM). Zero-width characters matter: they could split a phone number to dodge masking.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;

/** Removes control characters; `\r\n` and lone `\r` become `\n`. */
export function stripControlChars(text: string): { text: string; removed: number } {
  const unified = text.replace(/\r\n?/g, '\n');
  let removed = 0;
  const cleaned = unified.replace(CONTROL_CHARS, () => {
    removed++;
    return '';
  });
  return { text: cleaned, removed };
}

export type MaskedKind = 'id_number' | 'mobile' | 'landline';

export interface ScreenedComment {
  text: string;
  /** What was masked, as masked forms only: the original values are never kept. */
  masked: { kind: MaskedKind; masked: string }[];
  controlCharsRemoved: number;
}

/*
 * A run of digits (ASCII or full-width), optionally starting with '+', where digits may be separated by
 * at most two spaces or dashes (ASCII, full-width or ideographic), and X may end an ID number.
 */
const DIGIT = '[0-9\\uFF10-\\uFF19]';
const SEP = '[ \\u00A0\\u3000\\t\\-\\uFF0D\\u2010-\\u2015]';
const RUN = new RegExp(`[+\\uFF0B]?${DIGIT}(?:${SEP}{0,2}(?:${DIGIT}|[Xx\\uFF38\\uFF58](?![0-9A-Za-z\\uFF10-\\uFF19])))*`, 'g');
const SEP_SPLIT = new RegExp(`${SEP}+`);

function normaliseDigits(s: string): string {
  return s
    .replace(/[\uFF10-\uFF19]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\uFF38\uFF58x]/g, 'X')
    .replace(/[+\uFF0B]/g, '');
}

/*
 * ID numbers are recognised by structure (region code starting 1–8, a plausible birth date), not by the
 * check digit, so a mistyped number is masked too while dates and order numbers run together are not.
 */
const MMDD = '(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])';
const ID18 = new RegExp(`^[1-8]\\d{5}(?:18|19|20)\\d{2}${MMDD}\\d{3}[\\dX]$`);
const ID15 = new RegExp(`^[1-8]\\d{5}\\d{2}${MMDD}\\d{3}$`);

/** Masks one number that is entirely personal data, or returns null. `digits` has no separators. */
function classify(digits: string): { kind: MaskedKind; masked: string } | null {
  if (ID18.test(digits)) return { kind: 'id_number', masked: `${digits.slice(0, 3)}${'*'.repeat(11)}${digits.slice(-4)}` };
  if (ID15.test(digits)) return { kind: 'id_number', masked: `${digits.slice(0, 3)}${'*'.repeat(8)}${digits.slice(-4)}` };
  const mobile = /^(?:0086|86)?(1[3-9]\d{9})$/.exec(digits);
  if (mobile) return { kind: 'mobile', masked: maskPhone(mobile[1]!) };
  // Landline with area code: 010 and 02x have 3 digits, others 4; the local number has 7 or 8.
  const landline = /^(0[12]\d|0[3-9]\d{2})(\d{7,8})$/.exec(digits);
  if (landline) {
    const local = landline[2]!;
    return { kind: 'landline', masked: `${landline[1]}-${'*'.repeat(local.length - 4)}${local.slice(-4)}` };
  }
  return null;
}

/**
 * Masks personal data in a resident's comment before anyone sees it: ID numbers (18 digits, last may be X,
 * or the old 15 digits) → `110***********1234`; mainland mobiles (optionally +86/0086) → `138****5678`;
 * landlines with an area code → `0571-****6666`. Digits may be full-width and split by spaces or dashes.
 * A run of digit groups is read greedily left to right, taking the longest consecutive groups that form
 * one of these numbers, so two numbers separated by a space are both found. Not detected: numbers written
 * in Chinese numerals, landlines without area code, digits glued to other digits. Control characters are
 * stripped first.
 */
export function screenComment(raw: string): ScreenedComment {
  const { text: clean, removed } = stripControlChars(raw);
  const masked: ScreenedComment['masked'] = [];
  const text = clean.replace(RUN, (run) => {
    const tokens = run.split(SEP_SPLIT);
    const seps = run.match(new RegExp(SEP_SPLIT, 'g')) ?? [];
    const out: string[] = [];
    let i = 0;
    while (i < tokens.length) {
      let found: { kind: MaskedKind; masked: string } | null = null;
      let j = tokens.length;
      for (; j > i; j--) {
        found = classify(normaliseDigits(tokens.slice(i, j).join('')));
        if (found) break;
      }
      if (found) {
        masked.push(found);
        out.push(found.masked);
        if (j < tokens.length) out.push(seps[j - 1]!);
        i = j;
      } else {
        out.push(tokens[i]!);
        if (i + 1 < tokens.length) out.push(seps[i]!);
        i++;
      }
    }
    return out.join('');
  });
  return { text, masked, controlCharsRemoved: removed };
}
