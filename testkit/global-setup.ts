/** vitest globalSetup: one PostgreSQL for the whole run (unless FACTBOT_TEST_DATABASE_URL names one). */
import type { TestProject } from "vitest/node";
import { startPostgres } from "./postgres.js";

export default async function setup(project: TestProject) {
  if (process.env.FACTBOT_TEST_DATABASE_URL) {
    project.provide("databaseUrl", process.env.FACTBOT_TEST_DATABASE_URL);
    return;
  }
  const cluster = await startPostgres();
  project.provide("databaseUrl", cluster.url);
  return () => cluster.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
