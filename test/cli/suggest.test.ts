/** "Did you mean": edit distance with swaps, and suggestions only when close (main/cli/suggest.ts). */
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggestions } from '../../main/cli/suggest.ts';

const COMMANDS = ['run', 'install', 'list', 'info', 'uninstall', 'grant', 'revoke', 'grants', 'reset', 'history', 'audit', 'ui', 'help'];

describe('editDistance', () => {
  it.each([
    ['', '', 0], ['a', '', 1], ['grant', 'grant', 0], ['grnat', 'grant', 1], ['instal', 'install', 1],
    ['kitten', 'sitting', 3], ['LIST', 'list', 0], ['ab', 'ba', 1], ['👍🏽x', '👍🏽y', 1],
  ])('%j → %j: %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('suggestions', () => {
  it.each([
    ['grnat', ['grant']], ['revokee', ['revoke']], ['lsit', ['list']], ['uninstal', ['uninstall']],
    ['gran', ['grant']], ['frobnicate', []], ['x', []], ['zz', []], ['histroy', ['history']], ['histo', ['history', 'list']], ['hist', ['list']],
  ])('%s → %j', (typed, want) => {
    expect(suggestions(typed, COMMANDS)).toEqual(want);
  });

  it('names every equally close one, at most three, in order', () => {
    expect(suggestions('grantz', COMMANDS)).toEqual(['grant', 'grants']);
    expect(didYouMean('grantz', COMMANDS)).toBe('; did you mean "grant" or "grants"?');
    expect(didYouMean('frobnicate', COMMANDS)).toBe('');
  });
});
