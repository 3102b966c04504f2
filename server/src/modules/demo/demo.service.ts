import { Faker, base, zh_CN } from '@faker-js/faker';
import { sql, type Kysely } from 'kysely';
import type { Credential } from '../../bootstrap.ts';
import type { Deps, OpContext } from '../../context.ts';
import type { Database, NewWorker } from '../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import { buildIdNumber, maskIdNumber } from '../../lib/id-card.ts';
import { nameInitials } from '../../lib/pinyin.ts';
import { maskPhone } from '../../lib/mask.ts';
import { codeInSubtree, isCodeInScope } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { standardHeadcount } from '../staffing/staffing-rules.ts';
import type { PostCode, QualificationLevel, Role, WorkerStatus } from '../meta/enums.ts';
import { importChinaDivision } from '../orgs/org-import.service.ts';
import { getOrgNames } from '../orgs/orgs.service.ts';
import { seedDemoPayroll } from '../payroll/payroll.demo.ts';
import { ensureDemoPayrollRules } from '../payroll/payroll.settings.ts';
import { getUserByUsernameUnscoped } from '../users/users.repo.ts';
import { createUser } from '../users/users.service.ts';
import { DEMO_GRADING_DATE, seedDemoGrades } from '../grades/grades.demo.ts';
import { ID_NUMBER_PURPOSE, PHONE_PURPOSE } from '../workers/workers.service.ts';
import {
  DEPUTY_AGE_BANDS,
  EDUCATION_35_PLUS,
  EDUCATION_UNDER_35,
  MOBILE_PREFIXES,
  PRINCIPAL_AGE_BANDS,
  STAFF_AGE_BANDS,
  SURNAMES,
  pick,
  pickGivenName,
  weightedSampler,
} from './demo-data.ts';

/** The seed of the shipped demo: the publication date of the 2024 意见 on the community worker workforce. */
export const DEFAULT_DEMO_SEED = 20240410;
/** 杭州市. */
export const DEFAULT_DEMO_CITY = '3301';
/** The district whose first urban street hosts the demo accounts, per city; other cities use their first district. */
const DEMO_DISTRICT_BY_CITY: Record<string, string> = { '3301': '330106' };
/**
 * Ages, birth dates and work start dates are computed as of this fixed day, so that one seed always
 * yields the same people (and ID numbers) whenever it is run.
 */
export const DEMO_AS_OF = '2026-01-01';

const DEMO_SEEDED_KEY = 'demo.seeded';
/** Workers per insert transaction: a transaction holds whole communities only, so a killed run resumes cleanly. */
const BATCH_WORKERS = 1000;
/** Rows per INSERT statement (17 columns: well below SQLite's 32,766 and PostgreSQL's 65,535 parameters). */
const INSERT_ROWS = 500;
const DAY_MS = 86_400_000;
const YEAR_MS = 365.2425 * DAY_MS;

export interface SeedDemoOptions {
  /** Random seed; the same seed on an empty database gives the same people. Default 20240410. */
  seed?: number;
  /** City division code (4 digits). Default 3301 杭州市. */
  cityCode?: string;
  /** Limits the import, the populations and the workforce to one district of the city (quick demos, tests). */
  districtCode?: string;
}

export interface SeedDemoResult {
  /** Org units loaded from the division data (inserted or refreshed). */
  orgs: number;
  /** Workers created by this run (0 when every community already had workers). */
  workers: number;
  /** Demo accounts created by this run, with their one-time passwords (empty when they already existed). */
  accounts: Credential[];
}

/** Whether the demo has been seeded into this database (app_meta `demo.seeded`). */
export async function isDemoSeeded(deps: Deps): Promise<boolean> {
  const row = await deps.db.kysely.selectFrom('app_meta').select('key').where('key', '=', DEMO_SEEDED_KEY).executeTakeFirst();
  return row !== undefined;
}

/**
 * Fills a city with a realistic synthetic workforce: the real division tree, plausible populations
 * for communities that have none, workers by the staffing standard (18 per 10,000 residents) in
 * communities that have no workers yet, and one account per role in a demo street. Idempotent:
 * re-running adds nothing that exists; the same seed on an empty database gives the same result.
 */
export async function seedDemo(ctx: OpContext, options: SeedDemoOptions): Promise<SeedDemoResult> {
  const seed = normaliseSeed(options.seed ?? DEFAULT_DEMO_SEED);
  const cityCode = options.cityCode ?? DEFAULT_DEMO_CITY;
  const districtCode = options.districtCode;
  if (!/^\d{4}$/.test(cityCode)) throw AppError.field('cityCode', '城市代码应为4位数字', 'cityCode must be 4 digits');
  if (districtCode !== undefined && !(/^\d{6}$/.test(districtCode) && districtCode.startsWith(cityCode))) {
    throw AppError.field('districtCode', '区县代码应为该城市下的6位代码', 'districtCode must be a 6-digit code in the city');
  }
  if (!isCodeInScope(cityCode, ctx.scope)) throw new AppError('FORBIDDEN');
  const rootCode = districtCode ?? cityCode;
  const db = ctx.deps.db.kysely;

  const imported = await importChinaDivision(ctx, { under: rootCode });

  const communities = await findCommunitiesUnscoped(db, rootCode);
  const populated = assignMissingPopulations(communities, seed);
  await setMissingPopulations(db, populated);

  const staffed = await findStaffedCommunityCodesUnscoped(db, rootCode);
  const toStaff = communities.filter((c) => !staffed.has(c.code) && (c.population ?? 0) > 0);
  const workersCreated = await insertWorkforce(ctx, generateWorkforce(toStaff, seed));

  const places = await findDemoPlaces(db, cityCode, districtCode ?? DEMO_DISTRICT_BY_CITY[cityCode]);
  const accounts = places ? await ensureDemoAccounts(ctx, places) : [];
  // DEMO pay table, 五险一金 rule and wage floor for the city, flagged is_demo (replace before real use).
  await ensureDemoPayrollRules(ctx, cityCode);
  const grades = await seedDemoGrades(ctx, rootCode);
  // Last month's pay of the demo street, paid (after the grades: pay follows the grade).
  const payroll = places ? await seedDemoPayroll(ctx, { orgCode: places.street }) : null;

  const summary = {
    seed,
    cityCode,
    districtCode: districtCode ?? null,
    orgs: imported.total,
    communitiesPopulated: populated.length,
    communitiesStaffed: toStaff.length,
    workersCreated,
    workersGraded: grades.graded,
    payrollRun: payroll && payroll.runId !== null ? { orgCode: places!.street, month: payroll.month, slips: payroll.slips } : null,
    accountsCreated: accounts.map((a) => a.username),
  };
  await recordAudit(ctx, { action: 'demo.seed', entityType: 'org', entityId: cityCode, orgCode: cityCode, after: summary });
  const now = nowIso();
  const value = JSON.stringify({ seed, cityCode, districtCode: districtCode ?? null, at: now });
  await db
    .insertInto('app_meta')
    .values({ key: DEMO_SEEDED_KEY, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
  return { orgs: imported.total, workers: workersCreated, accounts };
}

// ---------------------------------------------------------------------------------------------
// Randomness: one dedicated Faker instance, re-seeded per community from (seed, code, purpose), so
// every community's population and people depend only on the seed and its own code.

type Rng = () => number;

const faker = new Faker({ locale: [zh_CN, base] });

function normaliseSeed(seed: number): number {
  if (!Number.isFinite(seed)) throw AppError.field('seed', '随机种子应为整数', 'seed must be an integer');
  return Math.abs(Math.trunc(seed)) % 2 ** 32;
}

/**
 * Separate random streams per community for its population, its people and their qualifications.
 * The streams share one Faker instance: draw one stream to the end before seeding the next.
 */
const PURPOSE = { population: 1, workforce: 2, qualification: 3 } as const;

function rngFor(seed: number, code: string, purpose: (typeof PURPOSE)[keyof typeof PURPOSE]): Rng {
  faker.seed([seed, Number(code.slice(0, 6)), Number(code.slice(6) || '0'), purpose]);
  return () => faker.number.float();
}

function intBetween(r: Rng, min: number, max: number): number {
  return min + Math.floor(r() * (max - min + 1));
}

// ---------------------------------------------------------------------------------------------
// Populations

interface Community {
  code: string;
  name: string;
  population: number | null;
  households: number | null;
}

type CommunityKind = 'urban' | 'village' | 'other';

const URBAN_COMMUNITY = /社区|居委会|居民委员会/;

/** 社区 / 居委会 are urban; 村(民委员会) rural; the rest (农场生活区 and the like) small settlements. */
function communityKindOf(name: string): CommunityKind {
  if (URBAN_COMMUNITY.test(name)) return 'urban';
  if (/村/.test(name)) return 'village';
  return 'other';
}

/**
 * Plausible 常住人口 and households: urban communities 3,000–15,000 residents (half below ~7,200)
 * at about 2.6 persons a household; villages 1,200–4,500 at about 3.0; other settlements 600–3,000.
 */
function plausiblePopulation(r: Rng, kind: CommunityKind): { population: number; households: number } {
  const u = (r() + r()) / 2;
  const spread = r();
  let population: number;
  let perHousehold: number;
  if (kind === 'urban') {
    population = 3000 + 12000 * u ** 1.5;
    perHousehold = 2.4 + 0.4 * spread;
  } else if (kind === 'village') {
    population = 1200 + 3300 * u;
    perHousehold = 2.8 + 0.4 * spread;
  } else {
    population = 600 + 2400 * u;
    perHousehold = 2.3 + 0.4 * spread;
  }
  population = Math.round(population / 10) * 10;
  return { population, households: Math.round(population / perHousehold) };
}

/** Fills in population and households where none was entered; returns the communities changed. */
function assignMissingPopulations(communities: Community[], seed: number): Community[] {
  const changed: Community[] = [];
  for (const c of communities) {
    if (c.population !== null) continue;
    const p = plausiblePopulation(rngFor(seed, c.code, PURPOSE.population), communityKindOf(c.name));
    c.population = p.population;
    c.households = c.households ?? p.households;
    changed.push(c);
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------
// Workforce

interface DemoPerson {
  name: string;
  gender: 'M' | 'F';
  birthDate: string;
  areaCode: string;
  /** ID sequence number; bumped by 2 (keeping the gender digit) when the ID number is taken. */
  sequence: number;
  idNumber: string;
  /** Blind index of `idNumber`, set once the number is known to be free. */
  idNumberHash: string;
  orgCode: string;
  post: PostCode;
  status: WorkerStatus;
  phone: string;
  education: string;
  politicalStatus: string;
  workStartDate: string;
  /** Party secretary who is also the committee director (一肩挑). */
  concurrent?: boolean;
  /** Social work qualification with its certificate, or none. */
  qualification?: { level: QualificationLevel; date: string; number: string } | null;
}

const surnameOf = weightedSampler(SURNAMES);
const educationUnder35 = weightedSampler(EDUCATION_UNDER_35);
const education35Plus = weightedSampler(EDUCATION_35_PLUS);
const AS_OF_MS = Date.parse(`${DEMO_AS_OF}T00:00:00Z`);

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function ageFrom(r: Rng, bands: readonly (readonly [number, number, number])[]): number {
  const band = weightedSampler(bands.map((b) => [b, b[2]] as const))(r);
  return intBetween(r, band[0], band[1]);
}

/**
 * The posts of one community of `headcount` people: a Party secretary who in ~60% of communities is
 * also the committee director (一肩挑, no separate director), one deputy, 2–3 committee members,
 * the rest full-time staff and grid workers. Small communities keep the posts in that order.
 */
function postsFor(r: Rng, headcount: number): PostCode[] {
  const posts: PostCode[] = ['party_secretary'];
  if (r() >= 0.6) posts.push('committee_director');
  posts.push(r() < 0.5 ? 'deputy_secretary' : 'deputy_director');
  const members = r() < 0.5 ? 2 : 3;
  for (let i = 0; i < members; i++) posts.push('committee_member');
  while (posts.length < headcount) posts.push(r() < 0.55 ? 'full_time_staff' : 'grid_worker');
  return posts.slice(0, headcount);
}

const PRINCIPAL_POSTS = new Set<PostCode>(['party_secretary', 'committee_director', 'station_head']);
const DEPUTY_POSTS = new Set<PostCode>(['deputy_secretary', 'deputy_director']);

function ethnicityOf(idNumber: string): string {
  const n = Number(idNumber.slice(14, 17));
  if (n % 97 === 0) return '22';
  if (n % 89 === 0) return '03';
  return '01';
}

function politicalStatusFor(r: Rng, post: PostCode, age: number): string {
  if (post === 'party_secretary' || post === 'deputy_secretary') return '01';
  const x = r();
  if (post === 'committee_director') return x < 0.85 ? '01' : '13';
  if (x < 0.44) return '01';
  if (x < 0.46) return '02';
  if (x < (age <= 28 ? 0.68 : 0.5)) return '03';
  return '13';
}

function statusFor(r: Rng, post: PostCode): WorkerStatus {
  if (PRINCIPAL_POSTS.has(post) || DEPUTY_POSTS.has(post)) return 'active';
  const x = r();
  if (x < 0.065) return 'probation';
  if (x < 0.09) return 'on_leave';
  if (x < 0.11) return 'exited';
  return 'active';
}

/** Years after 20 at which a career can start, by education (graduation age). */
const CAREER_START_OFFSET: Record<string, number> = { '10': 5, '20': 2, '30': 1 };

function personFor(r: Rng, orgCode: string, post: PostCode): DemoPerson {
  const isPrincipal = PRINCIPAL_POSTS.has(post);
  const gender: 'M' | 'F' = r() < (isPrincipal ? 0.55 : 0.67) ? 'F' : 'M';
  const age = ageFrom(r, isPrincipal ? PRINCIPAL_AGE_BANDS : DEPUTY_POSTS.has(post) ? DEPUTY_AGE_BANDS : STAFF_AGE_BANDS);
  const birthMs = AS_OF_MS - Math.floor((age + r()) * YEAR_MS);
  const birthDate = isoDate(birthMs);
  const name = surnameOf(r) + pickGivenName(r, gender, Number(birthDate.slice(0, 4)));
  const education = (age < 35 ? educationUnder35 : education35Plus)(r);
  const politicalStatus = politicalStatusFor(r, post, age);
  const status = statusFor(r, post);
  const phone = pick(r, MOBILE_PREFIXES) + String(intBetween(r, 0, 99_999_999)).padStart(8, '0');

  // Work starts after age 20 (later with a degree); probationers started within the last six months.
  const latest = AS_OF_MS - 30 * DAY_MS;
  let earliest = birthMs + (20 + (CAREER_START_OFFSET[education] ?? 0)) * YEAR_MS;
  if (earliest > latest) earliest = birthMs + 20 * YEAR_MS;
  const span = r();
  const startMs =
    status === 'probation' ? Math.max(earliest, AS_OF_MS - (10 + 170 * span) * DAY_MS) : earliest + span * (latest - earliest);

  const areaCode = orgCode.slice(0, 6);
  const sequence = intBetween(r, 0, 999);
  return {
    name,
    gender,
    birthDate,
    areaCode,
    sequence,
    idNumber: buildIdNumber(areaCode, birthDate, sequence, gender),
    idNumberHash: '',
    orgCode,
    post,
    status,
    phone,
    education,
    politicalStatus,
    workStartDate: isoDate(startMs),
  };
}

/** The people of every community, community by community in code order, sized by the staffing standard. */
function* generateWorkforce(communities: Community[], seed: number): Generator<DemoPerson[]> {
  for (const c of communities) {
    const r = rngFor(seed, c.code, PURPOSE.workforce);
    const posts = postsFor(r, standardHeadcount(c.population ?? 0));
    // Without a separate director the secretary holds both posts (一肩挑).
    const concurrent = !posts.includes('committee_director');
    const people = posts.map((post) => ({ ...personFor(r, c.code, post), concurrent: concurrent && post === 'party_secretary' }));
    const q = rngFor(seed, c.code, PURPOSE.qualification);
    for (const p of people) p.qualification = qualificationFor(q, p);
    yield people;
  }
}

/** The first national social work qualification exams (全国社会工作者职业水平考试) were held in 2008. */
const FIRST_EXAM_MS = Date.parse('2008-06-01T00:00:00Z');

/**
 * A demo worker's social work qualification, by years at work: few newcomers hold one, about half
 * after ten years (at most 60%); of the holders about a third are 社会工作师 (中级), a few with long
 * careers 高级, the rest 助理. The certificate comes after at least a year at work and not before
 * the first exams. Every person takes four draws, so each one's result depends only on its place.
 */
function qualificationFor(r: Rng, p: DemoPerson): DemoPerson['qualification'] {
  const [has, kind, when, serial] = [r(), r(), r(), r()];
  const startMs = Date.parse(`${p.workStartDate}T00:00:00Z`);
  const years = (AS_OF_MS - startMs) / YEAR_MS;
  const from = Math.max(FIRST_EXAM_MS, startMs + YEAR_MS);
  if (has >= Math.min(0.6, 0.08 + 0.05 * years) || from >= AS_OF_MS) return null;
  const level: QualificationLevel = years >= 12 && kind < 0.06 ? 'senior' : kind < 0.38 ? 'intermediate' : 'assistant';
  const date = isoDate(from + when * (AS_OF_MS - from));
  // Synthetic, shaped like a certificate number: year, area, serial.
  const number = `${date.slice(0, 4)}${p.areaCode}${String(Math.floor(serial * 100_000)).padStart(5, '0')}`;
  return { level, date, number };
}

/** Moves a person to the next free sequence number of the same gender (same birth date and area). */
function bumpIdNumber(p: DemoPerson): void {
  p.sequence = (p.sequence + 2) % 1000;
  p.idNumber = buildIdNumber(p.areaCode, p.birthDate, p.sequence, p.gender);
}

/**
 * Inserts the workforce in transactions of whole communities, after making every ID number unique
 * both within the run and against workers already in the database. Returns the number inserted.
 */
async function insertWorkforce(ctx: OpContext, communities: Iterable<DemoPerson[]>): Promise<number> {
  const { cipher } = ctx.deps;
  const db = ctx.deps.db.kysely;
  const used = new Set<string>();
  let inserted = 0;
  let batch: DemoPerson[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    await makeIdNumbersUnique(db, cipher, batch, used);
    const now = nowIso();
    const rows: NewWorker[] = batch.map((p) => ({
      name: p.name,
      name_initials: nameInitials(p.name),
      posts: JSON.stringify(p.concurrent ? ['party_secretary', 'committee_director'] : [p.post]),
      // Mostly Han (01); the She (22), native to Zhejiang, and Hui (03) appear, chosen from the
      // ID number so no random draw is used and the seed stays reproducible.
      ethnicity: ethnicityOf(p.idNumber),
      status_date: p.workStartDate,
      id_number_enc: cipher.encrypt(p.idNumber),
      id_number_hash: p.idNumberHash,
      id_number_masked: maskIdNumber(p.idNumber),
      gender: p.gender,
      birth_date: p.birthDate,
      org_code: p.orgCode,
      post: p.post,
      status: p.status,
      phone_enc: cipher.encrypt(p.phone),
      phone_hash: cipher.blindIndex(PHONE_PURPOSE, p.phone),
      phone_masked: maskPhone(p.phone),
      education: p.education,
      political_status: p.politicalStatus,
      work_start_date: p.workStartDate,
      qualification_level: p.qualification?.level ?? null,
      certificate_no: p.qualification?.number ?? null,
      certificate_date: p.qualification?.date ?? null,
      created_at: now,
      updated_at: now,
    }));
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += INSERT_ROWS) await insertWorkersUnscoped(trx, rows.slice(i, i + INSERT_ROWS));
    });
    inserted += rows.length;
    batch = [];
  };

  for (const people of communities) {
    batch.push(...people);
    if (batch.length >= BATCH_WORKERS) await flush();
  }
  await flush();
  // Each new worker's current placement, as the registry keeps it (one set-based statement).
  await sql`insert into worker_assignments (worker_id, org_code, from_date, reason, created_at)
    select w.id, w.org_code, coalesce(w.work_start_date, substr(w.created_at, 1, 10)), '演示数据', w.created_at
    from workers w
    where not exists (select 1 from worker_assignments a where a.worker_id = w.id)`.execute(db);
  return inserted;
}

async function makeIdNumbersUnique(db: Kysely<Database>, cipher: Deps['cipher'], batch: DemoPerson[], used: Set<string>): Promise<void> {
  for (const p of batch) {
    while (used.has(p.idNumber)) bumpIdNumber(p);
    used.add(p.idNumber);
  }
  // Workers registered by users (or an earlier run) may hold a generated number: move those aside.
  let pending = batch;
  while (pending.length > 0) {
    for (const p of pending) p.idNumberHash = cipher.blindIndex(ID_NUMBER_PURPOSE, p.idNumber);
    const taken = await findTakenIdHashesUnscoped(
      db,
      pending.map((p) => p.idNumberHash),
    );
    pending = pending.filter((p) => taken.has(p.idNumberHash));
    for (const p of pending) {
      do bumpIdNumber(p);
      while (used.has(p.idNumber));
      used.add(p.idNumber);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Demo accounts

interface DemoPlaces {
  city: string;
  street: string;
  community: string;
  workerId: number | null;
  workerName: string | null;
}

/**
 * The demo street: the first 街道 of the district (by code) whose communities are all urban; the
 * demo community is its first community with workers, the demo worker an active worker there, at work
 * by the demo grading date and preferably full-time staff.
 */
async function findDemoPlaces(db: Kysely<Database>, cityCode: string, districtCode: string | undefined): Promise<DemoPlaces | null> {
  const district =
    districtCode ??
    (
      await db
        .selectFrom('orgs')
        .select('code')
        .where('level', '=', 3)
        .where(codeInSubtree('code', cityCode, 2))
        .orderBy('code')
        .executeTakeFirst()
    )?.code;
  if (!district) return null;
  const rows = await db
    .selectFrom('orgs')
    .select(['code', 'name', 'level'])
    .where('level', 'in', [4, 5])
    .where(codeInSubtree('code', district, 3))
    .orderBy('code')
    .execute();
  const streets = rows.filter((r) => r.level === 4 && r.name.endsWith('街道'));
  const street = streets.find((s) => {
    const children = rows.filter((r) => r.level === 5 && r.code.startsWith(s.code));
    return children.length > 0 && children.every((c) => URBAN_COMMUNITY.test(c.name));
  });
  if (!street) return null;
  const worker = await db
    .selectFrom('workers')
    .select(['id', 'name', 'org_code'])
    .where(codeInSubtree('org_code', street.code, 4))
    .where('status', '=', 'active')
    // One the demo grading will grade (at work by its date), so the account has a grade and pay to show.
    .orderBy(sql`case when work_start_date <= ${DEMO_GRADING_DATE} then 0 else 1 end`)
    .orderBy(sql`case when post = 'full_time_staff' then 0 else 1 end`)
    .orderBy('org_code')
    .orderBy('id')
    .executeTakeFirst();
  const community = worker?.org_code ?? rows.find((r) => r.level === 5 && r.code.startsWith(street.code))?.code;
  if (!community) return null;
  return { city: cityCode, street: street.code, community, workerId: worker ? Number(worker.id) : null, workerName: worker?.name ?? null };
}

/** Creates demo_region, demo_street, demo_lead, demo_worker and demo_auditor where missing. */
async function ensureDemoAccounts(ctx: OpContext, places: DemoPlaces): Promise<Credential[]> {
  const db = ctx.deps.db.kysely;
  const names = await getOrgNames(ctx, [places.city, places.street, places.community]);
  const nameOf = (code: string) => names.get(code) ?? code;
  const wanted: { username: string; role: Role; orgCode: string; displayName: string; workerId?: number }[] = [
    { username: 'demo_region', role: 'region_admin', orgCode: places.city, displayName: `${nameOf(places.city)}社会工作部（演示）` },
    { username: 'demo_street', role: 'street_hr', orgCode: places.street, displayName: `${nameOf(places.street)}人事专员（演示）` },
    { username: 'demo_lead', role: 'community_lead', orgCode: places.community, displayName: `${nameOf(places.community)}负责人（演示）` },
    ...(places.workerId !== null
      ? [
          {
            username: 'demo_worker',
            role: 'worker' as const,
            orgCode: places.community,
            displayName: places.workerName ?? '社区工作者',
            workerId: places.workerId,
          },
        ]
      : []),
    { username: 'demo_auditor', role: 'auditor', orgCode: places.city, displayName: `${nameOf(places.city)}审计（演示）` },
  ];
  const created: Credential[] = [];
  for (const account of wanted) {
    if (await getUserByUsernameUnscoped(db, account.username)) continue;
    const { temporaryPassword } = await createUser(ctx, account);
    created.push({
      username: account.username,
      password: temporaryPassword!,
      role: account.role,
      orgCode: account.orgCode,
      orgName: nameOf(account.orgCode),
    });
  }
  return created;
}

// ---------------------------------------------------------------------------------------------
// Bulk data access. The demo writes whole districts at once; the per-row repositories of orgs and
// workers would audit and round-trip per row, so these set-based statements live here.

function findCommunitiesUnscoped(db: Kysely<Database>, rootCode: string): Promise<Community[]> {
  return db
    .selectFrom('orgs')
    .select(['code', 'name', 'population', 'households'])
    .where('level', '=', 5)
    .where(codeInSubtree('code', rootCode, rootCode.length === 4 ? 2 : 3))
    .orderBy('code')
    .execute();
}

/** Sets population and households where population is still null (a value a user entered is kept). */
async function setMissingPopulations(db: Kysely<Database>, communities: Community[]): Promise<void> {
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < communities.length; i += 1000) {
      const values = communities
        .slice(i, i + 1000)
        .map((c) => sql`(${c.code}, cast(${c.population} as integer), cast(${c.households} as integer))`);
      // VALUES columns are named column1, column2, … on both SQLite and PostgreSQL.
      await sql`update orgs set population = v.column2, households = coalesce(orgs.households, v.column3), updated_at = ${now}
        from (values ${sql.join(values)}) as v
        where orgs.code = v.column1 and orgs.population is null`.execute(trx);
    }
  });
}

async function findStaffedCommunityCodesUnscoped(db: Kysely<Database>, rootCode: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('workers')
    .select('org_code')
    .distinct()
    .where(codeInSubtree('org_code', rootCode, rootCode.length === 4 ? 2 : 3))
    .execute();
  return new Set(rows.map((r) => r.org_code));
}

async function findTakenIdHashesUnscoped(db: Kysely<Database>, hashes: string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (let i = 0; i < hashes.length; i += 1000) {
    const rows = await db
      .selectFrom('workers')
      .select('id_number_hash')
      .where('id_number_hash', 'in', hashes.slice(i, i + 1000))
      .execute();
    for (const r of rows) taken.add(r.id_number_hash);
  }
  return taken;
}

async function insertWorkersUnscoped(db: Kysely<Database>, rows: NewWorker[]): Promise<void> {
  await db.insertInto('workers').values(rows).execute();
}
