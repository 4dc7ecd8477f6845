/**
 * The library's records, as the API, the CLI's `--json` output, the launcher and the window see
 * them: the contract's own shapes (preload/shapes.ts, the one declaration of each), imported by type
 * only. The library produces exactly these; nothing of the contract is loaded here, and the contract
 * imports nothing of the library (docs/design/one-source.md).
 */
export type {
  AppKind, AppRecord, AppSummary, AuditEntry, Capability, ComponentInspection, Decision, FolderIdentity, GrantAccess, GrantInput, GrantOverlap,
  GrantRecord, Inspection, InstallDone, InstallSource, LimitName, Manifest, RunRecord, SortOrder, UnknownAccess,
} from '../../preload/shapes.ts';
