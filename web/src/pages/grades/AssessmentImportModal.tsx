import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Modal, Table, Typography, Upload, type TableProps } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import {
  assessmentImportTemplateUrl,
  useImportAssessmentResults,
  type AssessmentImportResult,
  type AssessmentImportRowError,
} from '../../api/grades';
import { useT } from '../../i18n';

/** The row errors an import failed with (a 400 carries them in `details.rowErrors`). */
function rowErrorsOf(err: unknown): AssessmentImportRowError[] | null {
  if (!(err instanceof ApiError)) return null;
  const details = err.details as { rowErrors?: AssessmentImportRowError[] } | undefined;
  return Array.isArray(details?.rowErrors) ? details.rowErrors : null;
}

/** 导入考核结果: pick a file, check it (dry run), then import it; every row error is listed. */
export function AssessmentImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const run = useImportAssessmentResults();
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<AssessmentImportResult | null>(null);
  const [errors, setErrors] = useState<AssessmentImportRowError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  const reset = () => {
    setChecked(null);
    setErrors([]);
    setFailure(null);
  };
  const close = () => {
    setFile(null);
    reset();
    onClose();
  };

  const send = async (dryRun: boolean) => {
    if (!file) return;
    reset();
    try {
      const r = await run.mutateAsync({ file, dryRun });
      setErrors(r.errors);
      if (dryRun) setChecked(r);
      else {
        void message.success(t('grade.import.done', { ...r.counts }));
        close();
      }
    } catch (err) {
      const rows = rowErrorsOf(err);
      if (rows) setErrors(rows);
      else setFailure((err as Error).message);
    }
  };

  const columns: TableProps<AssessmentImportRowError>['columns'] = [
    { title: t('grade.import.errorRow'), dataIndex: 'row', key: 'row', width: 80 },
    { title: t('grade.import.errorColumn'), dataIndex: 'column', key: 'column', width: 110 },
    { title: t('grade.import.errorMessage'), dataIndex: 'message', key: 'message' },
  ];

  return (
    <Modal
      open={open}
      title={t('grade.import.title')}
      onCancel={close}
      width={760}
      destroyOnHidden
      footer={
        <Flex gap={8} justify="end">
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button
            disabled={!file}
            loading={run.isPending && !checked}
            onClick={() => void send(true)}
            data-testid="assessment-import-check"
          >
            {t('grade.import.check')}
          </Button>
          <Button
            type="primary"
            disabled={!file || !checked?.ok}
            loading={run.isPending && !!checked}
            onClick={() => void send(false)}
            data-testid="assessment-import-commit"
          >
            {t('grade.import.commit')}
          </Button>
        </Flex>
      }
    >
      <Flex vertical gap={12} data-testid="assessment-import-modal">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('grade.import.hint')}
        </Typography.Paragraph>
        <Flex gap={8} wrap>
          <Upload
            accept=".xlsx,.csv"
            showUploadList={false}
            beforeUpload={(f) => {
              setFile(f);
              reset();
              return false;
            }}
            data-testid="assessment-import-upload"
          >
            <Button icon={<UploadOutlined />}>{t('grade.import.choose')}</Button>
          </Upload>
          <Button icon={<DownloadOutlined />} href={assessmentImportTemplateUrl()}>
            {t('grade.import.template')}
          </Button>
          {file && <Typography.Text style={{ alignSelf: 'center' }}>{file.name}</Typography.Text>}
        </Flex>
        {failure && <Alert type="error" showIcon message={failure} />}
        {checked?.ok && (
          <Alert type="success" showIcon message={t('grade.import.valid', { ...checked.counts })} data-testid="assessment-import-valid" />
        )}
        {errors.length > 0 && (
          <>
            <Alert type="error" showIcon message={t('grade.import.invalid', { errors: errors.length })} />
            <Table<AssessmentImportRowError>
              rowKey={(e) => e.text}
              size="small"
              columns={columns}
              dataSource={errors}
              pagination={errors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
              data-testid="assessment-import-errors"
            />
          </>
        )}
      </Flex>
    </Modal>
  );
}
