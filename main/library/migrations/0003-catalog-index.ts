/**
 * Version 3: a covering index for the catalog, so listing and sorting 10,000 apps reads the index
 * alone instead of every app row with its stored inspection.
 */
export const version = 3;

export const up = `
CREATE INDEX apps_catalog ON apps (name COLLATE NOCASE, id, version, description, size, installed_at, last_run_at);
`;
