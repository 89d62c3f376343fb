/**
 * The HTTP and HTTPS modules: one survey (../http/survey.ts) over a plain or a TLS connection.
 * `GET /` with status, headers, title, body hash and WWW-Authenticate; the favicon hash; for
 * HTTPS the TLS version, cipher and certificate chain; the Basic/Digest default-credential check
 * when the scope enables it.
 */
import type { L7Module, ModuleResult, ProbeContext, ProbeTarget } from '../module.js';
import { surveyHttp } from '../http/survey.js';

export const HTTP_DEFAULT_PORTS: readonly number[] = [80, 8080, 8000, 8081, 8888, 81, 7547, 8008, 8088, 8090, 8001, 5000];
export const HTTPS_DEFAULT_PORTS: readonly number[] = [443, 8443, 4443, 9443, 10443, 7443, 4433, 5986];

export const httpModule: L7Module = {
  name: 'http',
  defaultPorts: HTTP_DEFAULT_PORTS,
  probe(target: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
    return surveyHttp(target, ctx, { name: 'http', tls: false });
  },
};

export const httpsModule: L7Module = {
  name: 'https',
  defaultPorts: HTTPS_DEFAULT_PORTS,
  probe(target: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
    return surveyHttp(target, ctx, { name: 'https', tls: true });
  },
};
