/**
 * The README runs the CLI as `npx jwo …`, which executes the package's bin file itself: the build
 * must leave it executable (tsc writes it 0644). Run as a user would, by its path, after `npm run build`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

test('when the package is built, then its jwo bin runs by itself and lists the commands', async () => {
  const bin = join(__dirname, '../../dist/tools/cli/jwo.js');
  const { stdout } = await promisify(execFile)(bin, ['--help']);
  expect(stdout).toContain('simulate');
  expect(stdout).toContain('loadtest');
});
