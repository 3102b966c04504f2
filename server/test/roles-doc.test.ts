/**
 * docs/roles.md carries the permission matrix of every role; this test keeps it equal to
 * `roles.ts` (the source of truth), so the document cannot drift again. After a change to the
 * roles, paste the table this test prints on failure between the markers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { PERMISSIONS, ROLE_ORG_LEVELS, ROLE_PERMISSIONS, ASSIGNABLE_ROLES } from '../src/modules/auth/roles.ts';
import { ROLE_CODES } from '../src/modules/meta/enums.ts';

const DOC = path.join(import.meta.dirname, '../../docs/roles.md');
const LEVELS = ['nation', 'province', 'city', 'district', 'street', 'community'];

function renderMatrix(): string {
  const roles = [...ROLE_CODES];
  const lines = [
    `| permission | ${roles.map((r) => `\`${r}\``).join(' | ')} |`,
    `| --- | ${roles.map(() => ':-:').join(' | ')} |`,
    ...PERMISSIONS.map((p) => `| \`${p}\` | ${roles.map((r) => (ROLE_PERMISSIONS[r].includes(p) ? '✓' : '')).join(' | ')} |`),
    `| *binds to* | ${roles.map((r) => ROLE_ORG_LEVELS[r].map((l) => LEVELS[l]).join(', ')).join(' | ')} |`,
    `| *may create accounts of* | ${roles.map((r) => ASSIGNABLE_ROLES[r].join(', ') || '—').join(' | ')} |`,
  ];
  return lines.join('\n');
}

it('docs/roles.md shows the permission matrix of roles.ts', () => {
  const doc = fs.readFileSync(DOC, 'utf8');
  const match = /<!-- permissions:start -->\n([\s\S]*?)\n<!-- permissions:end -->/.exec(doc);
  expect(match, 'docs/roles.md lacks the permissions markers').not.toBeNull();
  const expected = renderMatrix();
  if (match![1] !== expected) console.error(`docs/roles.md is out of date; the matrix is now:\n${expected}`);
  expect(match![1]).toBe(expected);
});
