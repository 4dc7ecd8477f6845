/** A real HTTP server on 127.0.0.1 for URL installs, and a URL nothing listens on. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 (a free port) with `handler`; close it when done. */
export async function startServer(handler: http.RequestListener): Promise<TestServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A URL on 127.0.0.1 whose port nothing listens on (a server was bound there and closed). */
export async function closedPortUrl(file = 'app.wasm'): Promise<string> {
  const s = await startServer((_req, res) => res.end());
  await s.close();
  return `${s.url}/${file}`;
}
