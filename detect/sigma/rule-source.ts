// Phase 1 of rule compilation: YAML text → plain data, keeping the parsed document so
// later phases can turn a path inside the rule (`detection.selection.file.path|foo`)
// back into `file:line:col` for their errors. A rule file may hold several documents
// (`---`), as Sigma correlation files do; each becomes its own source, located in the
// whole file.
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  parseDocument,
  type Document,
  type Node,
  type Pair,
} from 'yaml';
import { RuleError, type ProblemReport, type SourceLocation } from './rule-error.ts';
import { readSimpleYaml, type SimpleDocument } from './simple-yaml.ts';

/** A path into the rule's data: map keys and list indexes, outermost first. */
export type YamlPath = readonly (string | number)[];

export interface LocateOptions {
  /** Point at the key of the last path segment rather than at its value. */
  readonly key?: boolean;
  /** Characters into the scalar (a token inside a condition, a modifier inside a key). */
  readonly offset?: number;
}

export interface RuleSource {
  readonly file: string;
  /** The document as plain JavaScript data; `undefined` when the YAML did not parse. */
  readonly data: unknown;
  locate(path: YamlPath, options?: LocateOptions): SourceLocation;
}

// Integers become bigints so long numbers keep every digit when Sigma compares them as
// strings (as pySigma's Python ints do). Aliases are capped by the yaml package
// (maxAliasCount), so a hostile file cannot blow up memory while we read it.
const yamlOptions = { prettyErrors: false, uniqueKeys: true, intAsBigInt: true } as const;

/** The one document of a file that may hold only one (a pipeline, a single rule). */
export function readRuleSource(text: string, file: string, report: ProblemReport): RuleSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...yamlOptions, lineCounter });
  const at = (offset: number): SourceLocation => ({ file, ...lineCounter.linePos(offset) });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const reason =
        error.code === 'MULTIPLE_DOCS'
          ? 'this file holds one YAML document, not several'
          : `invalid YAML: ${error.message}`;
      report.add(new RuleError('rule_yaml', reason, at(error.pos[0])));
    }
    return documentSource(doc, text, file, at, false);
  }
  return documentSource(doc, text, file, at, true);
}

export interface RuleDocument {
  readonly source: RuleSource;
  /** Why the document is not valid YAML; then `source.data` is `undefined`. */
  readonly yamlErrors: readonly RuleError[];
}

/**
 * Every document of a rule file, in order, each with its own YAML errors so one broken
 * document does not hide the others. Empty documents (a trailing `---`) are skipped,
 * but a file with none at all still gives one empty document, reported later as not
 * being a rule.
 */
export function readRuleDocuments(text: string, file: string): RuleDocument[] {
  const simple = readSimpleYaml(text);
  if (simple !== undefined) return [{ source: simpleSource(simple, text, file), yamlErrors: [] }];
  return readYamlDocuments(text, file);
}

/**
 * A document the fast reader took: the top-level values it saw are located at once
 * (every compiled rule is located at its `id`); anything else builds the yaml tree,
 * once, on the first call (a problem being reported).
 */
function simpleSource(simple: SimpleDocument, text: string, file: string): RuleSource {
  let tree: RuleSource | undefined;
  const locate = (path: YamlPath, options: LocateOptions = {}): SourceLocation => {
    if (path.length === 1 && options.key !== true && (options.offset ?? 0) === 0) {
      const at = simple.valueAt.get(String(path[0]));
      if (at !== undefined) return { file, line: at.line, col: at.col };
    }
    tree ??= readYamlDocuments(text, file)[0]!.source;
    return tree.locate(path, options);
  };
  return { file, data: simple.data, locate };
}

function readYamlDocuments(text: string, file: string): RuleDocument[] {
  const lineCounter = new LineCounter();
  const docs: Document[] = parseAllDocuments(text, { ...yamlOptions, lineCounter });
  const at = (offset: number): SourceLocation => ({ file, ...lineCounter.linePos(offset) });
  const documents: RuleDocument[] = [];
  for (const doc of docs) {
    const yamlErrors = doc.errors.map(
      (error) => new RuleError('rule_yaml', `invalid YAML: ${error.message}`, at(error.pos[0])),
    );
    const source = documentSource(doc, text, file, at, yamlErrors.length === 0);
    if (yamlErrors.length > 0 || source.data !== null || docs.length === 1) documents.push({ source, yamlErrors });
  }
  if (documents.length === 0) documents.push({ source: { file, data: null, locate: () => at(0) }, yamlErrors: [] });
  return documents;
}

function documentSource(
  doc: Document,
  text: string,
  file: string,
  at: (offset: number) => SourceLocation,
  valid: boolean,
): RuleSource {
  const docStart = doc.range?.[0] ?? 0;
  const locate = (path: YamlPath, options: LocateOptions = {}): SourceLocation => {
    const found = findNode(doc.contents, path, options.key === true);
    if (found === undefined) return at(docStart);
    const start = found.range?.[0] ?? docStart;
    return at(start + scalarOffset(found, text, options.offset ?? 0));
  };
  return { file, data: valid ? doc.toJS() : undefined, locate };
}

/**
 * The deepest node on `path` that exists, so a missing key still points at the map that
 * should have held it.
 */
function findNode(root: unknown, path: YamlPath, wantKey: boolean): Node | undefined {
  let node = isNode(root) ? root : undefined;
  for (let i = 0; i < path.length && node !== undefined; i += 1) {
    const segment = path[i];
    let next: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find(
        (item: Pair) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) return node;
      if (wantKey && i === path.length - 1 && isNode(pair.key)) return pair.key;
      next = isNode(pair.value) ? pair.value : isNode(pair.key) ? pair.key : undefined;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      next = isNode(item) ? item : undefined;
    }
    if (next === undefined) return node;
    node = next;
  }
  return node;
}

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value);
}

/** Characters from a scalar's first source character to `offset` into its value. */
function scalarOffset(node: Node, text: string, offset: number): number {
  if (offset === 0 || !isScalar(node) || !node.range) return 0;
  const quoted = node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE';
  if (!quoted && node.type !== 'PLAIN') return 0;
  const shift = offset + (quoted ? 1 : 0);
  // Escapes and folded lines break the value-to-source correspondence; fall back to the
  // start of the scalar rather than point at the wrong character.
  const span = text.slice(node.range[0], node.range[0] + shift);
  const escaped =
    node.type === 'QUOTE_SINGLE' ? span.slice(1).includes("''") : node.type === 'QUOTE_DOUBLE' && span.includes('\\');
  if (span.includes('\n') || escaped) return 0;
  return shift;
}
