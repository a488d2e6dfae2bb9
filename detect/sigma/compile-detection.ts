// Phase 4a of rule compilation: a detection tree → a closure over an event. Everything
// that can be decided from the rule alone (lowercasing, regular expressions, CIDR
// ranges, which values are plain enough for a set lookup) is decided here, once.
import type { DetectionItem, DetectionNode, TimePart } from './detection-tree.ts';
import { compileFieldReader, keywordText, type FieldReader, type MatchableEvent } from './field-access.ts';
import { inRange, parseIpAddress, type IpRange } from './modifiers/cidr.ts';
import { compareTest, eventNumber } from './modifiers/numeric.ts';
import { compileRegexTest } from './modifiers/regex.ts';
import { timePartOf } from './modifiers/time-part.ts';
import { surroundWithAnyChars, type SigmaString, type SigmaValue } from './sigma-value.ts';
import { compileStringTest, exactText, type StringTest } from './value-matcher.ts';

export type EventPredicate = (event: MatchableEvent) => boolean;

/** A test on a field's raw value (a scalar or a list); the event is there for fieldref. */
type RawTest = (raw: unknown, event: MatchableEvent) => boolean;

interface ItemOptions {
  readonly cased: boolean;
  readonly timePart: TimePart | undefined;
}

export function compileDetection(node: DetectionNode): EventPredicate {
  if (node.kind === 'item') return node.field === null ? compileKeywordItem(node) : compileFieldItem(node, node.field);
  const children = node.children.map(compileDetection);
  if (children.length === 1) return children[0] as EventPredicate;
  return node.linking === 'and'
    ? (event) => children.every((child) => child(event))
    : (event) => children.some((child) => child(event));
}

function compileFieldItem(item: DetectionItem, field: string): EventPredicate {
  const matches = compileFieldMatch(item, compileFieldReader(field));
  // neq: "not equal" holds for an event without the field too, as NOT does in a query.
  return item.negated === true ? (event) => !matches(event) : matches;
}

function compileFieldMatch(item: DetectionItem, read: FieldReader): EventPredicate {
  const [first] = item.values;
  if (first?.kind === 'exists') {
    // Presence only: a field holding null or '' exists.
    const wanted = first.exists;
    return (event) => (read(event) !== undefined) === wanted;
  }
  const options: ItemOptions = { cased: item.cased === true, timePart: item.timePart };
  const values = item.values.filter((value) => value.kind !== 'null');
  const allowsNull = values.length < item.values.length;

  if (item.linking === 'and') {
    // Every value must hold; against an array, each value may match a different element.
    const tests = values.map((value) => compileValues([value], options) ?? (() => false));
    return (event) => {
      const raw = read(event);
      if (allowsNull && raw !== undefined && raw !== null) return false;
      return tests.every((test) => test(raw, event));
    };
  }

  const test = compileValues(values, options);
  return (event) => {
    const raw = read(event);
    if (raw === undefined || raw === null) return allowsNull;
    return test !== undefined && test(raw, event);
  };
}

/** One test for an OR of values: strings share one set lookup, networks one address parse, numbers one read. */
function compileValues(values: readonly SigmaValue[], options: ItemOptions): RawTest | undefined {
  const strings: SigmaString[] = [];
  const networks: IpRange[] = [];
  const comparisons: ((n: number) => boolean)[] = [];
  const others: RawTest[] = [];
  for (const value of values) {
    if (value.kind === 'string') strings.push(value);
    else if (value.kind === 'expansion') strings.push(...value.values);
    else if (value.kind === 'cidr') networks.push(value.range);
    else if (value.kind === 'compare') comparisons.push(compareTest(value));
    else others.push(compileTypedValue(value, options.cased));
  }
  // All comparisons share one reading of the event's number (or timestamp part).
  if (comparisons.length > 0) {
    const { timePart } = options;
    const toNumber = timePart === undefined ? eventNumber : (scalar: unknown) => timePartOf(scalar, timePart);
    // The scalar tests are built once here, not per event: this runs for every event.
    const compared = (scalar: unknown) => {
      const n = toNumber(scalar);
      if (n === undefined) return false;
      for (const compare of comparisons) if (compare(n)) return true;
      return false;
    };
    others.push((raw) => anyScalar(raw, compared));
  }
  // All networks share one parse of the event's address.
  if (networks.length > 0) {
    const inNetworks = (scalar: unknown) => {
      const address = typeof scalar === 'string' ? parseIpAddress(scalar) : undefined;
      if (address === undefined) return false;
      for (const range of networks) if (inRange(address, range)) return true;
      return false;
    };
    others.push((raw) => anyScalar(raw, inNetworks));
  }
  const stringTest = anyOf(strings, options.cased);
  if (stringTest !== undefined) {
    const { cased } = options;
    others.unshift((raw) => anyElement(raw, stringTest, cased));
  }
  const [only] = others;
  if (others.length <= 1) return only;
  return (raw, event) => {
    for (const test of others) if (test(raw, event)) return true;
    return false;
  };
}

type TypedValue = Exclude<SigmaValue, SigmaString | { kind: 'expansion' | 'cidr' | 'compare' }>;

function compileTypedValue(value: TypedValue, cased: boolean): RawTest {
  switch (value.kind) {
    case 'regex': {
      const test = compileRegexTest(value);
      const matches = (scalar: unknown) => test(typeof scalar === 'string' ? scalar : String(scalar));
      return (raw) => anyScalar(raw, matches);
    }
    case 'fieldref': {
      const readOther = compileFieldReader(value.field);
      return (raw, event) => {
        const other = readOther(event);
        if (other === undefined || other === null) return false;
        const wanted = new Set<string>();
        anyScalar(other, (scalar) => {
          wanted.add(comparable(scalar, cased));
          return false;
        });
        return anyScalar(raw, (scalar) => wanted.has(comparable(scalar, cased)));
      };
    }
    case 'null':
    case 'exists':
      // Handled by the caller; here they would mean a bug in the modifiers.
      throw new Error(`${value.kind} cannot be combined with other values`);
  }
}

/** Keywords are searched inside every value of the event, as full-text search does. */
function compileKeywordItem(item: DetectionItem): EventPredicate {
  const keyword = (value: SigmaString): SigmaString => surroundWithAnyChars(value, { before: true, after: true });
  const members = (value: SigmaValue): SigmaString[] =>
    value.kind === 'string' ? [keyword(value)] : value.kind === 'expansion' ? value.values.map(keyword) : [];
  if (item.linking === 'and') {
    const tests = item.values.map((value) => anyOf(members(value), false) ?? (() => false));
    return (event) => {
      const text = keywordText(event);
      return tests.every((test) => text.some(test));
    };
  }
  const test = anyOf(item.values.flatMap(members), false) ?? (() => false);
  return (event) => keywordText(event).some(test);
}

/** One test for an OR of strings: plain values become one set lookup. */
function anyOf(values: readonly SigmaString[], cased: boolean): StringTest | undefined {
  const exact = new Set<string>();
  const patterns: StringTest[] = [];
  for (const value of values) {
    const text = exactText(value, cased);
    if (text === undefined) patterns.push(compileStringTest(value, cased));
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
function anyElement(raw: unknown, test: StringTest, cased: boolean): boolean {
  switch (typeof raw) {
    case 'string':
      return test(cased ? raw : raw.toLowerCase());
    case 'number':
    case 'boolean':
    case 'bigint':
      return test(String(raw));
    case 'object':
      return Array.isArray(raw) && raw.some((element: unknown) => anyElement(element, test, cased));
    default:
      return false;
  }
}

/** True when the value, or any non-null scalar element of it, passes. */
function anyScalar(raw: unknown, test: (scalar: string | number | boolean | bigint) => boolean): boolean {
  // Arrays are rare (multi-valued fields); scalars take the switch's first cases.
  switch (typeof raw) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return test(raw);
    case 'object':
      return Array.isArray(raw) && raw.some((element: unknown) => anyScalar(element, test));
    default:
      return false;
  }
}

function comparable(scalar: string | number | boolean | bigint, cased: boolean): string {
  return typeof scalar === 'string' && !cased ? scalar.toLowerCase() : String(scalar);
}
