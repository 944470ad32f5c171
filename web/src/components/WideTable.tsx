import { Table, type TableProps } from 'antd';

/**
 * A table that may be wider than the screen, as on a phone. Its columns keep their words
 * whole (Chinese text would otherwise break after every character to fit the width), and
 * the table scrolls sideways inside a labelled region that the keyboard can reach: antd's
 * own scroll container cannot take focus, which would leave the columns past the edge out
 * of a keyboard user's reach.
 */
export function WideTable<T extends object>({ label, ...table }: TableProps<T> & { label: string }) {
  return (
    <div className="wide-table" role="region" aria-label={label} tabIndex={0}>
      <Table<T> {...table} />
    </div>
  );
}
