import i18n from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';

import { en } from '../i18n/en';
import { zh } from '../i18n/zh';
import { ApiError, describeError, fromGraphQL } from './errors';

beforeAll(async () => {
  await i18n.init({
    resources: { zh: { translation: zh }, en: { translation: en } },
    lng: 'zh',
    interpolation: { escapeValue: false },
  });
});

// Follows the language i18n is set to.
const t = i18n.getFixedT(null, 'translation');

describe('an error body becomes one typed error', () => {
  it('reads code, rule and reason', () => {
    const e = fromGraphQL([{ message: 'the issue is not assigned yet', extensions: { code: 'VALIDATION', rule: 'IssueNotAssigned' } }]);
    expect(e).toBeInstanceOf(ApiError);
    expect([e.code, e.rule, e.reason]).toEqual(['VALIDATION', 'IssueNotAssigned', undefined]);
    const r = fromGraphQL([{ message: 'the account x is suspended', extensions: { code: 'UNAUTHENTICATED', reason: 'ACCOUNT_SUSPENDED' } }]);
    expect(r.reason).toBe('ACCOUNT_SUSPENDED');
  });
  it('survives an error without extensions', () => {
    expect(fromGraphQL([{}]).code).toBe('INTERNAL');
    expect(fromGraphQL([]).code).toBe('INTERNAL');
  });
});

describe('every code is said in plain words', () => {
  it('names the broken domain rule', () => {
    expect(describeError(new ApiError('x', 'VALIDATION', 'IssueNotAssigned'), t)).toBe(
      '事件需要先派单，才能进行现场查看、提出方案或办结。',
    );
    expect(describeError(new ApiError('x', 'VALIDATION', 'IssueNotResolved'), t)).toBe('事件解决后才能关闭。');
  });
  it('says why an account was refused', () => {
    expect(describeError(new ApiError('x', 'UNAUTHENTICATED', undefined, 'ACCOUNT_SUSPENDED'), t)).toContain('已被停用');
  });
  it('maps each code', () => {
    const said = (code: string) => describeError(new ApiError('raw', code), t);
    expect(said('FORBIDDEN')).toBe('您的账号没有权限进行此操作。');
    expect(said('NOT_FOUND')).toBe('找不到该内容，或它不在您负责的范围内。');
    expect(said('CONFLICT')).toContain('请刷新后重试');
    expect(said('UNAVAILABLE')).toContain('暂时不可用');
    expect(said('UNAUTHENTICATED')).toContain('重新登录');
    expect(said('NETWORK')).toContain('无法连接');
    expect(said('SOMETHING_NEW')).toBe(said('INTERNAL'));
  });
  it('keeps the server’s words for input it found invalid, and the wait of a rate limit', () => {
    expect(describeError(new ApiError('title is too long', 'VALIDATION'), t)).toBe('填写的内容有误：title is too long');
    expect(describeError(new ApiError('slow down', 'RATE_LIMITED', undefined, undefined, 42), t)).toContain('42 秒');
  });
  it('treats a thrown non-API error as a network failure', () => {
    expect(describeError(new TypeError('Failed to fetch'), t)).toBe(zh.errors.NETWORK);
  });
  it('speaks English when asked', async () => {
    await i18n.changeLanguage('en');
    expect(describeError(new ApiError('x', 'FORBIDDEN'), t)).toBe(en.errors.FORBIDDEN);
    await i18n.changeLanguage('zh');
  });
});
