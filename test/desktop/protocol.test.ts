/** The app:// protocol: only files under the renderer folder, the CSP on every response. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Protocol } from 'electron';
import { APP_SCHEME_PRIVILEGES, contentType, createAppHandler, installAppProtocol, registerAppScheme, resolveAppUrl } from '../../main/desktop/protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../main/desktop/security.ts';

const root = path.resolve(os.tmpdir(), 'terrarium-renderer-root');
const under = (...p: string[]) => path.join(root, ...p);

describe('resolveAppUrl', () => {
  it.each([
    ['app://terrarium/', under('index.html')],
    ['app://terrarium', under('index.html')],
    ['app://terrarium/index.html', under('index.html')],
    ['app://terrarium/assets/index-B4x_9-Qa.js', under('assets', 'index-B4x_9-Qa.js')],
    ['app://terrarium/assets/xterm.css?v=6', under('assets', 'xterm.css')],
    ['app://terrarium/index.html#/apps/1', under('index.html')],
    ['app://terrarium/index.html?x=../../../etc/passwd', under('index.html')],
    ['app://terrarium/fonts/Inter%40var.woff2', under('fonts', 'Inter@var.woff2')],
    // The URL parser removes dot segments (plain or %2e-encoded) before we see the path; they stay inside root.
    ['app://terrarium/../../../../etc/passwd', under('etc', 'passwd')],
    ['app://terrarium/assets/%2e%2e/%2E%2E/index.html', under('index.html')],
  ])('%s → a file under the root', (url, want) => {
    expect(resolveAppUrl(url, root)).toBe(want);
  });

  it.each([
    // Traversal that survives URL parsing.
    'app://terrarium/..%2f..%2fetc%2fpasswd',
    'app://terrarium/assets%2f..%2f..%2f..%2fetc%2fpasswd',
    'app://terrarium/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://terrarium/%252e%252e/etc/passwd',
    'app://terrarium/.%2e%2fsecret',
    // Backslashes, raw or encoded.
    'app://terrarium/..\\..\\windows\\win.ini',
    'app://terrarium/assets\\..\\..\\secret',
    'app://terrarium/..%5c..%5cwindows%5cwin.ini',
    'app://terrarium/%5c%5cserver%5cshare',
    // Absolute paths and drive letters.
    'app://terrarium//etc/passwd',
    'app://terrarium/%2fetc%2fpasswd',
    'app://terrarium/C:/Windows/win.ini',
    'app://terrarium/C%3a%5cWindows%5cwin.ini',
    'app://terrarium/index.html::$DATA',
    // Other schemes, hosts and forms.
    'app:///etc/passwd',
    'app:/etc/passwd',
    'app:etc/passwd',
    'app://evil/index.html',
    'app://TERRARIUM/index.html',
    'app://terrarium.evil/index.html',
    'app://user@terrarium/index.html',
    'app://terrarium:1234/index.html',
    'file:///etc/passwd',
    'https://terrarium/index.html',
    'not a url',
    '',
    // Odd names.
    'app://terrarium/assets/',
    'app://terrarium/.env',
    'app://terrarium/.git/config',
    'app://terrarium/index.html.',
    'app://terrarium/index.html%20',
    'app://terrarium/index.html%00.js',
    'app://terrarium/%ff',
    'app://terrarium/CON',
    'app://terrarium/assets/nul.js',
    'app://terrarium/COM%C2%B9.txt',
    'app://terrarium/caf%C3%A9.js',
    `app://terrarium/${'a'.repeat(300)}.js`,
    `app://terrarium/${'a/'.repeat(3000)}x.js`,
  ])('refuses %s', (url) => {
    expect(resolveAppUrl(url, root)).toBeNull();
  });
});

describe('the app: handler', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-protocol-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Terrarium</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'main.js'), 'export {};');
  fs.writeFileSync(path.join(dir, '..', `outside-${path.basename(dir)}.txt`), 'secret');
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(dir, '..', `outside-${path.basename(dir)}.txt`), { force: true });
  });
  const handler = createAppHandler(dir);

  it('serves index.html for / with the CSP and nosniff', async () => {
    const res = await handler(new Request('app://terrarium/'));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Terrarium</title>');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves module scripts as JavaScript', async () => {
    const res = await handler(new Request('app://terrarium/assets/main.js'));
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe('export {};');
  });

  it('answers HEAD without a body', async () => {
    const res = await handler(new Request('app://terrarium/index.html', { method: 'HEAD' }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it.each([
    `app://terrarium/..%2f${encodeURIComponent(`outside-${path.basename(dir)}.txt`)}`,
    'app://terrarium/missing.js',
    'app://terrarium/assets',
    'app://evil/index.html',
  ])('answers 404, with the CSP, for %s', async (url) => {
    const res = await handler(new Request(url));
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('secret');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses other methods', async () => {
    const res = await handler(new Request('app://terrarium/index.html', { method: 'POST', body: 'x' }));
    expect(res.status).toBe(405);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('never reads a file it refused', async () => {
    const read = vi.fn(async () => new Uint8Array());
    await createAppHandler(dir, read)(new Request('app://terrarium/..%2f..%2fetc%2fpasswd'));
    expect(read).not.toHaveBeenCalled();
  });
});

describe('scheme registration', () => {
  it('is standard and secure, and never bypasses the CSP or opens CORS', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    for (const p of ['bypassCSP', 'corsEnabled', 'allowServiceWorkers'] as const) expect(APP_SCHEME_PRIVILEGES.privileges?.[p]).toBeFalsy();
  });

  it('registers the scheme and its handler on the given protocol', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
    registerAppScheme(protocol as unknown as Protocol);
    installAppProtocol(protocol as unknown as Protocol, root);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([APP_SCHEME_PRIVILEGES]);
    expect(protocol.handle).toHaveBeenCalledExactlyOnceWith('app', expect.any(Function));
  });

  it('types files by extension, unknown ones as bytes', () => {
    expect(contentType('a/b.CSS')).toBe('text/css; charset=utf-8');
    expect(contentType('a/b.wasm')).toBe('application/wasm');
    expect(contentType('a/b')).toBe('application/octet-stream');
  });
});
