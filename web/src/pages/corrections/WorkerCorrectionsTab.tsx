import { useWorkerCorrections } from '../../api/corrections';
import { ErrorResult } from '../../components/status';
import { CorrectionsTable } from './CorrectionsTable';

/** The correction requests of one worker, on the worker's page. */
export function WorkerCorrectionsTab({ workerId }: { workerId: string }) {
  const list = useWorkerCorrections(workerId);
  if (list.isError) return <ErrorResult error={list.error} onRetry={() => void list.refetch()} />;
  return <CorrectionsTable items={list.data?.items ?? []} loading={list.isPending} showWorker={false} />;
}
