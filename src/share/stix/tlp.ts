/**
 * Traffic Light Protocol markings. TLP 2.0 (FIRST, 2022) as STIX 2.1 marking-definitions with the
 * canonical ids of the STIX extension `extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d`;
 * TLP 1.0 ids (the four statement-style definitions of STIX 2.1 section 7.2.1.4) are accepted
 * and read as their 2.0 level (TLP:WHITE is CLEAR).
 */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

/** TLP 2.0 marking-definition ids. */
export const TLP2_IDS: Readonly<Record<Tlp, string>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** TLP 1.0 marking-definition ids (STIX 2.1 section 7.2.1.4). */
export const TLP1_IDS: Readonly<Record<'white' | 'green' | 'amber' | 'red', string>> = {
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};

const BY_ID = new Map<string, Tlp>([
  ...Object.entries(TLP2_IDS).map(([level, id]) => [id, level as Tlp] as const),
  [TLP1_IDS.white, 'clear'], [TLP1_IDS.green, 'green'], [TLP1_IDS.amber, 'amber'], [TLP1_IDS.red, 'red'],
]);

/** Most restrictive first: an object with several TLP markings gets the strictest. */
const STRICTNESS: readonly Tlp[] = ['red', 'amber+strict', 'amber', 'green', 'clear'];

export function tlpOfMarkingId(id: string): Tlp | undefined {
  return BY_ID.get(id);
}

export function isTlpMarkingId(id: string): boolean {
  return BY_ID.has(id);
}

/** The strictest TLP among an object's markings, or null when it carries none. */
export function tlpOfMarkings(refs: readonly string[] | undefined): Tlp | null {
  if (!refs) return null;
  const found = new Set(refs.map((r) => BY_ID.get(r)).filter((t): t is Tlp => t !== undefined));
  return STRICTNESS.find((t) => found.has(t)) ?? null;
}

export function parseTlp(text: string): Tlp | undefined {
  const t = text.trim().toLowerCase().replace(/^tlp:/, '').replace(/^white$/, 'clear');
  return (TLP_LEVELS as readonly string[]).includes(t) ? (t as Tlp) : undefined;
}

/** The TLP 2.0 marking-definition objects, as a bundle carries them. */
export function tlp2MarkingDefinition(level: Tlp): Record<string, string | Record<string, Record<string, string>>> {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_IDS[level],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: level } },
  };
}
