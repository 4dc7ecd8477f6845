/**
 * Version 9: the stat signature of each stored module (issue 14.2, docs/design/runapp.md): size,
 * device, inode, modification and change times, taken when its bytes were last hashed and found
 * right. A run whose module still has it reads the bytes without hashing them again; any other
 * signature (or none) means a hash, as before. A row names a store file, not an app: apps of the
 * same module share it, and the sweep drops it with the file.
 */
export const version = 9;

export const up = `
CREATE TABLE module_signatures (
  sha256 TEXT PRIMARY KEY,
  signature TEXT NOT NULL
);
`;
