/**
 * Run as a child process by tests: opens the embedded stores of the data directory given as its
 * argument, says "open" on stdout and holds them (and their lock) until its stdin ends — another
 * command using the stores while a sensor runs.
 */
import { openStores } from '../../../store/open-stores.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: hold-stores DATA_DIR');
const stores = await openStores({ dataDir });
process.stdout.write('open\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void stores.close().then(() => process.exit(0));
});
