import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { nestedFieldErrors } from './nestedFieldErrors';

describe('nestedFieldErrors', () => {
  it('turns dotted issue fields under the given roots into form name paths, merging messages per field', () => {
    const err = new ApiError(400, 'VALIDATION_FAILED', '考核模板有误', {
      issues: [
        { field: 'template.dimensions', message: '考核维度权重之和须为100%，当前为105%' },
        { field: 'template.bands.1.minScore', message: '等次分数线须从高到低严格递减' },
        { field: 'template.bands.1.minScore', message: '不得小于0' },
        { field: 'orgCode', message: '不在范围内' },
      ],
    });
    expect(nestedFieldErrors(err, ['template'])).toEqual([
      { name: ['template', 'dimensions'], errors: ['考核维度权重之和须为100%，当前为105%'] },
      { name: ['template', 'bands', 1, 'minScore'], errors: ['等次分数线须从高到低严格递减', '不得小于0'] },
    ]);
  });

  it('returns nothing for other errors', () => {
    expect(nestedFieldErrors(new Error('x'), ['template'])).toEqual([]);
    expect(nestedFieldErrors(new ApiError(409, 'CONFLICT', '已处理'), ['template'])).toEqual([]);
  });
});
