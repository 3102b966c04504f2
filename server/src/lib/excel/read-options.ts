/** Options shared by the .xlsx and CSV row readers. */
import type { HeaderDetection, HeaderOptions } from './header-map.ts';
import type { ZipLimits } from './zip-guard.ts';

/** Default limit on data rows per upload. */
export const DEFAULT_MAX_ROWS = 100_000;

/** Options of `readRows`/`readCsvRows`: header rules, sheet choice and limits. */
export interface ReadRowsOptions extends HeaderOptions {
  /** Sheet name, or 0-based index in tab order; default the first visible sheet. Ignored for CSV. */
  sheet?: string | number;
  /** Most data rows (default 100,000); the next one throws `too_many_rows`. */
  maxRows?: number;
  /** Most bytes of the file itself (default 50 MiB); larger throws `too_large`. */
  maxBytes?: number;
  /** Limits on the expanded .xlsx package (see zip-guard). */
  zipLimits?: Partial<ZipLimits>;
  /** The name the user uploaded the file under, used only as a hint by format detection. */
  fileName?: string;
  /** Called once with the detected header before the first row is yielded. */
  onHeader?: (header: HeaderDetection) => void;
}

/** What a row reader returns when done. */
export interface ReadRowsSummary {
  header: HeaderDetection;
  /** Name of the sheet read (for CSV, the file name without extension). */
  sheetName: string;
}
