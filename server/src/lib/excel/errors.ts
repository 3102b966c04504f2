/**
 * File-level failures of a spreadsheet upload (the whole file is refused, as opposed to row-level
 * issues). Each is a `VALIDATION_FAILED` AppError whose `details.problem` says which one it is,
 * with the message a street-office clerk can act on in Chinese and the English alongside.
 */
import { AppError, type FieldIssue } from '../errors.ts';

/** Stable machine-readable reasons for refusing a whole file (`details.problem`). */
export type ImportFileProblem =
  | 'empty'
  | 'not_spreadsheet'
  | 'legacy_xls'
  | 'encrypted'
  | 'too_large'
  | 'too_many_rows'
  | 'zip_bomb'
  | 'corrupt'
  | 'unreadable_encoding'
  | 'sheet_not_found'
  | 'no_header'
  | 'missing_columns'
  | 'duplicate_columns';

/** `details` of an ImportFileError: the problem plus problem-specific facts. */
export interface ImportFileErrorDetails {
  problem: ImportFileProblem;
  /** Column-level issues (missing or duplicate columns), keyed by canonical column key. */
  issues?: FieldIssue[];
  [extra: string]: unknown;
}

/** A whole-file refusal of an uploaded spreadsheet; `problem` is the stable machine-readable reason. */
export class ImportFileError extends AppError {
  readonly problem: ImportFileProblem;
  declare readonly details: ImportFileErrorDetails;

  constructor(problem: ImportFileProblem, message: string, messageEn: string, extra: Omit<ImportFileErrorDetails, 'problem'> = {}) {
    super('VALIDATION_FAILED', { message, messageEn, details: { problem, ...extra } });
    this.name = 'ImportFileError';
    this.problem = problem;
  }
}

/** Whether an error is an ImportFileError, optionally of one problem. */
export function isImportFileError(err: unknown, problem?: ImportFileProblem): err is ImportFileError {
  return err instanceof ImportFileError && (problem === undefined || err.problem === problem);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** Factories for each file-level failure, so every caller words the same problem the same way. */
export const importFileErrors = {
  /** The file (or, with a name, the chosen sheet) has no content. */
  empty(sheetName?: string): ImportFileError {
    if (sheetName !== undefined) {
      return new ImportFileError('empty', `工作表“${sheetName}”没有内容，请检查后重新上传`, `Sheet "${sheetName}" is empty`, {
        sheet: sheetName,
      });
    }
    return new ImportFileError('empty', '文件为空，请检查后重新上传', 'The file is empty');
  },

  notSpreadsheet(): ImportFileError {
    return new ImportFileError(
      'not_spreadsheet',
      '无法识别的文件格式，请上传 Excel（.xlsx）或 CSV 文件',
      'Unrecognised file format; upload an Excel (.xlsx) or CSV file',
    );
  },

  legacyXls(): ImportFileError {
    return new ImportFileError(
      'legacy_xls',
      '不支持旧版 Excel 97-2003（.xls）格式，请另存为 .xlsx 格式后重新上传',
      'Legacy Excel 97-2003 (.xls) files are not supported; save the file as .xlsx and upload it again',
    );
  },

  encrypted(): ImportFileError {
    return new ImportFileError(
      'encrypted',
      '文件已加密，请取消密码保护后重新上传',
      'The file is password-protected; remove the password and upload it again',
    );
  },

  tooLarge(bytes: number, limit: number): ImportFileError {
    return new ImportFileError(
      'too_large',
      `文件过大（${formatBytes(bytes)}），上限为 ${formatBytes(limit)}，请拆分后分批上传`,
      `The file is too large (${formatBytes(bytes)}); the limit is ${formatBytes(limit)}. Split it and upload in parts`,
      { bytes, limit },
    );
  },

  tooManyRows(limit: number): ImportFileError {
    return new ImportFileError(
      'too_many_rows',
      `数据行数超过上限（${limit} 行），请拆分文件后分批导入`,
      `More than ${limit} data rows; split the file and import it in parts`,
      { limit },
    );
  },

  /** A compressed file that would expand beyond the limits; `reasonEn` is logged detail, not shown. */
  zipBomb(reason: string, reasonEn: string): ImportFileError {
    return new ImportFileError(
      'zip_bomb',
      `文件解压后内容异常（${reason}），已拒绝处理；请用 Excel 打开后另存为 .xlsx 再上传`,
      `The file expands abnormally (${reasonEn}) and was refused; open it in Excel, save as .xlsx and upload again`,
      { reason: reasonEn },
    );
  },

  corrupt(reason: string, reasonEn: string): ImportFileError {
    return new ImportFileError(
      'corrupt',
      `文件已损坏或结构异常（${reason}），请用 Excel 打开后另存为 .xlsx 再上传`,
      `The file is damaged or malformed (${reasonEn}); open it in Excel, save as .xlsx and upload again`,
      { reason: reasonEn },
    );
  },

  unreadableEncoding(): ImportFileError {
    return new ImportFileError(
      'unreadable_encoding',
      'CSV 文件编码无法识别，请另存为“CSV UTF-8（逗号分隔）”格式后重新上传',
      'The CSV encoding could not be recognised; save it as "CSV UTF-8 (comma delimited)" and upload again',
    );
  },

  sheetNotFound(sheet: string | number, available: string[]): ImportFileError {
    const which = typeof sheet === 'number' ? `第 ${sheet + 1} 个工作表` : `工作表“${sheet}”`;
    const whichEn = typeof sheet === 'number' ? `sheet #${sheet + 1}` : `sheet "${sheet}"`;
    return new ImportFileError(
      'sheet_not_found',
      `找不到${which}，文件中的工作表有：${available.join('、') || '（无）'}`,
      `Could not find ${whichEn}; the workbook has: ${available.join(', ') || '(none)'}`,
      { sheet, available },
    );
  },

  noHeader(searchedRows: number, exampleLabels: string[]): ImportFileError {
    const examples = exampleLabels.slice(0, 3);
    return new ImportFileError(
      'no_header',
      `未找到表头：前 ${searchedRows} 行中没有可识别的列名（如 ${examples.join('、')}），请使用导入模板`,
      `No header row found in the first ${searchedRows} rows (expected column names such as ${examples.join(', ')}); use the import template`,
      { searchedRows },
    );
  },

  /** Missing required columns and/or duplicate columns, reported together so the user fixes both at once. */
  badColumns(missing: { key: string; label: string }[], duplicates: { key: string; label: string; headers: string[] }[]): ImportFileError {
    const zh: string[] = [];
    const en: string[] = [];
    const issues: FieldIssue[] = [];
    if (missing.length > 0) {
      zh.push(`缺少必填列：${missing.map((m) => m.label).join('、')}`);
      en.push(`Missing required columns: ${missing.map((m) => m.label).join(', ')}`);
      for (const m of missing)
        issues.push({ field: m.key, message: `缺少必填列：${m.label}`, messageEn: `missing required column ${m.label}` });
    }
    for (const d of duplicates) {
      const quoted = d.headers.map((h) => `“${h}”`).join('、');
      zh.push(`表头重复：${quoted} 都对应“${d.label}”，请只保留一列`);
      en.push(`Duplicate columns: ${d.headers.join(', ')} all mean "${d.label}"; keep only one`);
      issues.push({ field: d.key, message: `表头重复：${quoted}`, messageEn: `duplicate columns: ${d.headers.join(', ')}` });
    }
    return new ImportFileError(missing.length > 0 ? 'missing_columns' : 'duplicate_columns', zh.join('；'), en.join('; '), { issues });
  },
};
