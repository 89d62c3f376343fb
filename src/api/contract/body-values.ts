/**
 * Request body values as Fastify's ajv coerced them (coerceTypes 'array'). The API took JSON
 * bodies this way before the contract, and clients may rely on it: 12 for a name became "12",
 * "80" for a port 80, "false" for a flag false, a single value where a list is expected a
 * one-item list, a one-item list where a single value is expected its item. Every body in the
 * contract builds its values with these, so all are coerced alike; constraints (lengths, bounds,
 * enums) are checked after the coercion, as ajv did. Objects are never coerced.
 */
import { z } from 'zod';

/** A JSON scalar: what ajv coerced from. */
type Scalar = string | number | boolean | null;
/** What a client may send for a single value of input type T: T, a scalar ajv coerced to it, or a one-item list of either. */
export type Coercible<T> = T | Scalar | readonly [T | Scalar];

/** Before coercing to a single value, ajv takes a one-item list as its item. */
const single = (v: unknown): unknown => (Array.isArray(v) && v.length === 1 ? v[0] : v);

/** To text: a number or boolean becomes its text, null ''. */
export const asText = (raw: unknown): unknown => {
  const v = single(raw);
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null ? '' : v;
};

/** To a number: a boolean 1 or 0, null 0, numeric text its number (ajv's `data == +data`; '' stays text and fails). */
export const asNumber = (raw: unknown): unknown => {
  const v = single(raw);
  if (typeof v === 'boolean') return Number(v);
  if (v === null) return 0;
  return typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
};

/** To a boolean: "true" and 1 are true; "false", 0 and null false. */
export const asBool = (raw: unknown): unknown => {
  const v = single(raw);
  if (v === 'true' || v === 1) return true;
  return v === 'false' || v === 0 || v === null ? false : v;
};

/** To a list: a single scalar (null too) becomes a one-item list. */
export const asList = (v: unknown): unknown => (v === null || ['string', 'number', 'boolean'].includes(typeof v) ? [v] : v);

const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
const TIME = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$/i;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * RFC 3339 date-time as ajv-formats' full `date-time` checks it (the same steps): a real day
 * (leap years), a time zone required (Z or ±hh[:]mm), and :60 only for a leap second, i.e.
 * 23:59:60 in UTC.
 */
export function isDateTime(s: string): boolean {
  const parts = s.split(/t|\s/i);
  if (parts.length !== 2) return false;
  const d = DATE.exec(parts[0] ?? '');
  const t = TIME.exec(parts[1] ?? '');
  if (!d || !t) return false;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : (DAYS[month] ?? 0)))) return false;
  const [hr, min, sec] = [Number(t[1]), Number(t[2]), Number(t[3])];
  const sign = t[5] === '-' ? -1 : 1;
  const [tzH, tzM] = [Number(t[6] ?? 0), Number(t[7] ?? 0)];
  if (tzH > 23 || tzM > 59 || !t[4]) return false;
  if (hr <= 23 && min <= 59 && sec < 60) return true;
  // A leap second: 23:59:60 UTC.
  const utcMin = min - tzM * sign;
  const utcHr = hr - tzH * sign - (utcMin < 0 ? 1 : 0);
  return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61;
}

/** A single body value checked by T after its coercion. */
export type BodyValue<T extends z.ZodType = z.ZodString> = z.ZodPreprocess<T, Coercible<z.input<T>>>;

/** A text value (default: all text). */
export function bodyText(): BodyValue;
export function bodyText<T extends z.ZodType>(schema: T): BodyValue<T>;
export function bodyText(schema: z.ZodType = z.string()): z.ZodType {
  return z.preprocess(asText, schema);
}

/** A number (default: every number). */
export function bodyNumber(): BodyValue<z.ZodNumber>;
export function bodyNumber<T extends z.ZodType>(schema: T): BodyValue<T>;
export function bodyNumber(schema: z.ZodType = z.number()): z.ZodType {
  return z.preprocess(asNumber, schema);
}

/** A boolean. */
export const bodyBool = (): BodyValue<z.ZodBoolean> =>
  z.preprocess<unknown, z.ZodBoolean, Coercible<boolean>>(asBool, z.boolean());

/** A list; its items coerce as their own schemas say (bodyText, bodyNumber…). */
export type BodyList<T extends z.ZodArray<z.ZodType>> = z.ZodPreprocess<T, z.input<T> | Scalar>;
export const bodyList = <T extends z.ZodArray<z.ZodType>>(schema: T): BodyList<T> =>
  z.preprocess<unknown, T, z.input<T> | Scalar>(asList, schema);

/** An RFC 3339 date-time with a time zone (isDateTime), as text. */
export const bodyDateTime = (): BodyValue =>
  bodyText(z.string().refine(isDateTime, 'must match format "date-time"').meta({ format: 'date-time' }));
