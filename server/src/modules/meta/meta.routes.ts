import { z } from 'zod';
import { CONTRACT_STATUSES, CONTRACT_TYPES, INSURANCE_KINDS } from '../contracts/contract-rules.ts';
import type { App } from '../../app.ts';
import {
  EDUCATION_MODES,
  EDUCATIONS,
  ETHNICITIES,
  EXIT_REASONS,
  GENDERS,
  LEAVE_TYPES,
  ORG_LEVELS,
  POLITICAL_STATUSES,
  POST_CATEGORIES,
  POSTS,
  QUALIFICATION_LEVELS,
  ROLES,
  WORKER_STATUSES,
} from './enums.ts';

const ZCodeLabel = z.object({ code: z.string(), label: z.string(), labelEn: z.string() });

export async function metaRoutes(app: App) {
  app.get(
    '/meta/enums',
    {
      config: { allowDuringPasswordChange: true },
      schema: {
        tags: ['meta'],
        summary: '代码表',
        response: {
          200: z.object({
            roles: z.array(ZCodeLabel),
            posts: z.array(ZCodeLabel.extend({ category: z.string() })),
            postCategories: z.array(ZCodeLabel),
            statuses: z.array(ZCodeLabel),
            educations: z.array(ZCodeLabel),
            politicalStatuses: z.array(ZCodeLabel),
            genders: z.array(ZCodeLabel),
            orgLevels: z.array(ZCodeLabel),
            ethnicities: z.array(ZCodeLabel),
            educationModes: z.array(ZCodeLabel),
            qualificationLevels: z.array(ZCodeLabel),
            leaveTypes: z.array(ZCodeLabel),
            exitReasons: z.array(ZCodeLabel),
            contractTypes: z.array(ZCodeLabel),
            contractStatuses: z.array(ZCodeLabel),
            insuranceKinds: z.array(ZCodeLabel),
          }),
        },
      },
    },
    async () => ({
      roles: [...ROLES],
      posts: [...POSTS],
      postCategories: [...POST_CATEGORIES],
      statuses: [...WORKER_STATUSES],
      educations: [...EDUCATIONS],
      politicalStatuses: [...POLITICAL_STATUSES],
      genders: [...GENDERS],
      orgLevels: [...ORG_LEVELS],
      ethnicities: [...ETHNICITIES],
      educationModes: [...EDUCATION_MODES],
      qualificationLevels: [...QUALIFICATION_LEVELS],
      leaveTypes: [...LEAVE_TYPES],
      exitReasons: [...EXIT_REASONS],
      contractTypes: [...CONTRACT_TYPES],
      contractStatuses: [...CONTRACT_STATUSES],
      insuranceKinds: [...INSURANCE_KINDS],
    }),
  );
}
