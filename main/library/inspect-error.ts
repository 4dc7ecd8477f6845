import { CodedError } from '../shared/coded-error.ts';

/** Why a module was refused at inspection: a CodedError whose code is one of these. */
export class InspectError extends CodedError {
  declare readonly code: 'empty' | 'not-wasm' | 'component' | 'malformed' | 'not-command' | 'unsupported-imports';
  constructor(code: InspectError['code'], message: string) {
    super(code, message);
    this.name = 'InspectError';
  }
}
