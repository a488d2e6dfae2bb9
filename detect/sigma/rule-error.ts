// The one error type of rule compilation. Every problem in a rule file says where it is
// (`file:line:col`) and carries a small fixed code, so an editor, the CLI and the
// console can point a SOC engineer at the exact spot instead of a stack trace.
import { VigilError } from '../../core/errors.ts';

export interface SourceLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly col: number;
}

/** What went wrong, one code per compilation phase. */
export type RuleErrorCode =
  | 'rule_unreadable' // the file or folder could not be read
  | 'rule_yaml' // not valid YAML
  | 'rule_schema' // valid YAML, but not a rule of the shape Sigma defines
  | 'rule_detection' // a detection identifier holds something Sigma does not allow
  | 'rule_modifier' // an unknown or misapplied value modifier
  | 'rule_condition' // the condition does not parse or names an unknown identifier
  | 'rule_logsource' // a logsource Vigil does not route events to
  | 'rule_pipeline' // a processing pipeline file (rules/pipelines/) is invalid
  | 'rule_filter' // a meta filter names a rule that does not exist or cannot take it
  | 'rule_correlation' // a correlation rule's references, group-by, timespan or condition are wrong
  | 'rule_unsupported' // valid Sigma that Vigil does not implement yet
  | 'rule_duplicate_id' // two files share one rule id
  | 'rule_internal'; // the compiler failed on this file: a Vigil bug, reported, not thrown

export class RuleError extends VigilError {
  constructor(
    code: RuleErrorCode,
    /** The problem without its location, for callers that show the location apart. */
    readonly reason: string,
    readonly location: SourceLocation,
  ) {
    super(code, `${formatLocation(location)}: ${reason}`, 'rules', 400, location);
    this.name = 'RuleError';
  }
}

export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.col}`;
}

/**
 * Where a compilation phase sends its problems. Without `collectErrors` the first
 * problem ends the rule (thrown, caught by the rule compiler); with it every phase
 * keeps going so one run lists every problem in the file.
 */
export class ProblemReport {
  readonly errors: RuleError[] = [];

  constructor(readonly collectErrors: boolean) {}

  add(error: RuleError): void {
    if (!this.collectErrors) throw error;
    this.errors.push(error);
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }
}
