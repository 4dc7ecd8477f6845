import { describe, expect, it } from 'vitest';
import { CodedError, ERROR_CODES, codeOf, isCoded, isErrorCode } from '../../main/shared/coded-error.ts';

describe('CodedError', () => {
  it('carries a code from the closed list, a message and optional details', () => {
    const err = new CodedError('not-found', 'no app called "x"', { ref: 'x' });
    expect(err).toBeInstanceOf(Error);
    expect([err.code, err.message, err.details]).toEqual(['not-found', 'no app called "x"', { ref: 'x' }]);
    expect(new CodedError('io', 'disk full').details).toBeUndefined();
  });

  it('tells coded errors and their codes apart from anything else', () => {
    const err = new CodedError('bad-url', 'not a URL');
    expect(isCoded(err)).toBe(true);
    expect(isCoded(err, 'bad-url', 'unreachable')).toBe(true);
    expect(isCoded(err, 'not-found')).toBe(false);
    expect(isCoded(Object.assign(new Error('x'), { code: 'bad-url' }))).toBe(false);
    expect(codeOf(err)).toBe('bad-url');
    expect(codeOf(new TypeError('boom'))).toBe('internal');
    expect(codeOf('a string')).toBe('internal');
  });

  it('lists each code once, and knows only those', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(isErrorCode('cannot-load')).toBe(true);
    expect(isErrorCode('ENOENT')).toBe(false);
    expect(isErrorCode(3)).toBe(false);
  });
});
