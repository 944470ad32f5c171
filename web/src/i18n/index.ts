// Chinese by default; English for visitors. The choice is kept in localStorage.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

import { en } from './en';
import { zh } from './zh';

const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem('civic.lang');

void i18n.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: saved === 'en' ? 'en' : 'zh',
  fallbackLng: 'zh',
  interpolation: { escapeValue: false },
});

i18n.on('languageChanged', (lng) => {
  localStorage.setItem('civic.lang', lng);
  document.documentElement.lang = lng === 'en' ? 'en' : 'zh-CN';
});

export default i18n;
