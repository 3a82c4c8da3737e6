package chat.cli;

import chat.config.Config;
import chat.config.Settings;
import chat.testing.LocalRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A channel whose history the store lost, as a Redis restarted without its last second of writes loses it: tail
 * (pushed) and a polling follower say so, and show the channel from its start, the ids they had seen reused.
 */
@Timeout(90)
class HistoryResetTest {
    private static final String RESET = "(general: channel history was reset; showing it from the start)";

    @TempDir
    Path configDir;

    /** What the Redis holds after a restart that lost the newest {@code lost} of the channel's messages. */
    private static void loseNewest(LocalRedis redis, String channel, int lost, long lastKept, boolean cutPubSub) {
        URI address = URI.create(redis.url());
        try (Jedis jedis = new Jedis(address.getHost(), address.getPort())) {
            jedis.set("chat:channel:{" + channel + "}:last", Long.toString(lastKept));
            jedis.rpop("chat:channel:{" + channel + "}:messages", lost);
            if (cutPubSub) { // as the restart would: the replica looks at its channels once it is back
                jedis.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
            }
        }
    }

    @Test
    void tailSaysTheHistoryWasResetAndShowsTheChannelFromItsStart() throws Exception {
        try (LocalRedis redis = LocalRedis.start();
             CliHarness chat = new CliHarness(configDir, Config.defaults().with(Settings.STORE, redis.url()));
             ChatClient bob = new ChatClient(chat.url())) {
            assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
            long key = bob.logon("bob", "pw");
            bob.create(key, "general");
            try (CliHarness.Background tail = chat.inBackground("tail", "general")) {
                for (int id = 1; id <= 3; id++) {
                    bob.post(key, "general", "m" + id);
                }
                tail.awaitOut("[3] bob: m3", "the first three");
                loseNewest(redis, "general", 2, 1, true); // 2 and 3 never happened
                tail.awaitErr(RESET, "tail to say the history was reset");
                bob.post(key, "general", "the new 2");
                tail.awaitOut("[2] bob: the new 2", "the new history going on");
                assertEquals("[1] bob: m1\n[2] bob: m2\n[3] bob: m3\n[1] bob: m1\n[2] bob: the new 2",
                        CliHarness.untimed(tail.out().strip()), "the lost history, then the new one from its start; " + tail);
            }
        }
    }

    @Test
    void aPollingFollowerSeesTheNewestIdGoBackSaysSoAndReadsFromTheStart() throws Exception {
        try (LocalRedis redis = LocalRedis.start();
             CliHarness chat = new CliHarness(configDir, Config.defaults().with(Settings.STORE, redis.url()));
             ChatClient client = new ChatClient(chat.url())) {
            long key = client.logon("alice", "pw");
            client.create(key, "general");
            for (int id = 1; id <= 3; id++) {
                client.post(key, "general", "m" + id);
            }
            ChannelFollower follower = new ChannelFollower(client, key, "general", 0);
            assertEquals(3, follower.poll().size());
            loseNewest(redis, "general", 2, 1, false);
            client.post(key, "general", "the new 2");
            assertEquals(List.of(RESET, "[1] alice: m1", "[2] alice: the new 2"),
                    follower.poll().stream().map(ChannelFollower.Line::display).map(CliHarness::untimed).toList());
            client.post(key, "general", "the new 3");
            assertEquals(List.of("[3] alice: the new 3"),
                    follower.poll().stream().map(ChannelFollower.Line::display).map(CliHarness::untimed).toList(), "and goes on");
        }
    }
}
