/**
 * Chromium switches the window's renderer runs with (issue 14.4). main/desktop/main.ts appends
 * them to Electron's command line before ready; bench:window gives the same to the Chromium it
 * drives, so the figure it reports is the window's (its `--plain-chromium` measures without them,
 * as `terrarium ui --web` in a person's own browser runs).
 *
 * `DeferRendererTasksAfterInput`: after a discrete input (a click, a key), Chromium holds the
 * page's network and message tasks until it has rendered the next frame. For Terrarium the answer
 * to a Run click is those messages (the run's first output), so holding them made every warm run
 * wait for a frame that had nothing of the run in it: on this machine hello's Run → first byte
 * went 36 → 22 ms median without it (drawn in the first frame after the click, not the second).
 * The price, measured: during an output flood the page takes the flood's messages before a click's
 * answer (bench:window's Details click in a 100 MiB flood 55 → 81 ms median, throughput ~104 → ~98
 * MiB/s). A Run is what people do all day; a click in the middle of a flood is not (README, The window).
 */
export const WINDOW_DISABLED_FEATURES: readonly string[] = ['DeferRendererTasksAfterInput'];

/**
 * The `disable-features` value that adds WINDOW_DISABLED_FEATURES to `current` (the value the
 * person's own command line gave, maybe empty): Chromium keeps one value per switch, so appending
 * ours alone would drop theirs.
 */
export function withWindowDisabledFeatures(current: string): string {
  return [...new Set([...current.split(','), ...WINDOW_DISABLED_FEATURES].map((f) => f.trim()).filter((f) => f !== ''))].join(',');
}
