/**
 * The integration as the API will call it: add shortcuts or a command for an app, list, remove all
 * of them (on uninstall), and bring them up to date (on rename). Plans with the pure planners,
 * performs with the executor.
 */
import { commandNameError } from './commands.ts';
import { type ShortcutIo, applyOps, commandOnPath, findExisting } from './executor.ts';
import type { AppRef, Host } from './host.ts';
import { type Existing, type ShortcutPlaces, planCommand, planRemoval, planRename, planShortcuts } from './plan.ts';

export interface Integration {
  /** The app's shortcuts and commands that exist now. */
  list(appId: string): Promise<Existing[]>;
  addShortcuts(app: AppRef, places: ShortcutPlaces): Promise<Existing[]>;
  /** Adds command `name`; refuses a bad name, another file there, or a program of that name on PATH. */
  addCommand(app: AppRef, name: string): Promise<Existing[]>;
  /** Removes all of the app's shortcuts and commands. */
  removeAll(appId: string): Promise<void>;
  /** Rewrites the app's shortcuts and commands after a rename. */
  rename(app: AppRef): Promise<Existing[]>;
}

export function createIntegration(host: Host, io: ShortcutIo = {}, pathVar = process.env.PATH ?? ''): Integration {
  const list = (appId: string): Promise<Existing[]> => findExisting(host, appId, io);
  return {
    list,
    async addShortcuts(app, places) {
      await applyOps(planShortcuts(host, app, places), io);
      return list(app.id);
    },
    async addCommand(app, name) {
      const ops = planCommand(host, app, name);
      const other = await commandOnPath(host, name, pathVar);
      if (other !== null) throw commandNameError(`There is already a program called "${name}" (${other}).`);
      await applyOps(ops, io);
      return list(app.id);
    },
    async removeAll(appId) {
      await applyOps(planRemoval(host, appId, await list(appId)), io);
    },
    async rename(app) {
      await applyOps(planRename(host, app, await list(app.id)), io);
      return list(app.id);
    },
  };
}
