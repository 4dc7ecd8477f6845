/** The application menu: its commands, and no developer items in production. */
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate } from '../../main/desktop/menu.ts';

const DEV_ROLES = ['reload', 'forceReload', 'toggleDevTools'];

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}
const roles = (items: MenuItemConstructorOptions[]) => flatten(items).map((i) => i.role).filter((r) => r !== undefined);
const top = (items: MenuItemConstructorOptions[], label: string) => {
  const menu = items.find((i) => i.label?.replace('&', '') === label);
  return (menu?.submenu ?? []) as MenuItemConstructorOptions[];
};

describe.each(['linux', 'win32', 'darwin'] as const)('on %s', (platform) => {
  it('has no reload or developer tools in production', () => {
    const items = menuTemplate({ dev: false, platform, actions: {} });
    for (const role of DEV_ROLES) expect(roles(items)).not.toContain(role);
    expect(flatten(items).some((i) => /devtools|developer|reload/i.test(i.label ?? ''))).toBe(false);
  });

  it('has them in development', () => {
    const items = menuTemplate({ dev: true, platform, actions: {} });
    for (const role of DEV_ROLES) expect(roles(items)).toContain(role);
  });

  it('has File, Edit, View and Help, with zoom and the edit roles', () => {
    const items = menuTemplate({ dev: false, platform, actions: {} });
    expect(roles(top(items, 'Edit'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll']);
    expect(roles(top(items, 'View'))).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
    expect(roles(top(items, 'Help'))).toEqual(['about']);
    // macOS's app menu role brings About, Hide and Quit with it.
    expect(roles(items)).toContain(platform === 'darwin' ? 'appMenu' : 'quit');
  });

  it('runs the install commands, and disables those without an action', () => {
    const installFromFile = vi.fn();
    const items = menuTemplate({ dev: false, platform, actions: { installFromFile } });
    const [fromFile, fromUrl] = top(items, 'File');
    expect(fromFile?.label).toBe('Install from File…');
    expect(fromUrl?.label).toBe('Install from URL…');
    expect(fromFile?.enabled).toBe(true);
    expect(fromUrl?.enabled).toBe(false);
    (fromFile?.click as () => void)();
    expect(installFromFile).toHaveBeenCalledOnce();
  });
});

it('puts Quit in File on Windows and Linux, and in the app menu on macOS', () => {
  expect(roles(top(menuTemplate({ dev: false, platform: 'linux', actions: {} }), 'File'))).toContain('quit');
  const mac = menuTemplate({ dev: false, platform: 'darwin', actions: {} });
  expect(mac[0]?.role).toBe('appMenu');
  expect(roles(top(mac, 'File'))).toEqual(['close']);
  expect(mac.every((i) => !i.label?.includes('&'))).toBe(true);
});
