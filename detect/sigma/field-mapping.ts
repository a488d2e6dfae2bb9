// Field name mapping, as pySigma's field_name_mapping transformation: a rule written in
// the Sigma taxonomy (`Image`, `CommandLine`) reads the ECS fields Vigil's events carry
// (`process.executable`, `process.command_line`). Applied to the detection tree once, at
// compile time. Names a mapping does not know stay as written, so ECS names used
// directly in rules, and raw product fields such as Zeek's "id.orig_h", keep working.
import type { DetectionItem, DetectionNode } from './detection-tree.ts';
import type { SigmaValue } from './sigma-value.ts';

/** Sigma field name → the event field(s) it means; several targets are ORed. */
export type FieldMapping = ReadonlyMap<string, readonly string[]>;

/**
 * A mapping that reads every name it does not map, and that holds no dot, under
 * `prefix` (pySigma's field name prefix). Winlogbeat ships a Windows event's own fields
 * under `winlog.event_data`, so `TargetUserName` reads `winlog.event_data.TargetUserName`;
 * ECS names and names already prefixed stay as written.
 */
export function withUnmappedPrefix(mapping: FieldMapping, prefix: string): FieldMapping {
  return new PrefixedFieldMapping(mapping, prefix);
}

class PrefixedFieldMapping extends Map<string, readonly string[]> {
  private readonly prefix: string;

  constructor(mapping: FieldMapping, prefix: string) {
    super(mapping);
    this.prefix = prefix;
  }

  override get(name: string): readonly string[] | undefined {
    return super.get(name) ?? (name.includes('.') ? undefined : [`${this.prefix}${name}`]);
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

export function mapDetectionFields(node: DetectionNode, mapping: FieldMapping): DetectionNode {
  if (node.kind === 'group') return { ...node, children: node.children.map((child) => mapDetectionFields(child, mapping)) };
  return mapItem(node, mapping);
}

function mapItem(written: DetectionItem, mapping: FieldMapping): DetectionNode {
  // `fieldref` values name a field too, in the same taxonomy as the rule.
  const item = written.values.some((value) => value.kind === 'fieldref')
    ? { ...written, values: written.values.map((value) => mapFieldRef(value, mapping)) }
    : written;
  if (item.field === null) return item;
  const targets = mapping.get(item.field);
  if (targets === undefined) return item;
  const [only] = targets;
  if (targets.length === 1 && only !== undefined) return { ...item, field: only };
  // One Sigma field that lands in several ECS fields: the value may sit in any of them.
  // `neq` means it sits in none of them, so its alternatives must all hold.
  const linking = item.negated === true ? 'and' : 'or';
  return { kind: 'group', linking, children: targets.map((field) => ({ ...item, field })) };
}

function mapFieldRef(value: SigmaValue, mapping: FieldMapping): SigmaValue {
  if (value.kind !== 'fieldref') return value;
  // A reference reads one field: the first target, the mapping's primary ECS name.
  const [target] = mapping.get(value.field) ?? [];
  return target === undefined ? value : { ...value, field: target };
}
