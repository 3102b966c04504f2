import { describe, expect, it } from 'vitest';
import type { PlainCellValue } from '../../../lib/excel/cell-value.ts';
import { buildIdNumber, upgradeLegacyIdNumber } from '../../../lib/id-card.ts';
import { WORKER_IMPORT_COLUMN_BY_KEY, WORKER_IMPORT_COLUMNS, WORKER_IMPORT_HEADER } from './import-columns.ts';
import { checkImportRow, createPlacementResolver, type PlacementOrg } from './import-row.ts';

const STREET: PlacementOrg = { code: '330106001', name: '北山街道', level: 4, parent_code: '330106' };
const DISTRICT: PlacementOrg = { code: '330106', name: '西湖区', level: 3, parent_code: '3301' };
const ORGS: PlacementOrg[] = [
  STREET,
  { code: '330106001001', name: '保俶塔社区', level: 5, parent_code: '330106001' },
  { code: '330106001002', name: '西湖社区', level: 5, parent_code: '330106001' },
  { code: '330106002', name: '西溪街道', level: 4, parent_code: '330106' },
  { code: '330106002001', name: '西湖社区', level: 5, parent_code: '330106002' },
];
const ID = buildIdNumber('330106', '1990-05-17', 22, 'F');

function row(cells: Record<string, PlainCellValue>, rowNumber = 5) {
  return { rowNumber, cells: { name: '张三', idNumber: ID, posts: '网格员', ...cells }, isBlank: false };
}
const parse = (key: string, value: PlainCellValue) => WORKER_IMPORT_COLUMN_BY_KEY.get(key)!.parse(value);

describe('import columns', () => {
  it('every column has a unique key and header synonyms that do not collide', () => {
    const keys = WORKER_IMPORT_COLUMNS.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    const all = WORKER_IMPORT_COLUMNS.flatMap((c) => c.synonyms.map((s) => s.replace(/\s+/g, '')));
    expect(new Set(all).size).toBe(all.length);
    expect(WORKER_IMPORT_HEADER.requiredKeys).toEqual(['name', 'idNumber', 'posts']);
  });

  it.each([
    ['ethnicity', '汉族', '01'],
    ['ethnicity', '汉', '01'],
    ['ethnicity', '回', '03'],
    ['ethnicity', 1, '01'],
    ['politicalStatus', '党员', '01'],
    ['politicalStatus', '中共预备党员', '02'],
    ['politicalStatus', '群众', '13'],
    ['education', '本科', '20'],
    ['education', '大学专科', '30'],
    ['education', '硕士研究生', '10'],
    ['education', '中专', '40'],
    ['educationMode', '全日制', 'full_time'],
    ['qualificationLevel', '中级', 'intermediate'],
    ['qualificationLevel', '助理社会工作师', 'assistant'],
    ['qualificationLevel', '无', null],
    ['gender', '女', 'F'],
    ['status', '试用期', 'probation'],
  ] as const)('%s “%s” → %s', (key, value, code) => {
    expect(parse(key, value)).toEqual({ ok: true, value: code });
  });

  it('refuses a value outside the list with the value quoted', () => {
    expect(parse('education', '幼儿园')).toEqual({ ok: false, message: '“幼儿园”不是可选值，请从下拉列表中选择' });
  });

  it('reads several posts separated the ways people write them', () => {
    expect(parse('posts', '书记、主任')).toEqual({ ok: true, value: ['party_secretary', 'committee_director'] });
    expect(parse('posts', '社区党组织书记，居委会主任')).toEqual({ ok: true, value: ['party_secretary', 'committee_director'] });
    expect(parse('posts', '书记兼主任')).toEqual({ ok: true, value: ['party_secretary', 'committee_director'] });
    expect(parse('posts', '网格员/网格员')).toEqual({ ok: true, value: ['grid_worker'] });
    expect(parse('posts', '队长')).toMatchObject({ ok: false });
  });

  it('reads dates in every common form and refuses impossible ones', () => {
    for (const v of ['2024-03-01', '2024/3/1', '2024.3.1', '2024年3月1日', '２０２４－０３－０１', 45352, new Date(Date.UTC(2024, 2, 1))]) {
      expect(parse('workStartDate', v), String(v)).toEqual({ ok: true, value: '2024-03-01' });
    }
    expect(parse('workStartDate', '2024-02-30')).toMatchObject({ ok: false, message: expect.stringContaining('日期不存在') });
    expect(parse('workStartDate', '1850-01-01')).toMatchObject({ ok: false, message: expect.stringContaining('合理范围') });
  });

  it('explains an 18-digit ID number that Excel stored as a number', () => {
    expect(parse('idNumber', 330106199005170000)).toMatchObject({ ok: false, message: expect.stringContaining('文本') });
    const legacy = '330106900517224';
    expect(parse('idNumber', Number(legacy))).toEqual({ ok: true, value: legacy });
    expect(parse('idNumber', ' 3301 0619 9005 1702 2x ')).toEqual({ ok: true, value: '33010619900517022X' });
  });

  it('limits text lengths', () => {
    expect(parse('name', '张'.repeat(51))).toEqual({ ok: false, message: '不能超过50个字（现有51个）' });
  });
});

describe('checkImportRow', () => {
  const placement = createPlacementResolver(STREET, ORGS);

  it('accepts a complete row and places it in the street when 所属社区 is empty', () => {
    const r = checkImportRow(row({ phone: '138 0000 1111', education: '本科', community: null }), placement, '2026-11-29');
    expect(r).toMatchObject({
      ok: true,
      row: { orgCode: '330106001', phone: '13800001111', posts: ['grid_worker'], values: { education: '20' } },
    });
  });

  it('upgrades a 15-digit ID number', () => {
    const legacy = '330106900517224';
    const r = checkImportRow(row({ idNumber: legacy }), placement, '2026-11-29');
    expect(r.ok && r.row.id.value).toBe(upgradeLegacyIdNumber(legacy));
  });

  it('reports every problem of a row, each with its column label', () => {
    const bad = `${ID.slice(0, 17)}${ID.at(-1) === '0' ? '1' : '0'}`;
    const r = checkImportRow(
      row({ name: null, idNumber: bad, posts: '队长', phone: '12345', workStartDate: '2099-01-01', community: '不存在社区' }),
      placement,
      '2026-11-29',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^岗位：“队长”不是可选的岗位/),
      '姓名：必填',
      '身份证号：校验位错误',
      expect.stringMatching(/^手机号：“12345”不是有效的电话号码/),
      '参加社区工作时间：不能晚于今天（2099-01-01）',
      expect.stringMatching(/^所属社区：在“北山街道”下找不到“不存在社区”/),
    ]);
    expect(r.id).toBeNull();
  });

  it('checks gender and birth date against the ID number', () => {
    const r = checkImportRow(row({ gender: '男', birthDate: '1990-05-18' }), placement, '2026-11-29');
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual([
      '性别：与身份证号不符',
      '出生日期：与身份证号不符（身份证号为 1990-05-17）',
    ]);
    expect(!r.ok && r.id?.value).toBe(ID);
  });

  it('asks for the probation end date of a probationer and orders the service dates', () => {
    const r = checkImportRow(
      row({ status: '试用期', workStartDate: '2020-01-01', joinCommunityDate: '2019-01-01' }),
      placement,
      '2026-11-29',
    );
    expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual(['joinCommunityDate', 'probationEndDate']);
  });
});

describe('createPlacementResolver', () => {
  it('finds communities by full name, short name, code and street/community path', () => {
    const p = createPlacementResolver(STREET, ORGS);
    expect(p.resolve('保俶塔社区')).toEqual({ code: '330106001001' });
    expect(p.resolve('保俶塔')).toEqual({ code: '330106001001' });
    expect(p.resolve('330106001002')).toEqual({ code: '330106001002' });
    expect(p.resolve('北山街道/西湖社区')).toEqual({ code: '330106001002' });
  });

  it('refuses codes outside the import org and asks for a code when a name is shared', () => {
    const street = createPlacementResolver(STREET, ORGS.slice(0, 3));
    expect(street.resolve('330106002001')).toEqual({ problem: '代码“330106002001”不在本次导入的单位“北山街道”之下' });
    const district = createPlacementResolver(DISTRICT, ORGS);
    expect(district.resolve('西湖社区')).toMatchObject({ problem: expect.stringContaining('有重名') });
    expect(district.resolve(null)).toMatchObject({ problem: expect.stringContaining('不是街道或社区') });
  });
});
