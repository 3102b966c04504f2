import { describe, expect, it } from 'vitest';
import { DE_NENG_QIN_JI_LIAN_DIMENSIONS, DEFAULT_TEMPLATE, templatePreset, weightSumBp } from './templatePresets';

/** The server's template rules, loaded at run time (the web project does not type-check server code). */
const SERVER_TEMPLATE_MODULE = new URL('../../../../server/src/modules/assessment/rules/template.ts', import.meta.url).pathname;
const server = (await import(/* @vite-ignore */ SERVER_TEMPLATE_MODULE)) as {
  DEFAULT_ASSESSMENT_TEMPLATE: unknown;
  DE_NENG_QIN_JI_LIAN_DIMENSIONS: unknown;
  safeParseAssessmentTemplate: (input: unknown) => { ok: boolean };
};

describe('assessment template presets', () => {
  it('equal the server defaults they mirror', () => {
    expect(DEFAULT_TEMPLATE).toEqual(server.DEFAULT_ASSESSMENT_TEMPLATE);
    expect(DE_NENG_QIN_JI_LIAN_DIMENSIONS).toEqual(server.DE_NENG_QIN_JI_LIAN_DIMENSIONS);
  });

  it('are valid templates whose weights sum to 100%', () => {
    for (const key of ['default', 'de_neng_qin_ji_lian'] as const) {
      const t = templatePreset(key);
      expect(server.safeParseAssessmentTemplate(t).ok).toBe(true);
      expect(weightSumBp(t.dimensions)).toBe(10_000);
      expect(weightSumBp(t.raterGroups)).toBe(10_000);
    }
    expect(templatePreset('de_neng_qin_ji_lian').dimensions.map((d) => d.nameZh)).toEqual(['德', '能', '勤', '绩', '廉']);
  });
});
