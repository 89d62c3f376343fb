/**
 * What campaigns (correlate/campaigns/) share with the layers that read them: the kinds of tie,
 * in the order of their bits in campaign_members.ties (stored masks keep their meaning, so a new
 * kind is appended), and how a campaign is named from a tie. Cases name a device's campaign from
 * the ties that device holds, the API a member's view from the ties its own devices hold.
 */
export const CAMPAIGN_TIE_KINDS = ['url', 'url-host', 'hash', 'credentials', 'tool-ports', 'cnc', 'darknet-tool'] as const;

export type TieKind = (typeof CAMPAIGN_TIE_KINDS)[number];

/** The last path segment of a URL, when it has one (the dropper's file name: mirai.arm7). */
function fileOf(url: string): string {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/)[0] ?? '';
  return path.split('/').filter(Boolean).pop() ?? '';
}

function hostOf(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:?#]+|\[[^\]]+\])/i.exec(url)?.[1]?.toLowerCase() ?? '';
}

/**
 * "198.51.100.7 (mirai.arm7)" for a campaign tied by a URL, its host or its dropper (its top URL
 * names both); the dictionary or the tool otherwise. `topUrl` is the campaign's most named URL.
 */
export function campaignName(kind: TieKind, value: string, topUrl: string | undefined): string {
  const url = kind === 'url' ? value : topUrl;
  if ((kind === 'url' || kind === 'url-host' || kind === 'hash') && url) {
    const host = kind === 'url-host' ? value : hostOf(url);
    const file = fileOf(url);
    return file ? `${host} (${file})` : host;
  }
  if (kind === 'hash') return `dropper ${value.slice(0, 12)}`;
  if (kind === 'url-host') return value;
  if (kind === 'credentials') return `dictionary ${value.replace(/ #[0-9a-f]+$/, '')}`;
  if (kind === 'tool-ports') return `tool ${value}`;
  if (kind === 'darknet-tool') return `darknet ${value}`;
  if (kind === 'cnc') return `C&C ${value}`;
  return `${kind} ${value}`;
}

/** A tie as listed with its campaign (campaigns.ties), strongest first. */
export interface ListedTie { kind: TieKind; value: string; members: number }

/**
 * A campaign as seen by those who hold only some of its members: the listed ties those members
 * hold (bit i of `held` for the campaign's i-th listed tie), and a name made from the strongest
 * of them, so that nothing only other members showed is named. `topUrl`: the viewer's own most
 * named URL; without one, the first URL tie it holds.
 */
export function heldView(ties: readonly ListedTie[], held: number, id: string, topUrl: string | undefined): { ties: ListedTie[]; name: string } {
  const mine = ties.filter((_, i) => i < 31 && (held & (1 << i)) !== 0);
  const first = mine[0];
  const url = topUrl ?? mine.find((t) => t.kind === 'url')?.value;
  return { ties: mine, name: first ? campaignName(first.kind, first.value, url) : `campaign ${id.replace(/^cmp-/, '')}` };
}
