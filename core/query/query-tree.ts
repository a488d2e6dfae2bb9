// The parsed form of an event query (core/query/event-query.ts): a small boolean tree
// every Store adapter translates, so the embedded and search stores read a query the
// same way. Leaves are field terms, free text and ranges; branches AND, OR and NOT.
import type { RangeKind } from './range-key.ts';

/** `field:value`: one value of the field equals the pattern, case-insensitively. */
export interface FieldTerm {
  kind: 'field';
  /** Dotted ECS path, e.g. `host.name`; validated against FIELD_NAME. */
  field: string;
  /** The value as typed (quotes removed); `*` matches any run of characters. */
  pattern: string;
  hasWildcard: boolean;
}

/** A word or "quoted phrase" anywhere in the event's text; a trailing `*` is a prefix. */
export interface TextTerm {
  kind: 'text';
  text: string;
}

export interface RangeBound {
  /** A range key (range-key.ts); an open end is the kind letter alone (lower) or with KIND_END (upper). */
  key: string;
  inclusive: boolean;
}

/** Some value of the field, of the same kind as the bounds, lies between them. */
export interface RangeTerm {
  kind: 'range';
  field: string;
  valueKind: RangeKind;
  lower: RangeBound;
  upper: RangeBound;
}

export interface AndNode {
  kind: 'and';
  children: QueryNode[];
}

export interface OrNode {
  kind: 'or';
  children: QueryNode[];
}

export interface NotNode {
  kind: 'not';
  child: QueryNode;
}

export type QueryLeaf = FieldTerm | TextTerm | RangeTerm;
export type QueryNode = QueryLeaf | AndNode | OrNode | NotNode;

export interface ParsedEventQuery {
  /** null: the empty query, which matches every event. */
  root: QueryNode | null;
}

/** The terms ANDed at the top: the root's children when it is an AND, else the root alone. */
export function conjuncts(root: QueryNode | null): QueryNode[] {
  if (root === null) return [];
  return root.kind === 'and' ? root.children : [root];
}
