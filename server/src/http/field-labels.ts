/** Chinese names of API fields, so validation messages read "身份证号：校验位错误". */
export const FIELD_LABELS: Record<string, string> = {
  username: '用户名',
  password: '密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  displayName: '姓名',
  role: '角色',
  orgCode: '所属组织',
  name: '姓名',
  idNumber: '身份证号',
  phone: '手机号',
  post: '岗位',
  status: '状态',
  education: '学历',
  politicalStatus: '政治面貌',
  workStartDate: '参加社区工作时间',
  population: '常住人口',
  households: '户数',
  page: '页码',
  pageSize: '每页条数',
  q: '搜索词',
  fields: '字段',
  isDisabled: '停用',
  from: '开始时间',
  to: '结束时间',
};

export function fieldLabel(path: string): string {
  const last =
    path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .pop() ?? path;
  return FIELD_LABELS[last] ?? last;
}
