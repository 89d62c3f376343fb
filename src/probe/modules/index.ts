/**
 * Every L7 module a survey can use, by name (see ../module-registry.ts). A module is listed here
 * when it lands; discovery by directory listing (../identify/default-modules.ts) is for tests and
 * tools, this list is what a survey runs.
 */
import type { L7Module } from '../module.js';
import { sshModule } from './ssh.js';
import { httpModule, httpsModule } from './http.js';
import { tlsModule } from './tls.js';
import { telnetModule } from './telnet.js';
import { ftpModule } from './ftp.js';

export const MODULES: readonly L7Module[] = [sshModule, httpModule, httpsModule, tlsModule, telnetModule, ftpModule];
