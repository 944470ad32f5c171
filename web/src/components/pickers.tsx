import { DatePicker, TimePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
// The pickers' panels name months and weekdays in the app's language (ConfigProvider's
// locale); dayjs needs the Chinese names loaded for that.
import 'dayjs/locale/zh-cn';
import type { CSSProperties, FocusEvent } from 'react';

dayjs.extend(customParseFormat);

/** How dates, months and times are written, read and shown: the same in both languages. */
const DAY = 'YYYY-MM-DD';
const MONTH = 'YYYY-MM';
const TIME = 'HH:mm';

/**
 * A picker's props: its value as the text the forms and the API use (`2023-08-04`,
 * `2023-08`, `09:30`), `''` once cleared. Inside a `Form.Item` the item passes `id`, `value`
 * and `onChange`.
 *
 * These replace the browser's own date, month and time inputs, which show the browser's
 * language and format (`mm/dd/yyyy`, `July 2023`, `06:23 PM` on an English browser) inside
 * a Chinese page.
 */
type Props = {
  value?: string | null;
  onChange?: (value: string) => void;
  id?: string;
  'aria-label'?: string;
  style?: CSSProperties;
  /** A clear button; off for a required field, which has nothing to clear to. */
  allowClear?: boolean;
};

function parse(value: string | null | undefined, format: string): Dayjs | null {
  if (!value) return null;
  const parsed = dayjs(value, format, true);
  return parsed.isValid() ? parsed : null;
}

/**
 * What a picker needs besides its kind: the value parsed, changes written back as text, and
 * what was typed kept when the field loses focus. antd's pickers take typed text only on
 * Enter: a date typed and then the form's submit button clicked was dropped, and the form
 * refused as if the field were empty.
 */
function bind(value: string | null | undefined, onChange: Props['onChange'], format: string) {
  return {
    format,
    value: parse(value, format),
    onChange: (d: Dayjs | null) => onChange?.(d ? d.format(format) : ''),
    onBlur: (e: FocusEvent<HTMLElement>) => {
      if (!(e.target instanceof HTMLInputElement)) return;
      const text = e.target.value.trim();
      // Erased by hand: cleared, as the clear button would (antd would put the value back).
      if (text === '') {
        if (value) onChange?.('');
        return;
      }
      const typed = parse(text, format);
      if (typed && typed.format(format) !== value) onChange?.(typed.format(format));
    },
  };
}

/** A day, as `YYYY-MM-DD`. */
export function DateInput({ value, onChange, ...rest }: Props) {
  return <DatePicker {...rest} {...bind(value, onChange, DAY)} />;
}

/** A month, as `YYYY-MM`. */
export function MonthInput({ value, onChange, ...rest }: Props) {
  return <DatePicker {...rest} picker="month" {...bind(value, onChange, MONTH)} />;
}

/** A time of day to the minute, as `HH:mm` on a 24-hour clock. */
export function TimeInput({ value, onChange, ...rest }: Props) {
  return <TimePicker {...rest} needConfirm={false} {...bind(value, onChange, TIME)} />;
}
