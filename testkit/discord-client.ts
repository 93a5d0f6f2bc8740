/** A real discord.js Client from the adapter, logged in to the fake Discord and ready. */
import type { Client } from "discord.js";
import { createDiscordClient, type DiscordAdapterOptions } from "../adapters/discord/client.js";
import type { FakeDiscord } from "./fake-discord.js";

export async function loggedInClient(
  discord: FakeDiscord,
  options: Omit<DiscordAdapterOptions, "config">,
): Promise<Client> {
  const client = createDiscordClient({ ...options, config: { apiUrl: discord.apiUrl } });
  const ready = new Promise<void>((resolve) => client.once("clientReady", () => resolve()));
  await client.login("fake-token");
  await ready;
  return client;
}
