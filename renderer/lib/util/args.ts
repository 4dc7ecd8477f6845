/**
 * Default and per-run arguments as the person types them. The rules live in one place,
 * preload/words.ts (shared with the CLI and stored grants); these are the names the window uses.
 */
export {
  joinWords as joinArgs,
  splitWords as splitArgs,
  trySplitWords as trySplitArgs,
  WordsError,
} from '../../../preload/words.ts';
