/**
 * Version 6: what a folder grant granted (DESIGN §3.1, "What the person granted is what opens"):
 * the folder's resolved path and its identity (device and inode, as decimal strings, and the birth
 * time where the filesystem records one, since inode numbers are reused at once), recorded
 * when the grant is made; a run opens that path following no symlink and checks the identity.
 *
 * Rows made before this version have no identity. They are not trusted blindly, because their
 * folder may already have been swapped by an app: the launcher records the identity on first use
 * only when the folder's path passes through no symbolic link lying inside a folder that some grant
 * makes writable (a link an app could have planted); otherwise the grant is shown as stale and the
 * person re-grants it (launcher/grant-status.ts).
 */
export const version = 6;

export const up = `
ALTER TABLE grants ADD COLUMN resolved TEXT;
ALTER TABLE grants ADD COLUMN dev TEXT;
ALTER TABLE grants ADD COLUMN ino TEXT;
ALTER TABLE grants ADD COLUMN born TEXT;
`;
