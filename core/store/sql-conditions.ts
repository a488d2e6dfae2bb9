// A WHERE clause under construction: SQL fragments written by our code plus the values
// bound to their placeholders. User input only ever travels in `params`, never in `sql`.
import type { Scope } from '../ports/scope.ts';

export class SqlConditions {
  private readonly clauses: string[] = [];
  private readonly values: unknown[] = [];

  add(sql: string, ...params: unknown[]): this {
    this.clauses.push(sql);
    this.values.push(...params);
    return this;
  }

  /** `org IN (...)` for a unit scope. Returns false when the scope can see nothing at all. */
  addScope(scope: Scope, column: string): boolean {
    if (scope.kind === 'all') return true;
    const [only, ...more] = scope.units;
    if (only === undefined) return false;
    // One unit (a unit IT officer, the usual case) walks the (org, time) index in
    // order; several travel as one JSON array parameter instead of `IN (?, ?, ...)`, so
    // the statement text is the same for any number of units and is prepared once.
    if (more.length === 0) this.add(`${column} = ?`, only);
    else this.add(`${column} IN (SELECT value FROM json_each(?))`, JSON.stringify(scope.units));
    return true;
  }

  copy(): SqlConditions {
    const next = new SqlConditions();
    next.clauses.push(...this.clauses);
    next.values.push(...this.values);
    return next;
  }

  /** `WHERE a AND b`, or '' when there is nothing to filter on. */
  get sql(): string {
    return this.clauses.length === 0 ? '' : `WHERE ${this.clauses.map((c) => `(${c})`).join(' AND ')}`;
  }

  get params(): unknown[] {
    return [...this.values];
  }
}
