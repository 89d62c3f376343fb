/**
 * The one registry of L7 modules, by explicit import: a module is listed here when it lands. A
 * survey resolves modules by name from it (../module-registry.ts) and identification's default list
 * is it, most used first (../identify/default-modules.ts); a test checks that every module file in
 * this folder is listed.
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
