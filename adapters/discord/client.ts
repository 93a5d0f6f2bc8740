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
import { type Health, InFlight, LastAnswers, questionGate, requestLog } from "../../src/adapter.js";
import { BoundedMap } from "../../src/bounded-map.js";
import { Communities } from "../../src/communities.js";
import type { Engine } from "../../src/engine/engine.js";
import { describeError, type Logger } from "../../src/log.js";
import type { Metrics } from "../../src/metrics.js";
import type { RateLimiter } from "../../src/rate-limit.js";
import type { Store } from "../../src/store/store.js";
import { answerOnDiscord } from "./answer.js";
import { messageMenuCommands, slashCommands } from "./commands/index.js";
import type { CommandContext } from "./commands/types.js";
import { decodeId } from "./components/ids.js";
import { buttons } from "./components/index.js";
import type { DiscordConfig } from "./config.js";
import { renderReply } from "./embeds.js";

export interface DiscordAdapterOptions {
  engine: Engine;
  config: Pick<DiscordConfig, "apiUrl"> & Partial<Pick<DiscordConfig, "shardIds" | "shardCount">>;
  log: Logger;
  health?: Health;
  metrics?: Metrics;
  /** questions per member per server and minute; an urgent reply is never withheld */
  rateLimit?: RateLimiter;
  /** settings, counters and unanswered questions per server; without it, the environment's settings */
  store?: Store;
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

export function createDiscordClient({
  engine,
  config,
  log,
  health,
  metrics,
  rateLimit,
  store,
}: DiscordAdapterOptions): Client {
  const last = new LastAnswers();
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    allowedMentions: { parse: [], repliedUser: false },
    ...(config.apiUrl ? { rest: { api: config.apiUrl } } : {}),
    // a range of the bot's shards in this process (FACTBOT_SHARD_IDS of FACTBOT_SHARD_COUNT), so shards
    // can run on several machines; without them, one shard or discord.js's own choice
    ...(config.shardIds && config.shardCount
      ? { shards: config.shardIds as readonly number[], shardCount: config.shardCount as number }
      : {}),
  });

  const requests = requestLog(log, "discord", metrics);
  const gate = questionGate(engine, rateLimit, metrics, "discord");
  const communities = new Communities(engine, log, store, metrics);
  const lastQuestions = new BoundedMap<string, string>(10_000);
  const ctx: CommandContext = { engine, log, gate, communities, last, lastQuestions, ...requests };
  const { record, failed } = requests;

  const work = new InFlight();
  inFlight.set(client, work);
  const unknown = async (interaction: Interaction, kind: string) => {
    // an old message's button, a removed command, or a forged id: answered at once
    log.warn({ event: "unknown_id", adapter: "discord", kind });
    if (interaction.isRepliable())
      await interaction.reply({ content: engine.knowledge.replies.expired, flags: MessageFlags.Ephemeral });
  };
  const onInteraction = async (interaction: Interaction) => {
    try {
      if (interaction.isChatInputCommand()) {
        const command = slashCommands.get(interaction.commandName);
        await (command ? command.execute(interaction, ctx) : unknown(interaction, "command"));
      } else if (interaction.isAutocomplete()) {
        await slashCommands.get(interaction.commandName)?.autocomplete(interaction, ctx);
      } else if (interaction.isMessageContextMenuCommand()) {
        const command = messageMenuCommands.get(interaction.commandName);
        await (command ? command.execute(interaction, ctx) : unknown(interaction, "command"));
      } else if (interaction.isButton()) {
        const { prefix, value } = decodeId(interaction.customId);
        const component = buttons.get(prefix);
        await (component ? component.execute(interaction, value, ctx) : unknown(interaction, "button"));
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
    const event = isDM ? "direct_message" : "mention";
    const { reply, regions } = await answerOnDiscord(ctx, client, {
      guild: message.guildId,
      channel: message.channelId,
      user: message.author.id,
      message: message.id,
      text: message.content,
      conversation: `${message.channelId}:${message.author.id}`,
      private: isDM,
    });
    const payload = renderReply(reply, engine.knowledge.replies, { regions });
    try {
      // An urgent reply to a mention goes by direct message, with a neutral line in the channel; if the
      // member's direct messages are closed, it is posted as the reply (which never quotes them).
      if (!isDM && reply.kind === "urgent") {
        const dm = await message.author
          .send(payload)
          .then(() => true)
          .catch((err: unknown) => {
            log.warn({ event: "dm_closed", adapter: "discord", error: describeError(err) });
            return false;
          });
        if (dm) {
          await message.reply({
            content: engine.knowledge.replies.alerts.sent_privately,
            allowedMentions: { parse: [], repliedUser: false },
          });
          record("mention_dm", reply, started, { user: message.author.id, team: message.guildId ?? undefined });
          return;
        }
      }
      // A reply to the message, which it never quotes; nobody is pinged.
      await message.reply(payload);
      record(event, reply, started, { user: message.author.id, team: message.guildId ?? undefined });
    } catch (err) {
      failed(event, err);
    }
  };

  client.on(Events.InteractionCreate, (interaction: Interaction) => work.track(onInteraction(interaction)));
  client.on(Events.MessageCreate, (message: Message) => work.track(onMessage(message)));

  // Honest health: serving only while every shard of this process is ready.
  const waiting = new Set<number>();
  const shardDown = (shardId: number, reason: string) => {
    waiting.add(shardId);
    health?.disconnected("discord", `shard ${shardId} ${reason}`);
  };
  const shardUp = (shardId: number) => {
    waiting.delete(shardId);
    if (waiting.size === 0) health?.connected("discord");
  };
  client.on(Events.ShardReady, (shardId) => shardUp(shardId));
  client.on(Events.ShardResume, (shardId) => shardUp(shardId));
  client.on(Events.ShardReconnecting, (shardId) => shardDown(shardId, "reconnecting"));
  client.on(Events.ShardDisconnect, (event, shardId) => {
    if (!FATAL_CLOSE_CODES.has(event.code)) shardDown(shardId, `disconnected (${event.code})`);
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
