/**
 * What a guest is about to do with a path when it asks (ask mode, DESIGN §5), named as the operation
 * it is: every change asks as itself (a hard link, a rename, new times, a truncation are never
 * "read"), on each side it touches (link and rename ask for their source and their target). The one
 * list: the runtime asks with these (runtime/ask.ts) and the contract's prompts carry them
 * (preload/schema-parts.ts `PROMPT_OPERATIONS`); neither may import the other, both may import this.
 */
export const ASK_OPERATIONS = ['read', 'list', 'write', 'truncate', 'create', 'delete', 'link', 'rename', 'set-times'] as const;
