/** Request pieces several routes share. Query strings arrive as text: numbers and booleans are coerced. */
import { z } from 'zod';

/** A whole number in a query string or path, within bounds. */
export const queryInt = (min: number, max: number): z.ZodCoercedNumber<unknown> => z.coerce.number().int().min(min).max(max);

/** true/false (or 1/0) in a query string. */
export const queryBool = (): z.ZodType<boolean, string | boolean> =>
  z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);

export const WindowQuery = z.object({
  from: z.string().optional().describe('ISO 8601 time or YYYY-MM-DD (UTC); default: the last day with data'),
  to: z.string().optional().describe('ISO 8601 time or YYYY-MM-DD (UTC), exclusive; default: from + 1 day'),
});

export const IdParam = z.object({ id: z.string() });

/** Every ISO 8601 time in an answer. */
export const IsoTime = z.string().describe('ISO 8601 time (UTC)');
