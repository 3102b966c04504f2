import { z } from 'zod';
import type { App } from '../../app.ts';
import { EDUCATIONS, GENDERS, ORG_LEVELS, POLITICAL_STATUSES, POST_CATEGORIES, POSTS, ROLES, WORKER_STATUSES } from './enums.ts';

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
    }),
  );
}
