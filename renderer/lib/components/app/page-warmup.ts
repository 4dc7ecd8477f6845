/**
 * The app page's code and templates run once while the page is idle (issue 14.5). A Details click
 * during a flood spent ~17% of its reply's script in Svelte's first parse of each of the page's
 * templates, and more in V8's first compile of its components. Here the page of one installed app
 * (the catalog's first) is mounted once into a detached, inert, hidden box and unmounted in the
 * same task: its effects never run (`mount` leaves them for a flush that does not come before
 * `unmount`), so it asks for nothing more (no integration.get, no focus, no announcement), and
 * nothing is shown. The one request is a read, `apps.get` for that app.
 *
 * The page is mounted twice, in two idle moments, whatever that app has: with every list and
 * optional part empty, and with one example of each (a finished and a running run, a grant of
 * each kind, activity entries, a denial, an older build). A branch never mounted here (a history
 * table when the first app had not run yet, say) kept its first parse and compile for the Details
 * click (issue 14.5, round 4 of docs/design/details.md). The examples are never shown, stored or sent.
 * The second is also laid out once (invisible, inert, off the flow, removed in the same task): the
 * click's layout then finds Chromium's shapes of the page's words and its elements' styles cached.
 */
import { mount, unmount } from 'svelte';
import type { AppDetails } from '../../../../preload/api.ts';
import { request } from '../../api.ts';
import AppPage from './AppPage.svelte';

/** `d` with every list empty and no optional part. */
export function withNoParts(d: AppDetails): AppDetails {
  return {
    ...d,
    app: { ...d.app, version: null, description: null, lastRunAt: null },
    grants: [], audit: [], denials: [], history: [], running: 0,
    builds: d.builds.filter((b) => b.sha256 === d.app.sha256),
  };
}

/** `d` with one example in each of the page's lists and optional parts (ids ≤ 0: none of them real). */
export function withEveryPart(d: AppDetails): AppDetails {
  const at = d.app.installedAt;
  const grant = { createdAt: at, lastUsedAt: at };
  return {
    ...d,
    app: { ...d.app, version: d.app.version ?? '0', description: d.app.description ?? '-', lastRunAt: d.app.lastRunAt ?? at },
    grants: [
      ...d.grants,
      { kind: 'folder', host: '/', guest: '/', access: 'read', id: 0, pin: null, ...grant },
      { kind: 'folder', host: '/', guest: '/w', access: 'read-write', id: -1, pin: null, ...grant },
      { kind: 'env', name: 'W', value: '', id: -2, ...grant },
      { kind: 'env', name: 'F', forward: true, id: -3, ...grant },
      { kind: 'args', args: ['-'], id: -4, ...grant },
      { kind: 'limit', name: 'memory-max-mib', value: 1, id: -5, ...grant },
      { kind: 'limit', name: 'timeout-seconds', value: 1, id: -6, ...grant },
    ],
    audit: [
      ...d.audit,
      { id: 0, runId: 0, operation: 'path_open', path: '/', decision: 'denied', at, count: 2, firstAt: at, lastAt: at, summary: false },
      { id: -1, runId: null, operation: '*', path: null, decision: 'allowed', at, count: 1, firstAt: at, lastAt: at, summary: true },
    ],
    denials: [...d.denials, '\u0000'], // no real path holds a NUL
    builds: [...d.builds, { version: '0', sha256: '', size: 0, installedAt: at }],
    history: [
      ...d.history,
      { id: 0, args: ['-'], startedAt: at, endedAt: at, outcome: 'exit', exitCode: 0, bytesOut: 0 },
      { id: -1, args: [], startedAt: at, endedAt: null, outcome: 'running', exitCode: null, bytesOut: 0 },
    ],
    running: Math.max(d.running, 1),
  };
}

/** Mounts and unmounts app `appId`'s page off screen, once its details are here and the page is idle again. */
export async function warmAppPage(appId: string): Promise<void> {
  const given = await request('apps.get', { ref: appId });
  for (const [details, layOut] of [[withNoParts(given), false], [withEveryPart(given), true]] as const) {
    await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 3000 }));
    const box = document.createElement('div');
    box.inert = true;
    box.setAttribute('aria-hidden', 'true');
    box.hidden = !layOut;
    // Laid out once (invisible, off the flow, the main area's width): Chromium keeps the shapes of
    // the page's words and the styles of its elements for the click's own layout.
    if (layOut) box.style.cssText = `position:absolute;left:0;top:0;width:${document.getElementById('main')?.clientWidth ?? 1000}px;height:0;overflow:hidden;visibility:hidden;contain:strict;pointer-events:none`;
    const page = mount(AppPage, { target: box, props: { appId, given: details } });
    if (layOut) {
      document.body.append(box);
      void box.firstElementChild?.scrollHeight;
      box.remove();
    }
    void unmount(page);
  }
}
