/**
 * The one table from an error's code to the window's error (main/api/errors.ts): every code keeps
 * its message; anything that is not a CodedError becomes `internal` with a fixed message (no
 * stack, no host details) and is logged with its stack. A module that cannot load, and a shortcut
 * that would overwrite someone else's file, reach the window by their codes (both used to arrive
 * as `internal`, with the raw message).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../main/api/index.ts';
import { INTERNAL_MESSAGE, WINDOW_CODES, windowError } from '../../main/api/errors.ts';
import { createIntegration } from '../../main/integration/service.ts';
import { loadCommand } from '../../main/runtime/load.ts';
import { CodedError, ERROR_CODES } from '../../main/shared/coded-error.ts';
import { fixture, install, ok, open, tmp, useCleanup } from './harness.ts';

useCleanup();

/** A log that keeps what it is given. */
function recordingLog() {
  const entries: { message: string; err: unknown }[] = [];
  return { entries, log: (message: string, err: unknown) => void entries.push({ message, err }) };
}

describe('the window error table', () => {
  const shown = ERROR_CODES.filter((c) => c !== 'internal' && c !== 'usage');

  it.each(shown)('%s reaches the window with its message, unlogged', (code) => {
    const { entries, log } = recordingLog();
    expect(windowError(new CodedError(code, `what went wrong (${code})`), 'apps.get', log)).toEqual({ ok: false, code: WINDOW_CODES[code], message: `what went wrong (${code})` });
    expect(WINDOW_CODES[code]).toBe(code);
    expect(entries).toEqual([]);
  });

  it.each(['internal', 'usage'] as const)('%s is a bug when it reaches the window: internal, logged', (code) => {
    const { entries, log } = recordingLog();
    const err = new CodedError(code, 'the command line’s words');
    expect(windowError(err, 'apps.get', log)).toEqual({ ok: false, code: 'internal', message: INTERNAL_MESSAGE });
    expect(entries).toEqual([{ message: 'terrarium: request apps.get failed', err }]);
  });

  it('anything else is internal: a fixed message, no stack and no host detail; the stack goes to the log', () => {
    const { entries, log } = recordingLog();
    const err = new TypeError("Cannot read properties of undefined (reading 'id') at /home/me/secret/library.db");
    const e = windowError(err, 'runs.start', log);
    expect(e).toEqual({ ok: false, code: 'internal', message: INTERNAL_MESSAGE });
    expect(e.message).not.toMatch(/secret|TypeError|\n\s+at /);
    expect(entries).toHaveLength(1);
    expect((entries[0]!.err as Error).stack).toMatch(/\n\s+at /);
    // A look-alike with a `code` of its own is not trusted either.
    expect(windowError(Object.assign(new Error('raw'), { code: 'not-found' }), 'apps.get', log)).toMatchObject({ code: 'internal', message: INTERNAL_MESSAGE });
    expect(windowError('a string', 'apps.get', log)).toMatchObject({ code: 'internal', message: INTERNAL_MESSAGE });
  });
});

describe('through the real core', () => {
  it('a module that cannot load reaches the window as cannot-load, with its reason', async () => {
    const { entries, log } = recordingLog();
    // The desktop shell's file dialog, checking the chosen module loads before handing it over.
    const chosen = path.join(tmp('terrarium-api-load-'), 'notes.wasm');
    fs.writeFileSync(chosen, 'just some text, not a module\n');
    const api = createApi({
      transport: 'electron', home: tmp('terrarium-api-home-'), log,
      dialogs: {
        chooseFolder: async () => null,
        chooseFile: async () => {
          await loadCommand(fs.readFileSync(chosen));
          return chosen;
        },
      },
    });
    open.push(api);
    const r = await api.handle('dialog.chooseFile', { wasm: true });
    expect(r).toMatchObject({ ok: false, code: 'cannot-load' });
    expect(r.ok ? '' : r.message).toMatch(/WebAssembly/);
    expect(entries).toEqual([]);
  });

  it('a shortcut where someone else’s file is reaches the window as exists, and the file is kept', async () => {
    const home = tmp('terrarium-api-person-');
    const api = createApi({ transport: 'electron', home: tmp('terrarium-api-home-'), integration: createIntegration({ platform: 'linux', home, executable: '/opt/Terrarium/terrarium', icon: fixture('stdio') }, {}, ''), log: () => undefined });
    open.push(api);
    const id = await install(api, fixture('stdio'));
    const entry = path.join(home, '.local/share/applications', `terrarium-app-${id}.desktop`);
    fs.mkdirSync(path.dirname(entry), { recursive: true });
    fs.writeFileSync(entry, '[Desktop Entry]\nName=Mine\n');
    const r = await api.handle('integration.addShortcuts', { ref: id, menu: true, desktop: false });
    expect(r).toMatchObject({ ok: false, code: 'exists' });
    expect(r.ok ? '' : r.message).toContain(entry);
    expect(fs.readFileSync(entry, 'utf8')).toContain('Name=Mine');
    expect(await ok(api, 'integration.get', { ref: id })).toMatchObject({ available: true, items: [] });
  });
});
