// A value written into an event search query, as the query language reads it: bare
// when it is one plain word, else quoted with its quotes and backslashes escaped. The
// dashboard's drill-downs and the host and unit pages build queries with it.
export function queryValue(value: string): string {
  return /^[A-Za-z0-9_.@-]+$/.test(value) ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
