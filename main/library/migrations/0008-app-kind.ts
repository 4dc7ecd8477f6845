/**
 * Version 8: what kind of program an app is (issue 15): a WASI preview1 core module
 * (`preview1`, every app installed before) or a WASI 0.2 component (`component`).
 */
export const version = 8;

export const up = `
ALTER TABLE apps ADD COLUMN kind TEXT NOT NULL DEFAULT 'preview1' CHECK (kind IN ('preview1', 'component'));
`;
