/** Why a module was refused; `code` is stable for scripts and tests. */
export class InspectError extends Error {
  readonly code: 'empty' | 'not-wasm' | 'component' | 'malformed' | 'not-command' | 'unsupported-imports';
  constructor(code: InspectError['code'], message: string) {
    super(message);
    this.code = code;
  }
}
