import { describe, expect, it } from 'vitest';
import { ageBandFilter } from './charts';

describe('ageBandFilter', () => {
  it('maps the dashboard age bands to worker-list age filters', () => {
    expect(ageBandFilter('<30')).toEqual({ ageMax: 29 });
    expect(ageBandFilter('30-39')).toEqual({ ageMin: 30, ageMax: 39 });
    expect(ageBandFilter('50-59')).toEqual({ ageMin: 50, ageMax: 59 });
    expect(ageBandFilter('≥60')).toEqual({ ageMin: 60 });
    expect(ageBandFilter('other')).toBeUndefined();
  });
});
