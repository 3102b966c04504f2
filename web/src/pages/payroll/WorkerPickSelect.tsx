import { Select } from 'antd';
import { useMemo, useState } from 'react';
import { useWorkerPick } from '../../api/payroll-inputs';
import { useT } from '../../i18n';
import { useDebouncedValue } from '../../utils/hooks';

export interface WorkerPickSelectProps {
  /** Workers under this org node (in the caller's scope) are offered. */
  orgCode: string;
  value?: number;
  onChange?: (workerId: number) => void;
  /** Shown for `value` before a search has found it (editing an existing record). */
  currentLabel?: string;
  disabled?: boolean;
  'data-testid'?: string;
}

/** A worker picked by name: typing searches `/workers?q=` under the org node (debounced). */
export function WorkerPickSelect({ orgCode, value, onChange, currentLabel, disabled, 'data-testid': testId }: WorkerPickSelectProps) {
  const t = useT();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search, 300);
  const workers = useWorkerPick({ orgCode, q });
  const options = useMemo(() => {
    const found = (workers.data?.items ?? []).map((w) => ({ value: Number(w.id), label: `${w.name}（${w.orgName}）` }));
    return value !== undefined && currentLabel && !found.some((o) => o.value === value)
      ? [{ value, label: currentLabel }, ...found]
      : found;
  }, [workers.data, value, currentLabel]);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value}
      onChange={onChange}
      disabled={disabled}
      placeholder={t('payInputs.workerPlaceholder')}
      options={options}
      loading={workers.isFetching}
      data-testid={testId}
    />
  );
}
