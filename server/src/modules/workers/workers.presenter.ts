import type { OpContext } from '../../context.ts';
import { ageOn } from '../../lib/time.ts';
import { getOrgNames } from '../orgs/orgs.service.ts';
import { derivePostFacts, postsOf } from './workers.lifecycle.ts';
import type * as repo from './workers.repo.ts';
import type { TWorker, TWorkerSummary } from './workers.schema.ts';

export type WorkerListRow = Awaited<ReturnType<typeof repo.findWorkers>>['items'][number];
export type WorkerRow = NonNullable<Awaited<ReturnType<typeof repo.getWorkerInScope>>>;

/** A list row as the API shows it: masked personal data, posts and their derived category. */
export function presentWorkerSummary(r: WorkerListRow): TWorkerSummary {
  const posts = postsOf(r.post, r.posts);
  return {
    id: Number(r.id),
    name: r.name,
    idNumberMasked: r.id_number_masked,
    gender: r.gender,
    birthDate: r.birth_date,
    age: ageOn(r.birth_date),
    orgCode: r.org_code,
    orgName: r.org_name,
    post: r.post,
    posts,
    ...derivePostFacts(posts),
    status: r.status,
    education: r.education,
    phoneMasked: r.phone_masked,
  };
}

/** The full record as the API shows it (no ciphertext; phones and the ID number masked). */
export async function presentWorker(ctx: OpContext, r: WorkerRow): Promise<TWorker> {
  const streetCode = r.org_code.length === 12 ? r.org_code.slice(0, 9) : r.org_code.length === 9 ? r.org_code : null;
  const names = streetCode ? await getOrgNames(ctx, [streetCode]) : new Map<string, string>();
  return {
    ...presentWorkerSummary(r),
    streetCode,
    streetName: streetCode ? (names.get(streetCode) ?? null) : null,
    politicalStatus: r.political_status,
    workStartDate: r.work_start_date,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    formerName: r.former_name,
    ethnicity: r.ethnicity,
    partyJoinDate: r.party_join_date,
    educationMode: r.education_mode,
    school: r.school,
    major: r.major,
    address: r.address,
    hukou: r.hukou,
    emergencyContactName: r.emergency_contact_name,
    emergencyContactPhoneMasked: r.emergency_contact_phone_masked,
    joinCommunityDate: r.join_community_date,
    qualificationLevel: r.qualification_level,
    certificateNo: r.certificate_no,
    certificateDate: r.certificate_date,
    probationEndDate: r.probation_end_date,
    statusDate: r.status_date,
    statusReason: r.status_reason,
    leaveType: r.leave_type,
    leaveEndDate: r.leave_end_date,
    exitReason: r.exit_reason,
    exitDate: r.exit_date,
  };
}
