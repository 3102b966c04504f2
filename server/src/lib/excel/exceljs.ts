/**
 * exceljs, loaded with a fix to its XML reader. exceljs 4.4 decodes each compressed chunk of a
 * sheet's XML to text on its own (`utils/parse-sax.js`), so a Chinese character whose UTF-8 bytes
 * straddle two chunks turns into "�" — one in a few thousand rows of a large roster. This module
 * registers a chunk-safe replacement (a StringDecoder that carries partial characters over) in
 * Node's module cache before exceljs is first loaded. Import exceljs at runtime only from here;
 * `import type` from 'exceljs' is fine (the lint rule allows it).
 */
import { createRequire, Module } from 'node:module';
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type ExcelJS from 'exceljs';

const requireHere = createRequire(import.meta.url);
const requireFromExceljs = createRequire(requireHere.resolve('exceljs'));
const PARSE_SAX_PATH = requireFromExceljs.resolve('./lib/utils/parse-sax.js');
const FIXED = Symbol.for('shegong.exceljs.parseSaxFixed');

interface SaxEvent {
  eventType: 'opentag' | 'text' | 'closetag';
  value: unknown;
}

function installParseSaxFix(): void {
  const cached = requireHere.cache[PARSE_SAX_PATH];
  if (cached) {
    if ((cached.exports as Record<symbol, unknown>)[FIXED]) return;
    throw new Error('exceljs was loaded before its UTF-8 fix; import it from lib/excel/exceljs.ts, never from "exceljs" directly');
  }
  const { SaxesParser } = requireFromExceljs('saxes') as {
    SaxesParser: new () => { on(event: string, fn: (value: unknown) => void): void; write(text: string): void };
  };
  async function* parseSax(source: AsyncIterable<Buffer | string> & { pipe?: unknown }): AsyncGenerator<SaxEvent[]> {
    let iterable: AsyncIterable<Buffer | string> = source;
    if (typeof source.pipe === 'function' && !(Symbol.asyncIterator in source)) {
      iterable = (source as unknown as NodeJS.ReadableStream).pipe(new PassThrough());
    }
    const parser = new SaxesParser();
    const decoder = new StringDecoder('utf8');
    let error: unknown;
    let events: SaxEvent[] = [];
    parser.on('error', (err) => (error = err));
    parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
    parser.on('text', (value) => events.push({ eventType: 'text', value }));
    parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
    for await (const chunk of iterable) {
      parser.write(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      if (error) throw error;
      yield events;
      events = [];
    }
    const rest = decoder.end();
    if (rest) {
      parser.write(rest);
      if (error) throw error;
      yield events;
    }
  }
  (parseSax as unknown as Record<symbol, unknown>)[FIXED] = true;
  const mod = new Module(PARSE_SAX_PATH);
  mod.filename = PARSE_SAX_PATH;
  mod.loaded = true;
  mod.exports = parseSax;
  requireHere.cache[PARSE_SAX_PATH] = mod;
}

installParseSaxFix();

/** The exceljs module (runtime value); use `import type ExcelJS from 'exceljs'` for its types. */
export const excel = requireHere('exceljs') as typeof ExcelJS;
