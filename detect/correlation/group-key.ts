// The canonical key of a group (an alert group, a correlation's group-by values): shared
// by the alert grouper, which keeps one alert per rule and key, and the signals wire
// format, which shards by it. It lives apart from both so neither imports the other.

/**
 * The group's values sorted by name, as JSON: the same group gives the same key
 * whatever order its fields were written in, and no value can fake a separator.
 */
export function groupKey(group: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(group).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
