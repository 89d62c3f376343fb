/**
 * Error answers in the language the request asks for (Accept-Language, as the console sends its
 * own): the catalogue's Japanese text, and a search query's parse error in Japanese with its place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../errors.js';
import { tempApp, type TempApp } from './testing/temp-app.js';

describe('error messages by Accept-Language', () => {
  let t: TempApp;
  beforeAll(async () => {
    t = await tempApp('error-lang');
  }, 60_000);
  afterAll(() => t?.dispose());

  const ask = (url: string, lang?: string, auth = true) =>
    (auth ? t.inject : t.app.inject.bind(t.app))({ url, headers: lang ? { 'accept-language': lang } : {} });

  it('answers a parse error of the search query in Japanese, with the same code, where and place', async () => {
    const url = `/api/v1/search?q=${encodeURIComponent('port:abc')}`;
    const [ja, en] = [await ask(url, 'ja-JP,ja;q=0.9,en;q=0.8'), await ask(url)];
    expect(ja.statusCode).toBe(400);
    const j = ja.json<{ code: string; message: string; where: Record<string, unknown> }>();
    const e = en.json<{ code: string; message: string; where: Record<string, unknown> }>();
    expect(j.code).toBe('QUERY_PARSE');
    expect(j.where).toEqual(e.where);
    expect(j.message.split('\n')[0]).toBe('検索クエリを解釈できません：port には 0 から 65535 までの整数を指定してください（「abc」は不可）（位置 5）');
    expect(e.message.split('\n')[0]).toBe('the search query does not parse: port takes a whole number from 0 to 65535, not "abc" at position 5');
    // The excerpt and the caret under the place are the same in both.
    expect(j.message.split('\n').slice(1)).toEqual(e.message.split('\n').slice(1));
  });

  it('answers the catalogue text in Japanese for errors without a detail of their own', async () => {
    const r = await ask('/api/v1/search', 'ja', false);
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'AUTH_REQUIRED', message: ERRORS.AUTH_REQUIRED.ja });
    const en = await ask('/api/v1/search', 'en-GB', false);
    expect(en.json()).toMatchObject({ code: 'AUTH_REQUIRED', message: ERRORS.AUTH_REQUIRED.en });
  });

  it('answers a request the contract refuses with the Japanese catalogue text first', async () => {
    const r = await ask('/api/v1/search?limit=100000', 'ja');
    expect(r.statusCode).toBe(400);
    expect(r.json<{ message: string }>().message).toBe(`${ERRORS.BAD_REQUEST.ja}：querystring/limit の値が正しくありません`);
    const en = await ask('/api/v1/search?limit=100000', 'en');
    expect(en.json<{ message: string }>().message).toMatch(/^invalid request: querystring\/limit /);
  });
});
