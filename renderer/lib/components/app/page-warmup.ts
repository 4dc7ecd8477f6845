/**
 * The app page's code and templates run once while the page is idle (issue 14.5). A Details click
 * during a flood spent ~17% of its reply's script in Svelte's first parse of each of the page's
 * templates, and more in V8's first compile of its components. Here the page of one installed app
 * (the catalog's first) is mounted once into a detached, inert, hidden box and unmounted in the
 * same task: its effects never run (`mount` leaves them for a flush that does not come before
 * `unmount`), so it asks for nothing more (no integration.get, no focus, no announcement), and
 * nothing is laid out or shown. The one request is a read, `apps.get` for that app.
 */
import { mount, unmount } from 'svelte';
import { request } from '../../api.ts';
import AppPage from './AppPage.svelte';

/** Mounts and unmounts app `appId`'s page off screen, once its details are here and the page is idle again. */
export async function warmAppPage(appId: string): Promise<void> {
  const given = await request('apps.get', { ref: appId });
  await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 3000 }));
  const box = document.createElement('div');
  box.inert = true;
  box.setAttribute('aria-hidden', 'true');
  box.hidden = true;
  const page = mount(AppPage, { target: box, props: { appId, given } });
  void unmount(page);
}
