import { Typography } from 'antd';
import { useT } from '../i18n';

type Flat = Record<string, unknown>;

function flatten(value: unknown, prefix = '', out: Flat = {}): Flat {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out[prefix] = {};
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = value;
  }
  return out;
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

type Change = 'added' | 'removed' | 'changed' | 'same';

/** Field-by-field comparison of an audit entry's `before` and `after` objects. */
export function JsonDiff({ before, after }: { before: unknown; after: unknown }) {
  const t = useT();
  if (before == null && after == null) {
    return <Typography.Text type="secondary">{t('audit.diff.none')}</Typography.Text>;
  }
  const a = flatten(before);
  const b = flatten(after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const rows = keys.map((key) => {
    const inA = Object.prototype.hasOwnProperty.call(a, key);
    const inB = Object.prototype.hasOwnProperty.call(b, key);
    const va = show(a[key]);
    const vb = show(b[key]);
    const change: Change = !inA ? 'added' : !inB ? 'removed' : va === vb ? 'same' : 'changed';
    return { key, va: inA ? va : '', vb: inB ? vb : '', change };
  });
  const changed = rows.filter((r) => r.change !== 'same').length;

  return (
    <div className="sg-diff" data-testid="audit-diff">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('audit.diff.summary', { changed, total: rows.length })}
      </Typography.Text>
      <div className="sg-table-scroll">
        <table>
          <thead>
            <tr>
              <th>{t('audit.diff.field')}</th>
              <th>{t('audit.diff.before')}</th>
              <th>{t('audit.diff.after')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className={`sg-diff-${r.change}`}>
                <td>
                  <code>{r.key}</code>
                </td>
                <td>
                  <code>{r.va}</code>
                </td>
                <td>
                  <code>{r.vb}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
