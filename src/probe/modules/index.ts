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
import { mqttModule } from './mqtt.js';
import { redisModule } from './redis.js';
import { rtspModule } from './rtsp.js';

// mqtt before tls: on 8883 (in both lists) the port's own protocol is tried first, tls after it.
export const MODULES: readonly L7Module[] = [sshModule, httpModule, httpsModule, mqttModule, tlsModule, telnetModule, ftpModule, redisModule, rtspModule];
