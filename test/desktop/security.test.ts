/** DESIGN §8, item by item: webPreferences, CSP, permissions, navigation, new windows, external links, IPC senders. */
import { describe, expect, it, vi } from 'vitest';
import type { WebPreferences } from 'electron';
import { APP_ORIGIN } from '../../main/desktop/app-origin.ts';
import {
  CONTENT_SECURITY_POLICY, createExternalOpener, type GuardedContents, installNavigationGuards, installPermissionHandlers,
  isTrustedSender, type PermissionSession, type SenderEvent, SECURITY_HEADERS, vetExternalUrl, webPreferences, withSecurityHeaders,
} from '../../main/desktop/security.ts';
import { FakeSession, FakeWebContents, fakeEvent, fakeFrame } from '../helpers/electron-fake.ts';

describe('webPreferences', () => {
  const prefs: WebPreferences = webPreferences('/app/out/preload/index.cjs');

  it('isolates, sandboxes and keeps Node out of the renderer', () => {
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps web security on and everything optional off', () => {
    expect(prefs).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    });
  });

  it('never turns on anything the checklist warns about', () => {
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.additionalArguments).toBeUndefined();
    expect(prefs.disableDialogs).toBeUndefined();
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('is one directive per name', () => {
    expect(directives.size).toBe(CONTENT_SECURITY_POLICY.split(';').length);
  });

  it("defaults to 'none'", () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
  });

  it("allows scripts only from the app itself: no inline, no eval, no other source", () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/);
  });

  it("allows inline styles (xterm.js injects them) and nothing else inline", () => {
    expect(directives.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    const inline = [...directives].filter(([, v]) => v.includes("'unsafe-inline'")).map(([k]) => k);
    expect(inline).toEqual(['style-src']);
  });

  it('closes every other door', () => {
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
    expect(directives.get('font-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    for (const d of ['base-uri', 'form-action', 'frame-ancestors', 'object-src']) expect(directives.get(d)).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|blob:|file:/);
  });

  it('is set, with nosniff, over whatever headers a response had', () => {
    const h = withSecurityHeaders({ 'Content-Type': 'text/html', 'Content-Security-Policy': "default-src *" });
    expect(h.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('content-type')).toBe('text/html');
    expect(Object.isFrozen(SECURITY_HEADERS)).toBe(true);
  });
});

describe('permission handlers', () => {
  const session = new FakeSession();
  installPermissionHandlers(session as unknown as PermissionSession);

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'unknown'])('deny a request for %s', (permission) => {
    const callback = vi.fn();
    session.requestHandler?.({}, permission, callback, { requestingUrl: 'app://terrarium/index.html' });
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
  });

  it('answer every permission check no', () => {
    for (const p of ['media', 'clipboard-sanitized-write', 'serial', 'usb']) expect(session.checkHandler?.(null, p, APP_ORIGIN, {})).toBe(false);
  });

  it('refuse every device', () => {
    expect(session.deviceHandler?.({ deviceType: 'usb', origin: APP_ORIGIN, device: {} })).toBe(false);
  });
});

describe('navigation guards', () => {
  const setup = () => {
    const contents = new FakeWebContents();
    const offered: string[] = [];
    installNavigationGuards(contents as unknown as GuardedContents, (url) => offered.push(url));
    return { contents, offered };
  };

  it.each([
    ['https://evil.example/'],
    ['http://127.0.0.1:8080/'],
    ['file:///etc/passwd'],
    ['file:///C:/Windows/win.ini'],
    ['data:text/html,<script>alert(1)</script>'],
    ['javascript:alert(1)'],
    ['about:blank'],
    ['app://evil/index.html'],
    ['app://terrarium.evil.example/index.html'],
    ['app://user@terrarium/index.html'],
    ['app://terrarium:8080/index.html'],
    ['not a url'],
  ])('block will-navigate, will-frame-navigate and will-redirect to %s', (url) => {
    const { contents } = setup();
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const) {
      expect(contents.navigate(name, url).defaultPrevented, name).toBe(true);
    }
  });

  it.each(['app://terrarium/index.html', 'app://terrarium/', 'app://terrarium/index.html#/apps/1'])('allow the app itself: %s', (url) => {
    const { contents } = setup();
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const) {
      expect(contents.navigate(name, url).defaultPrevented, name).toBe(false);
    }
  });

  it('refuse every <webview>', () => {
    const { contents } = setup();
    const event = fakeEvent('app://terrarium/index.html');
    contents.emit('will-attach-webview', event, { preload: '/x.js' }, { src: 'app://terrarium/index.html' });
    expect(event.defaultPrevented).toBe(true);
  });

  it.each(['https://example.org/docs', 'app://terrarium/index.html', 'file:///etc/passwd', 'http://example.org/', 'javascript:alert(1)'])(
    'deny window.open(%s)',
    (url) => {
      const { contents } = setup();
      expect(contents.openWindow(url)).toEqual({ action: 'deny' });
    },
  );

  it('offer only https links to confirmOpenExternal, canonicalised, after the handler returned', async () => {
    const { contents, offered } = setup();
    for (const url of ['https://EXAMPLE.org/a b', 'http://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'https://u:p@example.org/']) {
      contents.openWindow(url);
    }
    expect(offered).toEqual([]);
    await Promise.resolve();
    await Promise.resolve();
    expect(offered).toEqual(['https://example.org/a%20b']);
  });
});

describe('external links', () => {
  it.each([
    ['https://example.org/', 'https://example.org/'],
    ['https://EXAMPLE.org:8443/x?y#z', 'https://example.org:8443/x?y#z'],
    ['https://bücher.example/', 'https://xn--bcher-kva.example/'],
    ['https://example.org/\u202eevil', 'https://example.org/%E2%80%AEevil'],
  ])('vet %s as %s', (url, want) => {
    expect(vetExternalUrl(url)).toBe(want);
  });

  it.each([
    'http://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'app://terrarium/', 'smb://host/share',
    'ms-settings:privacy', 'https://user:pw@example.org/', 'https://', 'https://[::1/', `https://example.org/${'a'.repeat(3000)}`, '', 'example.org',
  ])('refuse %s', (url) => {
    expect(vetExternalUrl(url)).toBeNull();
  });

  it('open only what the person confirmed, one question at a time', async () => {
    let answer: (yes: boolean) => void = () => {};
    const confirm = vi.fn(() => new Promise<boolean>((r) => (answer = r)));
    const open = vi.fn(async () => {});
    const offer = createExternalOpener(confirm, open);

    const first = offer('https://example.org/a');
    expect(await offer('https://example.org/spam')).toBe(false);
    answer(true);
    expect(await first).toBe(true);
    expect(open).toHaveBeenCalledExactlyOnceWith('https://example.org/a');

    const second = offer('https://example.org/b');
    answer(false);
    expect(await second).toBe(false);
    expect(await offer('file:///etc/passwd')).toBe(false);
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(open).toHaveBeenCalledTimes(1);
  });
});

describe('isTrustedSender', () => {
  const sender = new FakeWebContents();
  const main = fakeFrame('app://terrarium/index.html');
  const event = (frame: SenderEvent['senderFrame'], from = sender) => ({ sender: from, senderFrame: frame });

  it("accepts the app's own main frame", () => {
    expect(isTrustedSender(event(main), APP_ORIGIN)).toBe(true);
    expect(isTrustedSender(event(fakeFrame('app://terrarium/index.html#/apps')))).toBe(true);
  });

  it.each([
    ['a sub-frame of the app', fakeFrame('app://terrarium/frame.html', main)],
    ['a foreign sub-frame', fakeFrame('https://evil.example/', main)],
    ['another origin', fakeFrame('https://evil.example/index.html')],
    ['a file: page', fakeFrame('file:///home/me/index.html')],
    ['a look-alike host', fakeFrame('app://terrarium.evil/index.html')],
    ['credentials in the URL', fakeFrame('app://x@terrarium/index.html')],
    ['another port', fakeFrame('app://terrarium:1/index.html')],
    ['about:blank', fakeFrame('about:blank')],
    ['an empty URL', fakeFrame('')],
  ])('rejects %s', (_what, frame) => {
    expect(isTrustedSender(event(frame), APP_ORIGIN)).toBe(false);
  });

  it('rejects a missing, destroyed or detached frame', () => {
    expect(isTrustedSender(event(null))).toBe(false);
    expect(isTrustedSender(event({ ...fakeFrame('app://terrarium/'), isDestroyed: () => true }))).toBe(false);
    expect(isTrustedSender(event({ ...fakeFrame('app://terrarium/'), detached: true }))).toBe(false);
  });

  it('rejects a frame that throws when read (disposed in Electron)', () => {
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      parent: null,
      detached: false,
      isDestroyed: () => false,
    };
    expect(isTrustedSender(event(disposed))).toBe(false);
  });

  it('rejects a destroyed sender', () => {
    const gone = new FakeWebContents();
    gone.destroyed = true;
    expect(isTrustedSender(event(main, gone))).toBe(false);
  });

  it("rejects the app's page in a WebContents that is not one of its windows", () => {
    const other = new FakeWebContents();
    const own = (c: FakeWebContents) => c.id === sender.id;
    expect(isTrustedSender(event(main), APP_ORIGIN, own)).toBe(true);
    expect(isTrustedSender(event(main, other), APP_ORIGIN, own)).toBe(false);
  });
});
