/**
 * GET /healthz and GET /metrics: on PORT beside Slack's endpoint in Slack HTTP mode, and on their own
 * HEALTH_PORT in every other mode (Socket Mode, Discord), so any deployment can be watched.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Health } from "./adapter.js";
import type { Metrics } from "./metrics.js";

/** Handles /healthz and /metrics; false for any other path (the caller answers it). */
export function serveHealth(
  req: IncomingMessage,
  res: ServerResponse,
  health: Health | undefined,
  metrics: Metrics | undefined,
): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (req.method !== "GET" || (path !== "/healthz" && path !== "/metrics")) return false;
  if (path === "/healthz") {
    const ok = health?.ok ?? true;
    res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
    res.end(JSON.stringify(ok ? { ok } : { ok, failing: health?.reasons() }));
    return true;
  }
  if (!metrics) {
    res.writeHead(404);
    res.end();
    return true;
  }
  metrics.text().then(
    (body) => {
      res.writeHead(200, { "content-type": metrics.contentType });
      res.end(body);
    },
    () => {
      res.writeHead(500);
      res.end();
    },
  );
  return true;
}

export async function startHealthServer(port: number, health: Health, metrics: Metrics): Promise<Server> {
  const server = createServer((req, res) => {
    if (!serveHealth(req, res, health, metrics)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });
  return server;
}
