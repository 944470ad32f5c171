import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

/** Switches between Chinese and English; a button naming the other language. */
export function LanguageSwitch() {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en';
  return (
    <Button size="small" lang={english ? 'zh-CN' : 'en'} onClick={() => void i18n.changeLanguage(english ? 'zh' : 'en')}>
      {english ? '中文' : 'English'}
    </Button>
  );
}
