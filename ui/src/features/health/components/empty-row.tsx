// The one row a Health table shows when it has nothing to list, saying so in words.
import type { ReactNode } from 'react';

export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr className="empty-row">
      <td colSpan={columns}>{children}</td>
    </tr>
  );
}
