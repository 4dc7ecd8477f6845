/**
 * Where Terrarium keeps its library: the platform's user-data folder, or `TERRARIUM_HOME`.
 *
 * Ambient Authority: reads the environment and the home folder to find it.
 */
import os from 'node:os';
import path from 'node:path';

/** The data folder: $TERRARIUM_HOME, else XDG data (Linux), Application Support (macOS), AppData (Windows). */
export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TERRARIUM_HOME) return path.resolve(env.TERRARIUM_HOME);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Terrarium');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Terrarium');
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'terrarium');
}
