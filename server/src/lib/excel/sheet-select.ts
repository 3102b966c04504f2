/**
 * Which sheet of a workbook an import reads: the sheet list entry and the rule for a selector (a
 * name, a 0-based tab index, or the first visible sheet). Shared by the exceljs copier and the
 * streaming reader; free of both.
 */
import { importFileErrors } from './errors.ts';
import { normaliseCellText } from './text.ts';

/** A sheet as listed in workbook.xml, in tab order. */
export interface SheetEntry {
  name: string;
  state?: string;
}

/** Whether a sheet state from workbook.xml hides the sheet. */
export function isHiddenState(state: string | undefined): boolean {
  return state === 'hidden' || state === 'veryHidden';
}

/**
 * The name of the sheet a selector designates — a name (exact, else ignoring width/case/spaces), a
 * 0-based tab index, or undefined for the first visible sheet — or throws `sheet_not_found`.
 */
export function resolveSheetName(order: SheetEntry[], selector: string | number | undefined): string {
  const names = order.map((s) => s.name);
  if (selector === undefined) {
    const first = order.find((s) => !isHiddenState(s.state)) ?? order[0];
    if (!first) throw importFileErrors.sheetNotFound(0, names);
    return first.name;
  }
  if (typeof selector === 'number') {
    const entry = Number.isInteger(selector) ? order[selector] : undefined;
    if (!entry) throw importFileErrors.sheetNotFound(selector, names);
    return entry.name;
  }
  if (names.includes(selector)) return selector;
  const wanted = normaliseCellText(selector).toLowerCase();
  const loose = names.find((n) => normaliseCellText(n).toLowerCase() === wanted);
  if (loose === undefined) throw importFileErrors.sheetNotFound(selector, names);
  return loose;
}
