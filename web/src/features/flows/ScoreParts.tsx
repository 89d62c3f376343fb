import { useI18n, type PlainKey } from '../../i18n/index.js';
import { Bars } from '../../components/Bars.js';

/** The score's parts in detection's order (docs/flows.md, "Scores"), each named in the console's language. */
const PART_LABELS: Record<string, PlainKey> = {
  beacon: 'flowsPartBeacon', 'size-regularity': 'flowsPartSize', server: 'flowsPartServer', 'client-grouping': 'flowsPartGrouping',
  rarity: 'flowsPartRarity', darknet: 'flowsPartDarknet', indicator: 'flowsPartIndicator',
};

/** Each part in [0, 1] as a small bar with its figure; parts this console does not know keep their name. */
export function ScoreParts({ parts, testId }: { parts: Readonly<Record<string, number>>; testId: string }) {
  const { t, num } = useI18n();
  const known = Object.keys(PART_LABELS).filter((k) => k in parts);
  const names = [...known, ...Object.keys(parts).filter((k) => !(k in PART_LABELS))];
  return (
    <div className="score-parts">
      <Bars
        testId={testId}
        rows={names.map((k) => {
          const label = PART_LABELS[k];
          const v = parts[k] ?? 0;
          return { key: k, label: label ? t(label) : k, value: v, display: num(v, 2), attrs: { 'data-part': k } };
        })}
      />
    </div>
  );
}
