/**
 * The Discord adapter: a discord.js Client with only non-privileged intents. Mentions and DMs carry
 * their content without MessageContent. It translates interactions and messages into engine calls and
 * Replies into embeds; it adds no words to answers and never quotes what a user wrote.
 */
import {
  ChannelType,
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  Partials,
} from "discord.js";
import { type Health, InFlight, LastAnswers } from "../../src/adapter.js";
import { respond } from "../../src/engine/commands.js";
import type { Engine } from "../../src/engine/engine.js";
import type { Reply } from "../../src/engine/reply.js";
import { describeError, hashId, type Logger } from "../../src/log.js";
import { messageMenuCommands, slashCommands } from "./commands/index.js";
import type { CommandContext } from "./commands/types.js";
import type { DiscordConfig } from "./config.js";
import { CUSTOM_ID, renderReply } from "./embeds.js";

export interface DiscordAdapterOptions {
  engine: Engine;
  config: Pick<DiscordConfig, "apiUrl">;
  log: Logger;
  health?: Health;
}

/**
 * Gateway close codes after which Discord will not take the bot back without a change on our side:
 * a rejected or revoked token, an invalid shard or sharding, an invalid API version, disallowed
 * intents. discord.js does not reconnect after these.
 */
const FATAL_CLOSE_CODES = new Set([4004, 4010, 4011, 4012, 4013, 4014]);

const inFlight = new WeakMap<Client, InFlight>();

/** Graceful stop: let the interactions and replies in flight finish, then close the gateway cleanly. */
export async function stopDiscordClient(client: Client): Promise<void> {
  await inFlight.get(client)?.drained();
  await client.destroy();
}

export function createDiscordClient({ engine, config, log, health }: DiscordAdapterOptions): Client {
  const last = new LastAnswers();
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    allowedMentions: { parse: [], repliedUser: false },
    ...(config.apiUrl ? { rest: { api: config.apiUrl } } : {}),
  });

  const record = (event: string, reply: Reply, started: number, userId?: string) =>
    log.info({
      event,
      adapter: "discord",
      kind: reply.kind,
      factId: reply.factId,
      rule: reply.rule,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      user: hashId(userId),
    });
  const ctx: CommandContext = { engine, log, record };
  const failed = (event: string, err: unknown) => log.error({ event, adapter: "discord", error: describeError(err) });

  const work = new InFlight();
  inFlight.set(client, work);
  const onInteraction = async (interaction: Interaction) => {
    const expired = () =>
      interaction.isRepliable()
        ? interaction.reply({ content: engine.knowledge.replies.expired, flags: MessageFlags.Ephemeral })
        : Promise.resolve();
    try {
      if (interaction.isChatInputCommand()) {
        const command = slashCommands.find((c) => c.data.name === interaction.commandName);
        if (!command) {
          log.warn({ event: "unknown_id", adapter: "discord", kind: "command" });
          await expired();
          return;
        }
        await command.execute(interaction, ctx);
      } else if (interaction.isAutocomplete()) {
        await slashCommands.find((c) => c.data.name === interaction.commandName)?.autocomplete(interaction, ctx);
      } else if (interaction.isMessageContextMenuCommand()) {
        await messageMenuCommands.find((c) => c.data.name === interaction.commandName)?.execute(interaction, ctx);
      } else if (interaction.isButton()) {
        const started = performance.now();
        const [kind = "", ...rest] = interaction.customId.split(":");
        if (kind === "feedback") {
          const [verdict, value] = rest;
          // only an id the base knows is logged: a forged custom id is user-controlled text
          const factId = value && engine.fact(value) ? value : "unknown";
          log.info({
            event: "feedback",
            adapter: "discord",
            helpful: verdict === "helpful",
            factId,
            user: hashId(interaction.user.id),
          });
          await interaction.reply({ content: "Thanks, your feedback was noted.", flags: MessageFlags.Ephemeral });
          return;
        }
        const reply = engine.fact(rest.join(":"));
        if (reply && kind === CUSTOM_ID.share) {
          await interaction.reply(renderReply(reply));
          record("share", reply, started, interaction.user.id);
        } else if (reply && kind === CUSTOM_ID.related) {
          await interaction.reply(renderReply(reply, { ephemeral: true, share: true }));
          record("related", reply, started, interaction.user.id);
        } else {
          // an old message's button, a topic since removed, or a forged id: answered at once
          log.warn({ event: "unknown_id", adapter: "discord", kind: "button" });
          await expired();
        }
      }
    } catch (err) {
      failed("interaction", err);
    }
  };

  const onMessage = async (message: Message) => {
    if (message.author.bot || message.system) return;
    const isDM = message.channel.type === ChannelType.DM;
    const me = client.user;
    if (!isDM && !(me && message.mentions.users.has(me.id))) return;
    const started = performance.now();
    const conversation = `${message.channelId}:${message.author.id}`;
    const reply = respond(engine, message.content, engine.region, last.get(conversation));
    last.remember(conversation, reply);
    try {
      // A reply to the message, which it never quotes; nobody is pinged.
      await message.reply(renderReply(reply));
      record(isDM ? "direct_message" : "mention", reply, started, message.author.id);
    } catch (err) {
      failed(isDM ? "direct_message" : "mention", err);
    }
  };

  client.on(Events.InteractionCreate, (interaction: Interaction) => work.track(onInteraction(interaction)));
  client.on(Events.MessageCreate, (message: Message) => work.track(onMessage(message)));

  client.on(Events.ShardDisconnect, (event, shardId) => {
    if (FATAL_CLOSE_CODES.has(event.code)) {
      log.error({ event: "gateway_closed", adapter: "discord", shard: shardId, code: event.code });
      health?.fail(
        "discord",
        `gateway closed ${event.code} (DISCORD_TOKEN rejected or revoked, or intents disallowed)`,
      );
    } else log.warn({ event: "gateway_disconnect", adapter: "discord", shard: shardId, code: event.code });
  });
  client.on(Events.ShardResume, (shardId) =>
    log.info({ event: "gateway_resumed", adapter: "discord", shard: shardId }),
  );
  client.on(Events.Error, (err) => failed("client_error", err));
  return client;
}
