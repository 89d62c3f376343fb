/**
 * Run by `npm run build:server`: makes the PGlite template that new data directories start from
 * (pglite-template.ts), unless the build already holds the one for this PGlite version and these
 * migrations.
 */
import { makeTemplate } from './template-maker.js';
import { templateDir } from './pglite-template.js';

const dir = templateDir();
if (await makeTemplate(dir)) process.stdout.write(`PGlite template made in ${dir}\n`);
