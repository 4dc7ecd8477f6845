/**
 * `terrarium ui --web [--port N]`: serves the full UI and the real core on 127.0.0.1 and prints
 * the URL (with its per-launch token) to open in a browser. Runs until interrupted.
 */
import fs from 'node:fs';
import { createApi } from '../api/index.ts';
import { rendererDir, startWebServer } from '../web/server.ts';
import { type Parsed, has, opt } from './define.ts';
import { UsageError } from './usage-error.ts';
import { wholeNumber } from './values.ts';

/** Runs the web UI until SIGINT/SIGTERM; resolves to the exit code. */
export async function uiCommand(p: Parsed): Promise<number> {
  if (!has(p, 'web')) throw new UsageError('the desktop window needs Electron (npm start); here use: terrarium ui --web', 'ui');
  const given = opt(p, 'port');
  const port = given === undefined ? 0 : wholeNumber('port', given, 0, 65535);
  const dir = rendererDir();
  if (!fs.existsSync(`${dir}/index.html`)) {
    process.stderr.write(`terrarium: the UI is not built (${dir}); run "npm run build" first\n`);
    return 1;
  }
  const api = createApi({ transport: 'web' });
  const server = await startWebServer(api, dir, port);
  process.stdout.write(`Terrarium is at ${server.url}\n(only this computer can reach it; Ctrl+C stops it)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await api.close();
  return 0;
}
