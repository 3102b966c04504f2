/** Catalogue of error codes: the HTTP status and the default message in Chinese and English. */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: '输入有误，请检查标记的字段', en: 'The input is invalid; check the marked fields' },
  BAD_REQUEST: { status: 400, zh: '请求格式错误', en: 'Malformed request' },
  INVALID_ID_NUMBER: { status: 400, zh: '身份证号无效', en: 'Invalid ID number' },
  WEAK_PASSWORD: { status: 400, zh: '密码不符合安全要求', en: 'The password does not meet the policy' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  FORBIDDEN: { status: 403, zh: '没有执行此操作的权限', en: 'You are not allowed to do this' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, zh: '首次登录请先修改密码', en: 'Change your password before continuing' },
  CSRF_REJECTED: { status: 403, zh: '请求来源不受信任', en: 'Cross-site request refused' },
  NOT_FOUND: { status: 404, zh: '对象不存在或不在您的管辖范围内', en: 'Not found' },
  CONFLICT: { status: 409, zh: '数据冲突', en: 'Conflict' },
  DUPLICATE_ID_NUMBER: { status: 409, zh: '该身份证号已登记', en: 'This ID number is already registered' },
  DUPLICATE_USERNAME: { status: 409, zh: '用户名已存在', en: 'The username is taken' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '请求须为 JSON 格式', en: 'The request body must be JSON' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求内容过大', en: 'Request body too large' },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '账号因多次登录失败已被临时锁定，请稍后再试',
    en: 'Account temporarily locked after repeated failed sign-ins',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用，请联系管理员', en: 'This account is disabled' },
  TOO_MANY_ATTEMPTS: { status: 429, zh: '尝试次数过多，请稍后再试', en: 'Too many attempts; try again later' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A field-level problem, for forms and row-level import reports. */
export interface FieldIssue {
  field: string;
  message: string;
  messageEn?: string;
  row?: number;
}

/** The one error type of the application: a stable code, a Chinese message (English available), details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly messageEn: string;
  readonly details: unknown;

  /** For Fastify plugins that read `statusCode` off thrown errors. */
  get statusCode(): number {
    return this.status;
  }

  constructor(code: ErrorCode, options: { message?: string; messageEn?: string; details?: unknown } = {}) {
    const entry = ERRORS[code];
    super(options.message ?? entry.zh);
    this.code = code;
    this.status = entry.status;
    this.messageEn = options.messageEn ?? entry.en;
    this.details = options.details;
  }

  /** A validation error naming one field, e.g. `AppError.field('idNumber', '校验位错误', 'bad check digit')`. */
  static field(field: string, message: string, messageEn?: string): AppError {
    const issue: FieldIssue = { field, message, ...(messageEn ? { messageEn } : {}) };
    return new AppError('VALIDATION_FAILED', {
      message: `${message}`,
      messageEn: messageEn ?? ERRORS.VALIDATION_FAILED.en,
      details: { issues: [issue] },
    });
  }

  static notFound(): AppError {
    return new AppError('NOT_FOUND');
  }
}

/** Whether a database error is a unique-constraint violation (SQLite or PostgreSQL). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}

/** Whether a database error is a foreign-key violation (SQLite or PostgreSQL). */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || e?.code === '23503';
}
