import type { Lang } from '../../i18n/core';

/** Readable names of audit actions; unknown codes are shown as they are. */
const ACTION_LABELS: Record<string, { zh: string; en: string }> = {
  'auth.login': { zh: '登录', en: 'Sign-in' },
  'auth.login_failed': { zh: '登录失败', en: 'Failed sign-in' },
  'auth.logout': { zh: '退出登录', en: 'Sign-out' },
  'auth.password_changed': { zh: '修改密码', en: 'Password changed' },
  'auth.password_change_failed': { zh: '修改密码失败', en: 'Password change failed' },
  'user.create': { zh: '新建用户', en: 'User created' },
  'user.update': { zh: '修改用户', en: 'User updated' },
  'user.permission_change': { zh: '权限变更', en: 'Permission change' },
  'user.password_reset': { zh: '重置密码', en: 'Password reset' },
  'worker.create': { zh: '登记社区工作者', en: 'Worker registered' },
  'worker.update': { zh: '修改社区工作者信息', en: 'Worker updated' },
  'worker.reveal': { zh: '查看个人敏感信息', en: 'Personal data revealed' },
  'worker.status': { zh: '变更在岗状态', en: 'Status changed' },
  'worker.transfer': { zh: '调动', en: 'Transfer' },
  'worker.export': { zh: '导出花名册', en: 'Roster exported' },
  'contract.sign': { zh: '签订劳动合同', en: 'Contract signed' },
  'contract.renew': { zh: '续签劳动合同', en: 'Contract renewed' },
  'contract.terminate': { zh: '解除劳动合同', en: 'Contract terminated' },
  'insurance.update': { zh: '修改参保信息', en: 'Insurance updated' },
  'staffing_standard.set': { zh: '设置配备标准', en: 'Staffing standard set' },
  'org.update': { zh: '修改组织信息', en: 'Org updated' },
  'org.import': { zh: '导入区划数据', en: 'Division tree imported' },
  'demo.seed': { zh: '生成演示数据', en: 'Demo data seeded' },
};

export function auditActionLabel(code: string, lang: Lang): string {
  const hit = ACTION_LABELS[code];
  if (!hit) return code;
  return lang === 'en' ? hit.en : hit.zh;
}
