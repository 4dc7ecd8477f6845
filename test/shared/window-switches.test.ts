/** main/shared/window-switches.ts: the window's `disable-features` keeps what the command line gave. */
import { expect, test } from 'vitest';
import { WINDOW_DISABLED_FEATURES, withWindowDisabledFeatures } from '../../main/shared/window-switches.ts';

test('the window holds no message after input: its features are added to the command line’s, once each', () => {
  expect(WINDOW_DISABLED_FEATURES).toContain('DeferRendererTasksAfterInput');
  expect(withWindowDisabledFeatures('')).toBe(WINDOW_DISABLED_FEATURES.join(','));
  expect(withWindowDisabledFeatures('Vulkan, EnableDrDc')).toBe(['Vulkan', 'EnableDrDc', ...WINDOW_DISABLED_FEATURES].join(','));
  expect(withWindowDisabledFeatures('DeferRendererTasksAfterInput,Vulkan')).toBe('DeferRendererTasksAfterInput,Vulkan');
});
