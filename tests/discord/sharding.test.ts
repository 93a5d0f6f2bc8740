/** FACTBOT_SHARDS: discord.js's ShardingManager runs each shard in its own process, against the fake. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardingManager } from "../../adapters/discord/start.js";
import { APP_ID, FakeDiscord } from "../../testkit/fake-discord.js";

const discord = new FakeDiscord();
beforeAll(() => discord.start());
afterAll(() => discord.stop());

describe("sharding", () => {
  it("spawns the shards, each logging in with its shard id and answering", async () => {
    process.env.DISCORD_APPLICATION_ID = APP_ID;
    process.env.DISCORD_API_URL = discord.apiUrl;
    const manager = shardingManager({ token: "shard-token", applicationId: APP_ID, apiUrl: discord.apiUrl, shards: 1 });
    try {
      await manager.spawn({ amount: 1, timeout: 25_000 });
      expect(manager.shards.size).toBe(1);
      const identify = discord.identifies[0] as { shard: [number, number]; token: string };
      expect(identify.shard).toEqual([0, 1]);
      const ref = discord.slash("ask", [{ name: "question", value: "what does csec stand for" }]);
      const callback = await discord.waitFor(() => discord.callback(ref), 10_000);
      expect(JSON.stringify(callback.body)).toContain("Commercial Sexual Exploitation of Children");
    } finally {
      for (const shard of manager.shards.values()) shard.kill();
      delete process.env.DISCORD_APPLICATION_ID;
      delete process.env.DISCORD_API_URL;
    }
  }, 40_000);
});
