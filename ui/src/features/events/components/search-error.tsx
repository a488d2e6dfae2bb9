// A failed search said plainly, full width: the message (lib/error-message.ts: for a
// refused query, its column and what is there) and, when the server names a column of
// the query, the query with a caret under that column.
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ApiError, describeError } from '../../../lib/api-client.ts';

const positionSchema = z.object({ column: z.number().int().positive() });

export function SearchError({ error, query }: { error: unknown; query: string }) {
  const { t } = useTranslation('events');
  const position = error instanceof ApiError ? positionSchema.safeParse(error.details) : null;
  const column = position?.success ? position.data.column : null;
  const message = describeError(error);
  return (
    <div className="search-error" role="alert">
      <p>{column !== null ? message : t('failed', { message })}</p>
      {column !== null && query ? (
        <pre className="search-error-where" aria-hidden="true">
          {query}
          {'\n'}
          {' '.repeat(Math.min(column - 1, query.length))}^
        </pre>
      ) : null}
    </div>
  );
}
