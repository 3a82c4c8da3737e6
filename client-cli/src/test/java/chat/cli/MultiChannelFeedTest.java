package chat.cli;

import chat.config.Config;
import chat.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One feed following several channels over one WebSocket of the real server, as join does. */
@Timeout(60)
class MultiChannelFeedTest {
    @TempDir
    Path configDir;

    /** Records what the feed hears, as "channel id text" and the notices and refusals as said. */
    private static final class Heard implements FeedListener {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<String> refusals = new CopyOnWriteArrayList<>();

        @Override
        public void message(String channel, Message message) {
            messages.add(channel + " " + message.id() + " " + message.text());
        }

        @Override
        public void notice(String text) {
        }

        @Override
        public void refused(String channel, String reason, String errorCode) {
            refusals.add(channel + " " + errorCode);
        }
    }

    @Test
    void eachChannelsMessagesComeNamedByTheirChannelAndALeftOneStops() throws Exception {
        try (CliHarness chat = new CliHarness(configDir); ChatClient alice = new ChatClient(chat.url())) {
            long key = alice.logon("alice", "pw");
            alice.create(key, "general");
            alice.create(key, "random");
            alice.post(key, "random", "backlog");
            Heard heard = new Heard();
            try (ChannelFeed feed = new ChannelFeed(alice, key, heard)) {
                assertEquals(0, feed.follow("general", 10));
                assertEquals(1, feed.follow("random", 10));
                feed.start();
                CliHarness.await("the backlog", () -> heard.messages, seen -> seen.contains("random 1 backlog"));
                alice.post(key, "general", "g1");
                alice.post(key, "random", "r2");
                CliHarness.await("both", () -> heard.messages, seen -> seen.size() == 3);
                assertEquals(List.of("random 1 backlog", "general 1 g1", "random 2 r2"), heard.messages);

                feed.unfollow("random");
                alice.post(key, "random", "not followed");
                alice.post(key, "general", "g2"); // the sentinel: random's would come before it
                CliHarness.await("general's next", () -> heard.messages, seen -> seen.contains("general 2 g2"));
                assertEquals(List.of("random 1 backlog", "general 1 g1", "random 2 r2", "general 2 g2"), heard.messages);
            }
        }
    }

    @Test
    void aChannelOverTheSubscriptionLimitIsRefusedAndTheOthersGoOn() throws Exception {
        Config.Builder oneChannel = Config.defaults().with(Settings.WS_MAX_SUBSCRIPTIONS, 1);
        try (CliHarness chat = new CliHarness(configDir, oneChannel); ChatClient alice = new ChatClient(chat.url())) {
            long key = alice.logon("alice", "pw");
            alice.create(key, "general");
            alice.create(key, "random");
            Heard heard = new Heard();
            try (ChannelFeed feed = new ChannelFeed(alice, key, heard)) {
                feed.follow("general", 10);
                feed.follow("random", 10);
                feed.start();
                CliHarness.await("the refusal", () -> heard.refusals, seen -> !seen.isEmpty());
                assertEquals(List.of("random LIMIT_REACHED"), heard.refusals);
                alice.post(key, "general", "still here");
                CliHarness.await("general's message", () -> heard.messages, seen -> !seen.isEmpty());
                assertEquals(List.of("general 1 still here"), heard.messages);
            }
        }
    }
}
