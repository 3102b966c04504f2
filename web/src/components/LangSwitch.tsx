import { GlobalOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { useLang, useT } from '../i18n';

/** Toggles between Chinese and English; the choice is stored in localStorage. */
export function LangSwitch({ type = 'text' }: { type?: 'text' | 'default' }) {
  const { lang, setLang } = useLang();
  const t = useT();
  const next = lang === 'en' ? 'zh-CN' : 'en';
  return (
    <Tooltip title={t('lang.switchTooltip')}>
      <Button
        type={type}
        icon={<GlobalOutlined />}
        data-testid="lang-switch"
        aria-label={t('lang.switchTooltip')}
        onClick={() => setLang(next)}
      >
        {next === 'en' ? 'EN' : '中文'}
      </Button>
    </Tooltip>
  );
}
