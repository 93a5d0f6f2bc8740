// Runs a module of the project: the compiled JavaScript in dist/ when it is there and up to date (fast
// start: no TypeScript compiler at run time), else the TypeScript source through tsx. `npm ci` builds
// dist/ (the prepare script); editing a source file makes the launcher use the source until rebuilt.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stamp = join(root, "dist", ".built");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtAndFresh() {
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return ["src", "adapters"].every((d) => newestSource(join(root, d)) <= built);
}

/** Import `module` (a path like "src/cli/main", without extension) and return its exports. */
export async function load(module) {
  if (builtAndFresh()) return import(pathToFileURL(join(root, "dist", `${module}.js`)).href);
  const { register } = await import("tsx/esm/api");
  register();
  return import(pathToFileURL(join(root, `${module}.ts`)).href);
}

// `node bin/launch.js src/main [args]` runs a module's main(args) (npm start, discord:register).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2]) {
  const { main } = await load(process.argv[2]);
  await main(process.argv.slice(3));
}
