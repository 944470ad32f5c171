import { describe, expect, it } from 'vitest';

import { formatCount, formatDate, formatDateTime, formatFen, nextDay, shanghaiMoment, shanghaiNow, shanghaiToday } from './format';

describe('moments are shown in Shanghai time whatever their offset', () => {
  it('converts UTC and other offsets', () => {
    expect(formatDateTime('2023-08-04T01:30:00Z')).toBe('2023/08/04 09:30');
    expect(formatDateTime('2023-08-04T09:30:00+08:00')).toBe('2023/08/04 09:30');
    expect(formatDateTime('2023-08-03T20:00:00-05:00')).toBe('2023/08/04 09:00');
  });
  it('crosses midnight into the Shanghai date', () => {
    expect(formatDateTime('2023-12-31T16:00:00Z')).toBe('2024/01/01 00:00');
  });
  it('keeps microseconds out and shows a dash for nothing', () => {
    expect(formatDateTime('2023-08-04T01:30:00.123456Z')).toBe('2023/08/04 09:30');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime(undefined)).toBe('—');
  });
  it('gives the text back when it is not a moment', () => {
    expect(formatDateTime('soon')).toBe('soon');
  });
});

describe('calendar dates are never shifted', () => {
  it('formats in Chinese and English', () => {
    expect(formatDate('2023-08-04')).toBe('2023年8月4日');
    expect(formatDate('2023-08-04', 'en')).toBe('4 Aug 2023');
    expect(formatDate(null)).toBe('—');
  });
  it('knows the next day across months and years', () => {
    expect(nextDay('2023-08-31')).toBe('2023-09-01');
    expect(nextDay('2023-12-31')).toBe('2024-01-01');
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
  });
});

describe('forms speak Shanghai wall-clock time', () => {
  it('builds an RFC 3339 moment at +08:00', () => {
    expect(shanghaiMoment('2023-08-04', '09:30')).toBe('2023-08-04T09:30:00+08:00');
  });
  it('takes today and now in Shanghai, not in the machine’s zone', () => {
    const late = new Date('2023-08-03T17:30:00Z'); // 01:30 on the 4th in Shanghai
    expect(shanghaiToday(late)).toBe('2023-08-04');
    expect(shanghaiNow(late)).toEqual({ date: '2023-08-04', time: '01:30' });
  });
});

describe('money and counts', () => {
  it('shows fen as yuan with two decimals', () => {
    expect(formatFen(123450)).toBe('¥1,234.50');
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(null)).toBe('—');
  });
  it('groups digits', () => {
    expect(formatCount(7013)).toBe('7,013');
  });
});
