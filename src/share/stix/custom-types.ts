/**
 * Objects of types STIX 2.1 does not define (section 11): custom objects, whose type starts
 * with "x-" (11.2, deprecated but still what ATT&CK and many tools send), and objects of a new
 * type an extension-definition defines (7.3: the object carries that extension with
 * extension_type new-sdo, new-sco or new-sro). Their own properties are the producer's; the hub
 * checks what every object of their kind must have.
 */
import { isTypeName } from './ids.js';
import { isRecord, type JsonRecord } from './issues.js';

export type CustomKind = 'sdo' | 'sco' | 'sro';

const NEW_TYPE_KIND: Readonly<Record<string, CustomKind>> = { 'new-sdo': 'sdo', 'new-sco': 'sco', 'new-sro': 'sro' };

/** The kind of a custom or extension-defined object, or why its type is refused. */
export function customKind(type: string, o: JsonRecord): { readonly kind: CustomKind } | { readonly refused: string } {
  if (!isTypeName(type)) return { refused: `"${type.slice(0, 60)}" is not a STIX type name (lowercase a-z, 0-9, "-", 3-250 characters, starting with a letter)` };
  if (isRecord(o.extensions)) {
    for (const [k, e] of Object.entries(o.extensions)) {
      const kind = k.startsWith('extension-definition--') && isRecord(e) ? NEW_TYPE_KIND[String(e.extension_type)] : undefined;
      if (kind) return { kind };
    }
  }
  // A custom object of 11.2 has created and modified; one without either is read as a custom
  // observable (the way libraries such as stix2 write them), which has neither.
  if (type.startsWith('x-')) return { kind: o.created !== undefined || o.modified !== undefined ? 'sdo' : 'sco' };
  return { refused: `type ${type} is not a STIX 2.1 type; the hub accepts custom objects ("x-" types) and types an extension-definition defines (an extension of extension_type new-sdo, new-sco or new-sro)` };
}
