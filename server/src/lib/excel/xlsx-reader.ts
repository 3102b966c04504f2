/**
 * A lean streaming reader of .xlsx worksheets, for imports. exceljs's streaming reader spent most
 * of a 100,000-row dry run building a cell object model (styles, addresses, SAX events per cell)
 * that an import throws away; this reads only what an import needs — cell values by row and column,
 * whether a number is a date, the sheet list — and nothing else:
 *
 * - the package is opened through its central directory (`inspectZip`, which enforces the ZIP
 *   limits); workbook.xml, its relationships, sharedStrings.xml and styles.xml are inflated whole,
 *   the chosen worksheet is inflated as a stream, and no other entry is ever inflated;
 * - every inflated entry is capped at its declared size (`maxOutputLength` / a byte count), so a
 *   package that lies about its sizes is refused as a ZIP bomb without a separate inflating pass;
 * - the worksheet XML is scanned tag by tag, one complete `<row>` at a time, so memory stays at one
 *   inflated chunk plus the shared strings.
 *
 * Malformed or truncated XML is an ImportFileError `corrupt`. Writing (templates, exports, marked
 * copies) stays with exceljs.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { excelSerialToDate, isDateNumberFormat, type PlainCellValue } from './cell-value.ts';
import { importFileErrors } from './errors.ts';
import type { RawRow } from './header-map.ts';
import type { SheetEntry } from './sheet-select.ts';
import { normaliseCellText } from './text.ts';
import { inspectZip, type ZipEntryInfo, type ZipLimits } from './zip-guard.ts';

/** A worksheet of the package: its tab-order entry and the path of its XML inside the ZIP. */
export interface XlsxSheet extends SheetEntry {
  /** e.g. `xl/worksheets/sheet1.xml`; null when the relationship names no part in the package. */
  part: string | null;
}

/** An opened package: its sheets in tab order and what reading a sheet's cells needs. */
export interface XlsxPackage {
  path: string;
  sheets: XlsxSheet[];
  date1904: boolean;
  entries: Map<string, ZipEntryInfo>;
  /** Shared string table, normalised (`normaliseCellText`, empty → null); read on first use. */
  sharedStrings(): (string | null)[];
  /** Per cell style (xf) index: whether its number format shows a date; read on first use. */
  dateStyles(): boolean[];
}

/** Options of `streamSheetRows`. */
export interface SheetRowOptions {
  /** Size of the compressed reads (tests use small ones to split rows and characters across chunks). */
  readChunkBytes?: number;
  /** Longest stretch of XML held while waiting for a row or tag to end (default `MAX_PENDING_CHARS`). */
  maxPendingChars?: number;
}

/**
 * A single row (or tag) longer than this, 8 Mi characters, is refused as corrupt rather than
 * buffered: real rows are a few KB, and a crafted one could otherwise hold the whole sheet.
 */
export const MAX_PENDING_CHARS = 8 * 1024 * 1024;

const MAIN_NS_RELS_TYPE_SUFFIX = {
  worksheet: '/worksheet',
  sharedStrings: '/sharedStrings',
  styles: '/styles',
} as const;

/** Built-in number formats that show a date: 14–22 and 45–47 everywhere, 27–31, 36 and 50–58 in zh-CN/ja/ko Excel. */
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

function corrupt(reasonEn: string): Error {
  return importFileErrors.corrupt('工作表内容无法解析', `the workbook could not be parsed: ${reasonEn}`);
}

function entryTooLarge(entry: ZipEntryInfo): Error {
  return importFileErrors.zipBomb(
    `内部文件 ${entry.name.slice(0, 60)} 实际大小超过声明`,
    `entry ${entry.name.slice(0, 60)} inflates beyond its declared ${entry.uncompressedSize} bytes`,
  );
}

// ---------------------------------------------------------------- XML scanning

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** OOXML's escape of characters XML cannot hold (`_x000D_` for a carriage return); `_x005F_` escapes an underscore. */
const OOXML_ESCAPE = /_x([0-9a-fA-F]{4})_/g;

/** Decodes XML character and entity references (and OOXML `_xHHHH_` escapes in cell text). */
export function decodeXmlText(raw: string, ooxmlEscapes = true): string {
  let text =
    raw.indexOf('&') < 0
      ? raw
      : raw.replace(ENTITY, (_m, hex: string, dec: string, name: string) => {
          if (name) return NAMED[name]!;
          const code = hex ? parseInt(hex, 16) : parseInt(dec, 10);
          return code <= 0x10ffff ? String.fromCodePoint(code) : '';
        });
  if (ooxmlEscapes && text.indexOf('_x') >= 0)
    text = text.replace(OOXML_ESCAPE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return text;
}

/**
 * The index of the `>` that ends the tag whose `<` is at `lt`, skipping quoted attribute values;
 * -1 when the text ends first (more input needed). A `<` inside a tag is malformed XML.
 */
function tagEnd(s: string, lt: number, limit: number): number {
  let quote = 0;
  for (let i = lt + 1; i < limit; i++) {
    const ch = s.charCodeAt(i);
    if (quote !== 0) {
      if (ch === quote) quote = 0;
    } else if (ch === 62 /* > */) return i;
    else if (ch === 34 /* " */ || ch === 39 /* ' */) quote = ch;
    else if (ch === 60 /* < */) throw corrupt(`"<" inside a tag at ${lt}`);
  }
  return -1;
}

/** Index just after the (possibly prefixed) tag name that starts at `from`. */
function nameEnd(s: string, from: number, end: number): number {
  let i = from;
  while (i < end) {
    const ch = s.charCodeAt(i);
    if (ch === 32 || ch === 47 /* / */ || ch === 62 || ch === 9 || ch === 10 || ch === 13) break;
    i++;
  }
  return i;
}

/** Where the next attribute of a tag lies: its name and its (quoted) value, as index ranges. */
interface AttributeSpan {
  nameFrom: number;
  /** Index of the name's last character. */
  nameLast: number;
  valueFrom: number;
  valueTo: number;
}

/** Finds the attribute at or after `i` in the tag text `s[i, end)`; returns the index after it, or -1 when there is none. */
function nextAttribute(s: string, i: number, end: number, out: AttributeSpan): number {
  const eq = s.indexOf('=', i);
  if (eq < 0 || eq >= end) return -1;
  let k = eq - 1;
  while (k > i && s.charCodeAt(k) <= 32) k--;
  let n = k;
  while (n > i && s.charCodeAt(n - 1) > 32) n--;
  let q = eq + 1;
  while (q < end && s.charCodeAt(q) <= 32) q++;
  const quote = s.charCodeAt(q);
  if (quote !== 34 && quote !== 39) throw corrupt('unquoted attribute');
  const close = s.indexOf(quote === 34 ? '"' : "'", q + 1);
  if (close < 0 || close > end) throw corrupt('unterminated attribute');
  out.nameFrom = n;
  out.nameLast = k;
  out.valueFrom = q + 1;
  out.valueTo = close;
  return close + 1;
}

const span: AttributeSpan = { nameFrom: 0, nameLast: 0, valueFrom: 0, valueTo: 0 };

/** The value of attribute `name` (local name, any prefix) inside the tag `s[from, end)`, decoded; undefined when absent. */
function attribute(s: string, from: number, end: number, name: string): string | undefined {
  for (let i = from; (i = nextAttribute(s, i, end, span)) >= 0;) {
    let attr = s.slice(span.nameFrom, span.nameLast + 1);
    const colon = attr.indexOf(':');
    if (colon >= 0) attr = attr.slice(colon + 1);
    if (attr === name) return decodeXmlText(s.slice(span.valueFrom, span.valueTo), false);
  }
  return undefined;
}

interface Tag {
  /** Local name (any namespace prefix dropped). */
  name: string;
  /** Length of the prefix with its colon (`x:` → 2), 0 without one. */
  prefixLength: number;
  /** Index just after the tag name (attributes start here). */
  attrsFrom: number;
  /** Index of the closing `>`. */
  end: number;
  isClose: boolean;
  isSelfClosing: boolean;
}

/** The tag at `lt` (which must be `<`), or null when the text ends before it does. Comments and declarations come back as name `!`/`?`. */
function readTag(s: string, lt: number, limit: number): Tag | null {
  const next = s.charCodeAt(lt + 1);
  if (next === 33 /* ! */) {
    const isComment = s.startsWith('<!--', lt);
    const isCdata = s.startsWith('<![CDATA[', lt);
    const close = isComment ? s.indexOf('-->', lt + 4) : isCdata ? s.indexOf(']]>', lt + 9) : tagEnd(s, lt, limit);
    if (close < 0 || close >= limit) return null;
    const end = isComment || isCdata ? close + 2 : close;
    return { name: isCdata ? '![CDATA[' : '!', prefixLength: 0, attrsFrom: lt + 2, end, isClose: false, isSelfClosing: true };
  }
  if (next === 63 /* ? */) {
    const end = s.indexOf('?>', lt + 2) + 1;
    if (end <= 0 || end >= limit) return null;
    return { name: '?', prefixLength: 0, attrsFrom: lt + 2, end, isClose: false, isSelfClosing: true };
  }
  const end = tagEnd(s, lt, limit);
  if (end < 0) return null;
  const isClose = next === 47;
  const nameFrom = isClose ? lt + 2 : lt + 1;
  const attrsFrom = nameEnd(s, nameFrom, end);
  if (attrsFrom === nameFrom) throw corrupt(`empty tag name at ${lt}`);
  let name = s.slice(nameFrom, attrsFrom);
  const colon = name.indexOf(':');
  const prefixLength = colon < 0 ? 0 : colon + 1;
  if (colon >= 0) name = name.slice(colon + 1);
  return { name, prefixLength, attrsFrom, end, isClose, isSelfClosing: s.charCodeAt(end - 1) === 47 };
}

/** A cell's attributes, read in one pass (the reader reads a million cells). */
interface CellAttributes {
  ref: string | undefined;
  type: string | undefined;
  style: number;
}

function readCellAttributes(s: string, from: number, end: number, out: CellAttributes): void {
  out.ref = undefined;
  out.type = undefined;
  out.style = 0;
  for (let i = from; (i = nextAttribute(s, i, end, span)) >= 0;) {
    // Local names r, t, s: one character, possibly after a prefix.
    const k = span.nameLast;
    if (k !== span.nameFrom && s.charCodeAt(k - 1) !== 58 /* : */) continue;
    const c = s.charCodeAt(k);
    if (c === 114 /* r */) out.ref = s.slice(span.valueFrom, span.valueTo);
    else if (c === 116 /* t */) out.type = s.slice(span.valueFrom, span.valueTo);
    else if (c === 115 /* s */) out.style = Number(s.slice(span.valueFrom, span.valueTo));
  }
}

/**
 * Calls `visit` for each tag of a complete XML document, with the text since the previous tag.
 * For the small parts (workbook, relationships, styles, shared strings), read whole.
 */
function scanDocument(s: string, visit: (tag: Tag, textBefore: string) => void): void {
  let pos = 0;
  const depth: string[] = [];
  for (;;) {
    const lt = s.indexOf('<', pos);
    if (lt < 0) {
      if (depth.length > 0) throw corrupt(`unclosed <${depth[depth.length - 1]}>`);
      return;
    }
    const tag = readTag(s, lt, s.length);
    if (!tag) throw corrupt('truncated XML');
    const text = s.slice(pos, lt);
    if (tag.name === '![CDATA[') {
      visit({ ...tag, name: '#cdata' }, s.slice(lt + 9, tag.end - 2));
    } else if (tag.name !== '!' && tag.name !== '?') {
      if (tag.isClose) {
        if (depth.pop() !== tag.name) throw corrupt(`mismatched </${tag.name}>`);
      } else if (!tag.isSelfClosing) depth.push(tag.name);
      visit(tag, text);
    }
    pos = tag.end + 1;
  }
}

// ---------------------------------------------------------------- package parts

function readEntryBytes(path: string, entry: ZipEntryInfo): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(entry.compressedSize);
    let done = 0;
    while (done < buffer.length) {
      const n = readSync(fd, buffer, done, buffer.length - done, entry.dataOffset + done);
      if (n === 0) throw corrupt(`entry ${entry.name} is truncated`);
      done += n;
    }
    return buffer;
  } finally {
    closeSync(fd);
  }
}

/** A small entry, inflated whole (at most its declared size) and decoded as UTF-8. */
function readEntryText(path: string, entry: ZipEntryInfo): string {
  const compressed = readEntryBytes(path, entry);
  let bytes: Buffer;
  if (entry.method === 0) bytes = compressed;
  else {
    try {
      bytes = inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw entryTooLarge(entry);
      throw importFileErrors.corrupt(`内部文件 ${entry.name.slice(0, 60)} 无法解压`, `entry ${entry.name.slice(0, 60)} does not inflate`);
    }
    if (bytes.length > entry.uncompressedSize) throw entryTooLarge(entry);
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Resolves a relationship target against the folder of the part that holds the relationships. */
function resolvePart(baseDir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `${baseDir}/${target}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

/**
 * Opens a .xlsx through its central directory (throwing ImportFileErrors for the ZIP limits,
 * structure, encryption and a package that is no workbook) and reads its sheet list.
 */
export function openXlsxPackage(path: string, limits: Partial<ZipLimits> = {}): XlsxPackage {
  const inspection = inspectZip(path, limits);
  const entries = new Map(inspection.entries.map((e) => [e.name, e]));
  const text = (name: string): string | null => {
    const entry = entries.get(name);
    return entry ? readEntryText(path, entry) : null;
  };

  const relsXml = text('xl/_rels/workbook.xml.rels');
  const rels = new Map<string, { type: string; part: string }>();
  if (relsXml !== null) {
    scanDocument(relsXml, (tag) => {
      if (tag.name !== 'Relationship' || tag.isClose) return;
      const id = attribute(relsXml, tag.attrsFrom, tag.end, 'Id');
      const target = attribute(relsXml, tag.attrsFrom, tag.end, 'Target');
      if (id && target && attribute(relsXml, tag.attrsFrom, tag.end, 'TargetMode') !== 'External') {
        rels.set(id, { type: attribute(relsXml, tag.attrsFrom, tag.end, 'Type') ?? '', part: resolvePart('xl', target) });
      }
    });
  }
  const partOfType = (suffix: string, fallback: string): string | null => {
    for (const r of rels.values()) if (r.type.endsWith(suffix) && entries.has(r.part)) return r.part;
    return entries.has(fallback) ? fallback : null;
  };

  const workbookXml = text('xl/workbook.xml') ?? '';
  const sheets: XlsxSheet[] = [];
  let date1904 = false;
  scanDocument(workbookXml, (tag) => {
    if (tag.isClose) return;
    if (tag.name === 'workbookPr') {
      const v = attribute(workbookXml, tag.attrsFrom, tag.end, 'date1904');
      date1904 = v === '1' || v === 'true';
    } else if (tag.name === 'sheet') {
      const name = attribute(workbookXml, tag.attrsFrom, tag.end, 'name') ?? '';
      const state = attribute(workbookXml, tag.attrsFrom, tag.end, 'state');
      const rid = attribute(workbookXml, tag.attrsFrom, tag.end, 'id');
      const rel = rid === undefined ? undefined : rels.get(rid);
      const part = rel && entries.has(rel.part) ? rel.part : null;
      sheets.push({ name, ...(state === undefined ? {} : { state }), part });
    }
  });
  // A workbook without relationships (some generators): sheet N is xl/worksheets/sheetN.xml.
  sheets.forEach((s, i) => {
    if (s.part === null && rels.size === 0 && entries.has(`xl/worksheets/sheet${i + 1}.xml`)) s.part = `xl/worksheets/sheet${i + 1}.xml`;
  });

  let shared: (string | null)[] | undefined;
  let dates: boolean[] | undefined;
  return {
    path,
    sheets,
    date1904,
    entries,
    sharedStrings() {
      if (!shared) {
        const part = partOfType(MAIN_NS_RELS_TYPE_SUFFIX.sharedStrings, 'xl/sharedStrings.xml');
        shared = part === null ? [] : parseSharedStrings(text(part)!);
      }
      return shared;
    },
    dateStyles() {
      if (!dates) {
        const part = partOfType(MAIN_NS_RELS_TYPE_SUFFIX.styles, 'xl/styles.xml');
        dates = part === null ? [] : parseDateStyles(text(part)!);
      }
      return dates;
    },
  };
}

/** `<si>` texts: plain `<t>`, or the runs of rich text; phonetic guides (`<rPh>`) left out. */
export function parseSharedStrings(xml: string): (string | null)[] {
  const out: (string | null)[] = [];
  let current: string[] | null = null;
  let inT = false;
  let inPhonetic = 0;
  scanDocument(xml, (tag, text) => {
    if (inT && current && inPhonetic === 0 && text) current.push(text);
    if (tag.name === '#cdata') {
      if (inT && current && inPhonetic === 0) current.push(text);
      return;
    }
    if (tag.name === 'si') {
      if (tag.isClose || tag.isSelfClosing) {
        const value = current ? normaliseCellText(decodeXmlText(current.join(''))) : '';
        out.push(value === '' ? null : value);
        current = null;
      } else current = [];
    } else if (tag.name === 't') inT = !tag.isClose && !tag.isSelfClosing;
    else if (tag.name === 'rPh') inPhonetic += tag.isClose ? -1 : tag.isSelfClosing ? 0 : 1;
  });
  return out;
}

/** Per cell style (`cellXfs/xf`, by index): whether its number format (built-in or `numFmts`) shows a date. */
export function parseDateStyles(xml: string): boolean[] {
  const formats = new Map<number, string>();
  const out: boolean[] = [];
  let inCellXfs = false;
  scanDocument(xml, (tag) => {
    if (tag.name === 'numFmt' && !tag.isClose) {
      const id = Number(attribute(xml, tag.attrsFrom, tag.end, 'numFmtId'));
      formats.set(id, attribute(xml, tag.attrsFrom, tag.end, 'formatCode') ?? '');
    } else if (tag.name === 'cellXfs') inCellXfs = !tag.isClose && !tag.isSelfClosing;
    else if (tag.name === 'xf' && inCellXfs && !tag.isClose) {
      const id = Number(attribute(xml, tag.attrsFrom, tag.end, 'numFmtId') ?? 0);
      const custom = formats.get(id);
      out.push(custom !== undefined ? isDateNumberFormat(custom) : BUILT_IN_DATE_FORMATS.has(id));
    }
  });
  return out;
}

// ---------------------------------------------------------------- worksheet rows

/** 1-based column of a cell reference such as `AB12`; 0 when it has no letters. */
function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const ch = ref.charCodeAt(i);
    if (ch >= 65 && ch <= 90) col = col * 26 + (ch - 64);
    else if (ch >= 97 && ch <= 122) col = col * 26 + (ch - 96);
    else break;
  }
  return col;
}

const cellAttributes: CellAttributes = { ref: undefined, type: undefined, style: 0 };

interface CellContext {
  shared: (string | null)[];
  dates: boolean[];
  date1904: boolean;
}

/** The value of a cell from its type, style and the raw text of its `<v>` (or inline string). */
function cellValue(type: string | undefined, style: number, raw: string, ctx: CellContext): PlainCellValue {
  switch (type) {
    case 's': {
      const index = Number(raw);
      return ctx.shared[index] ?? null;
    }
    case 'inlineStr':
    case 'str':
      return normaliseCellText(decodeXmlText(raw)) || null;
    case 'b':
      return Number(raw) !== 0 ? 'TRUE' : 'FALSE';
    case 'e':
      return null;
    case 'd': {
      const d = new Date(raw.length === 10 ? `${raw}T00:00:00Z` : raw);
      return Number.isNaN(d.getTime()) ? null : d;
    }
    default: {
      if (raw === '') return null;
      const n = Number(raw);
      if (!Number.isFinite(n)) return null;
      return ctx.dates[style] === true ? excelSerialToDate(n, ctx.date1904) : n;
    }
  }
}

/**
 * Parses the cells of one complete row (`s[from, to)` is the content between `<row …>` and
 * `</row>`) into `values` by column; returns whether any cell had a value.
 */
function parseRowCells(s: string, from: number, to: number, values: PlainCellValue[], ctx: CellContext): boolean {
  let pos = from;
  let column = 0;
  let hasValue = false;
  const attrs = cellAttributes;
  while (pos < to) {
    const lt = s.indexOf('<', pos);
    if (lt < 0 || lt >= to) break;
    const tag = readTag(s, lt, to);
    if (!tag) throw corrupt('truncated cell');
    pos = tag.end + 1;
    if (tag.name === '!' || tag.name === '?') continue;
    if (tag.isClose) throw corrupt(`unexpected </${tag.name}> in a row`);
    if (tag.name !== 'c') {
      // Anything else in a row (extLst…): skip the element whole.
      if (!tag.isSelfClosing) pos = skipElement(s, pos, to, tag.name);
      continue;
    }
    readCellAttributes(s, tag.attrsFrom, tag.end, attrs);
    const refColumn = attrs.ref === undefined ? 0 : columnOf(attrs.ref);
    column = refColumn > 0 ? refColumn : column + 1;
    if (tag.isSelfClosing) continue;
    const { type, style } = attrs;
    // The common shapes, without a tag object per child: <v>…</v></c> and <is><t>…</t></is></c>.
    const fast = fastCellText(s, pos, to, tag.prefixLength === 0);
    if (fast !== null) {
      pos = fastCellEnd;
      const value = fast.isInline ? normaliseCellText(decodeXmlText(fast.text)) || null : cellValue(type, style, fast.text, ctx);
      if (value !== null) {
        values[column] = value;
        hasValue = true;
      }
      continue;
    }
    // The cell's children: <v>, <f>, <is> (<t>, rich runs <r><t>, phonetic <rPh>), up to </c>.
    let raw: string | null = null;
    let inline: string[] | null = null;
    let inPhonetic = 0;
    for (;;) {
      const clt = s.indexOf('<', pos);
      if (clt < 0 || clt >= to) throw corrupt('unclosed <c>');
      const child = readTag(s, clt, to);
      if (!child) throw corrupt('truncated cell');
      const textStart = child.end + 1;
      if (child.isClose) {
        pos = textStart;
        if (child.name === 'c') break;
        if (child.name === 'rPh') inPhonetic--;
        continue;
      }
      pos = textStart;
      if (child.isSelfClosing || child.name === '!' || child.name === '?') continue;
      if (child.name === 'v' || child.name === 't') {
        const end = s.indexOf('<', textStart);
        if (end < 0 || end >= to) throw corrupt('unclosed value');
        let text = s.slice(textStart, end);
        pos = end;
        if (s.startsWith('<![CDATA[', end)) {
          const close = s.indexOf(']]>', end);
          if (close < 0 || close >= to) throw corrupt('unclosed CDATA');
          text += s.slice(end + 9, close);
          pos = close + 3;
        }
        if (child.name === 'v') raw = text;
        else if (inPhonetic === 0) (inline ??= []).push(text);
      } else if (child.name === 'rPh') inPhonetic++;
      else if (child.name === 'f' || child.name === 'extLst') pos = skipElement(s, pos, to, child.name);
      // <is>, <r>, <rPr> and the rest: their children are handled by this loop.
    }
    const value =
      inline !== null && (type === 'inlineStr' || raw === null)
        ? normaliseCellText(decodeXmlText(inline.join(''))) || null
        : raw === null
          ? null
          : cellValue(type, style, raw, ctx);
    if (value !== null) {
      values[column] = value;
      hasValue = true;
    }
  }
  return hasValue;
}

let fastCellEnd = 0;
const fastInline = { text: '', isInline: true };
const fastValue = { text: '', isInline: false };

/**
 * The text of a cell whose content (from `pos`) is exactly `<v>text</v></c>` or
 * `<is><t>text</t></is></c>` without a prefix, an entity-free `<` or CDATA in the text; sets
 * `fastCellEnd` past `</c>`. Null for anything else (the general loop reads it).
 */
function fastCellText(s: string, pos: number, to: number, isUnprefixed: boolean): { text: string; isInline: boolean } | null {
  if (!isUnprefixed || s.charCodeAt(pos) !== 60) return null;
  let result: { text: string; isInline: boolean };
  let textStart: number;
  let closing: string;
  if (s.startsWith('<v>', pos)) {
    result = fastValue;
    textStart = pos + 3;
    closing = '</v></c>';
  } else if (s.startsWith('<is><t>', pos)) {
    result = fastInline;
    textStart = pos + 7;
    closing = '</t></is></c>';
  } else return null;
  const lt = s.indexOf('<', textStart);
  if (lt < 0 || lt >= to || !s.startsWith(closing, lt)) return null;
  result.text = s.slice(textStart, lt);
  fastCellEnd = lt + closing.length;
  return result;
}

/** The index after the end tag of the element whose start tag ended just before `pos`. */
function skipElement(s: string, pos: number, to: number, name: string): number {
  let depth = 1;
  while (depth > 0) {
    const lt = s.indexOf('<', pos);
    if (lt < 0 || lt >= to) throw corrupt(`unclosed <${name}>`);
    const tag = readTag(s, lt, to);
    if (!tag) throw corrupt(`unclosed <${name}>`);
    pos = tag.end + 1;
    if (tag.name === name) depth += tag.isClose ? -1 : tag.isSelfClosing ? 0 : 1;
  }
  return pos;
}

/**
 * Streams the rows of one worksheet part that have at least one value, in file order, as raw rows
 * (values by 1-based column, index 0 unused). Throws `corrupt` for malformed or truncated XML and
 * `zip_bomb` when the part inflates beyond its declared size. Stopping early closes the file.
 */
export async function* streamSheetRows(pkg: XlsxPackage, part: string, options: SheetRowOptions = {}): AsyncGenerator<RawRow, void> {
  const entry = pkg.entries.get(part);
  if (!entry) throw corrupt(`missing worksheet part ${part}`);
  const ctx: CellContext = { shared: pkg.sharedStrings(), dates: pkg.dateStyles(), date1904: pkg.date1904 };
  const file = createReadStream(pkg.path, {
    start: entry.dataOffset,
    end: entry.dataOffset + Math.max(0, entry.compressedSize - 1),
    highWaterMark: options.readChunkBytes ?? 256 * 1024,
  });
  const source =
    entry.compressedSize === 0
      ? []
      : entry.method === 8
        ? file.pipe(createInflateRaw({ chunkSize: options.readChunkBytes ?? 64 * 1024 }))
        : file;
  let inflateFailed = false;
  if (source !== file && !Array.isArray(source)) {
    file.on('error', (err) => source.destroy(err));
    source.on('error', () => {
      inflateFailed = true;
    });
  }
  const decoder = new StringDecoder('utf8');
  let buf = '';
  let pos = 0;
  let inflated = 0;
  let state: 'prolog' | 'rows' | 'done' = 'prolog';
  let rowNumber = 0;
  let rowClose = '</row>';
  try {
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        if (inflated > entry.uncompressedSize) throw entryTooLarge(entry);
        buf = pos === 0 ? buf + decoder.write(chunk) : buf.slice(pos) + decoder.write(chunk);
        pos = 0;
        while (state !== 'done') {
          const lt = buf.indexOf('<', pos);
          if (lt < 0) {
            pos = buf.length;
            break;
          }
          const tag = readTag(buf, lt, buf.length);
          if (!tag) {
            pos = lt;
            break;
          }
          if (state === 'prolog') {
            pos = tag.end + 1;
            if (tag.name === 'sheetData' && !tag.isClose) state = tag.isSelfClosing ? 'done' : 'rows';
            continue;
          }
          if (tag.name === 'sheetData' && tag.isClose) {
            state = 'done';
            break;
          }
          if (tag.name === '!' || tag.name === '?') {
            pos = tag.end + 1;
            continue;
          }
          if (tag.name !== 'row' || tag.isClose) throw corrupt(`unexpected <${tag.isClose ? '/' : ''}${tag.name}> in sheetData`);
          const r = attribute(buf, tag.attrsFrom, tag.end, 'r');
          const number = r === undefined ? rowNumber + 1 : Number(r);
          if (!Number.isInteger(number) || number < 1) throw corrupt(`bad row number ${r}`);
          if (tag.isSelfClosing) {
            rowNumber = number;
            pos = tag.end + 1;
            continue;
          }
          rowClose = tag.prefixLength === 0 ? '</row>' : `</${buf.slice(lt + 1, lt + 1 + tag.prefixLength)}row>`;
          const close = buf.indexOf(rowClose, tag.end + 1);
          if (close < 0) {
            pos = lt;
            break;
          }
          rowNumber = number;
          const values: PlainCellValue[] = [null];
          const hasValue = parseRowCells(buf, tag.end + 1, close, values, ctx);
          pos = close + rowClose.length;
          if (hasValue) yield { rowNumber, values };
        }
        if (state === 'done') break;
        if (buf.length - pos > (options.maxPendingChars ?? MAX_PENDING_CHARS)) {
          throw importFileErrors.corrupt(
            '工作表中有一行内容过长',
            `a row or tag of worksheet ${part} runs past ${options.maxPendingChars ?? MAX_PENDING_CHARS} characters`,
          );
        }
      }
    } catch (err) {
      if (err instanceof Error && 'problem' in err) throw err;
      throw inflateFailed || !(err instanceof Error) ? corrupt(`worksheet ${part} does not inflate`) : corrupt(err.message.slice(0, 200));
    }
    if (state !== 'done') throw corrupt(`worksheet ${part} ends inside ${state === 'prolog' ? 'its header' : 'sheetData'}`);
  } finally {
    file.destroy();
    if (source !== file && !Array.isArray(source)) (source as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
}
