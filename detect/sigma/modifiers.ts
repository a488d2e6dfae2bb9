// Sigma value modifiers (`field|contains|all: ...`), a registry keyed by the name used in
// YAML, holding every modifier of the Sigma 2.1.0 appendix. Each modifier is a small
// rewrite of a detection item in detect/sigma/modifiers/, applied left to right as
// written; adding one is adding an entry here (and, for a new value kind, teaching
// compile-detection.ts to match it).
import { cidrModifier } from './modifiers/cidr.ts';
import { encodingModifiers } from './modifiers/encoding.ts';
import { expandModifier } from './modifiers/expand.ts';
import { fieldrefModifier } from './modifiers/fieldref.ts';
import { genericModifiers } from './modifiers/generic.ts';
import type { ValueModifier } from './modifiers/modifier.ts';
import { numericModifiers } from './modifiers/numeric.ts';
import { regexModifiers } from './modifiers/regex.ts';
import { wildcardModifiers } from './modifiers/wildcards.ts';
import { windashModifier } from './modifiers/windash.ts';

export { ModifierMisuse, type ModifierContext, type ValueModifier } from './modifiers/modifier.ts';

const implemented: readonly ValueModifier[] = [
  ...wildcardModifiers,
  ...genericModifiers,
  windashModifier,
  ...regexModifiers,
  ...encodingModifiers,
  ...numericModifiers,
  cidrModifier,
  expandModifier,
  fieldrefModifier,
];

export const modifierRegistry: ReadonlyMap<string, ValueModifier> = new Map(implemented.map((m) => [m.name, m]));
