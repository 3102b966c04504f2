import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Modal, Typography } from 'antd';
import { useT } from '../../i18n';
import { copyText } from '../../utils/format';

export interface TempPassword {
  username: string;
  password: string;
  reason: 'created' | 'reset';
}

/** Shows a temporary password exactly once, with a copy button. */
export function TempPasswordModal({ value, onClose }: { value: TempPassword | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const onCopy = async () => {
    if (!value) return;
    if (await copyText(value.password)) message.success(t('common.copied'));
    else message.error(t('common.copyFailed'));
  };
  return (
    <Modal
      open={!!value}
      title={value?.reason === 'reset' ? t('users.tempPassword.resetTitle') : t('users.tempPassword.createdTitle')}
      onCancel={onClose}
      mask={{ closable: false }}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="temp-password-close">
          {t('users.tempPassword.done')}
        </Button>
      }
    >
      {value && (
        <>
          <Alert type="warning" showIcon title={t('users.tempPassword.once')} style={{ marginBottom: 16 }} />
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              { key: 'u', label: t('user.username'), children: value.username },
              {
                key: 'p',
                label: t('users.tempPassword.label'),
                children: (
                  <Typography.Text className="sg-mono" strong style={{ fontSize: 16 }} data-testid="temp-password">
                    {value.password}
                  </Typography.Text>
                ),
              },
            ]}
          />
          <Button icon={<CopyOutlined />} onClick={() => void onCopy()} style={{ marginTop: 12 }} data-testid="temp-password-copy">
            {t('common.copy')}
          </Button>
        </>
      )}
    </Modal>
  );
}
