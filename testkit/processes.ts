/** Starting the bot as users do (`npm start`) in child processes, and waiting on what they serve. */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

export interface Started {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
}

const children: ChildProcess[] = [];

export function npmStart(env: Record<string, string>): Started {
  const child = spawn("npm", ["start"], { env: { ...process.env, ...env }, detached: true });
  children.push(child);
  const out = { stdout: "", stderr: "" };
  child.stdout?.on("data", (d) => {
    out.stdout += d;
  });
  child.stderr?.on("data", (d) => {
    out.stderr += d;
  });
  return { child, out };
}

/** Stop every process started here (SIGTERM to its group), and wait for them to exit. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    children.splice(0).map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || !c.pid) return resolve();
          c.once("exit", () => resolve());
          try {
            process.kill(-c.pid, "SIGTERM");
          } catch {
            resolve();
          }
        }),
    ),
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}
