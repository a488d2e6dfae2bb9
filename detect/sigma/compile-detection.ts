// Phase 4a of rule compilation: a detection tree → a closure over an event. Everything
// that can be decided from the rule alone (lowercasing, wildcard regexes, which values
// are plain enough for a set lookup) is decided here, once.
import type { DetectionItem, DetectionNode } from './detection-tree.ts';
import { compileFieldReader, keywordText, type MatchableEvent } from './field-access.ts';
import { surroundWithAnyChars, type SigmaString } from './sigma-value.ts';
import { compileStringTest, exactText, type StringTest } from './value-matcher.ts';

export type EventPredicate = (event: MatchableEvent) => boolean;

export function compileDetection(node: DetectionNode): EventPredicate {
  if (node.kind === 'item') return node.field === null ? compileKeywordItem(node) : compileFieldItem(node, node.field);
  const children = node.children.map(compileDetection);
  if (children.length === 1) return children[0] as EventPredicate;
  return node.linking === 'and'
    ? (event) => children.every((child) => child(event))
    : (event) => children.some((child) => child(event));
}

function compileFieldItem(item: DetectionItem, field: string): EventPredicate {
  const read = compileFieldReader(field);
  const strings = item.values.filter((value): value is SigmaString => value.kind === 'string');
  const allowsNull = strings.length < item.values.length;

  if (item.linking === 'and') {
    // Every value must hold; against an array, each value may match a different element.
    const tests = strings.map((value) => compileStringTest(value));
    return (event) => {
      const raw = read(event);
      if (allowsNull && raw !== undefined && raw !== null) return false;
      return tests.every((test) => anyElement(raw, test));
    };
  }

  const test = anyOf(strings);
  return (event) => {
    const raw = read(event);
    if (raw === undefined || raw === null) return allowsNull;
    return test !== undefined && anyElement(raw, test);
  };
}

/** Keywords are searched inside every value of the event, as full-text search does. */
function compileKeywordItem(item: DetectionItem): EventPredicate {
  const keywords = item.values
    .filter((value): value is SigmaString => value.kind === 'string')
    .map((value) => surroundWithAnyChars(value, { before: true, after: true }));
  if (item.linking === 'and') {
    const tests = keywords.map((keyword) => compileStringTest(keyword));
    return (event) => {
      const text = keywordText(event);
      return tests.every((test) => text.some(test));
    };
  }
  const test = anyOf(keywords) ?? (() => false);
  return (event) => keywordText(event).some(test);
}

/** One test for an OR of values: plain values become one set lookup. */
function anyOf(values: readonly SigmaString[]): StringTest | undefined {
  const exact = new Set<string>();
  const patterns: StringTest[] = [];
  for (const value of values) {
    const text = exactText(value);
    if (text === undefined) patterns.push(compileStringTest(value));
    else exact.add(text);
  }
  const [onlyPattern] = patterns;
  if (exact.size === 0) {
    if (patterns.length <= 1) return onlyPattern;
    return (text) => patterns.some((pattern) => pattern(text));
  }
  if (patterns.length === 0) return (text) => exact.has(text);
  return (text) => exact.has(text) || patterns.some((pattern) => pattern(text));
}

/** True when the value, or any element of it, passes; scalars compare as strings. */
function anyElement(raw: unknown, test: StringTest): boolean {
  switch (typeof raw) {
    case 'string':
      return test(raw.toLowerCase());
    case 'number':
    case 'boolean':
    case 'bigint':
      return test(String(raw));
    case 'object':
      return Array.isArray(raw) && raw.some((element: unknown) => anyElement(element, test));
    default:
      return false;
  }
}
