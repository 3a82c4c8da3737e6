package chat.cli;

import chat.config.Config;
import chat.config.Rate;
import chat.config.Settings;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** tail from a server without /ws: the feed falls back to polling, with what push gives otherwise. */
@Timeout(60)
class ChannelFeedTest {
    @TempDir
    Path configDir;

    @Test
    void withoutAWebSocketTailPollsAndShowsEachMessageOnce() throws Exception {
        try (CliHarness chat = new CliHarness(configDir);
             NoWebSocketProxy proxy = new NoWebSocketProxy(chat.url());
             ChatClient bob = new ChatClient(chat.url())) {
            logOnAlice(proxy);
            long key = bob.logon("bob", "pw");
            bob.create(key, "general");
            bob.post(key, "general", "before tail");
            try (CliHarness.Background tail = new CliHarness.Background(proxy.url(), configDir, "tail", "general")) {
                tail.awaitOut("[1] bob: before tail", "the backlog");
                bob.post(key, "general", "while polled");
                tail.awaitOut("[2] bob: while polled", "a message found by polling");
                // The sentinel for "nothing doubled": a poll asks only for ids after the last one shown.
                bob.post(key, "general", "one more");
                tail.awaitOut("[3] bob: one more", "the message after it");
                assertEquals("[1] bob: before tail\n[2] bob: while polled\n[3] bob: one more",
                        withoutTimes(tail.out().strip()), "each once, in order; " + tail);
                assertEquals("", tail.err(), "falling back to polling is silent; " + tail);
            }
        }
    }

    @Test
    void withoutAWebSocketTailEndsWhenTheSessionEnds() throws Exception {
        try (CliHarness chat = new CliHarness(configDir);
             NoWebSocketProxy proxy = new NoWebSocketProxy(chat.url())) {
            logOnAlice(proxy);
            assertEquals(ExitCode.OK, CliHarness.chatWith(proxy.url(), configDir, "create", "general").exitCode());
            assertEquals(ExitCode.OK, CliHarness.chatWith(proxy.url(), configDir, "post", "general", "hi").exitCode());
            try (CliHarness.Background tail = new CliHarness.Background(proxy.url(), configDir, "tail", "general")) {
                tail.awaitOut("[1] alice: hi", "the backlog");
                CliHarness.Run logoff = CliHarness.chatWith(proxy.url(), configDir, "logoff");
                assertEquals(ExitCode.OK, logoff.exitCode(), logoff.toString());
                tail.awaitErr("error: your session has ended or expired; log on again", "tail to say why it ends");
            }
        }
    }

    @Test
    void aThrottledPollIsWaitedOutAndFollowingGoesOn() throws Exception {
        // Polls once a second, a token back every 2 s: the polls soon find the bucket empty.
        Config.Builder throttling = Config.defaults().with(Settings.CLIENT_LIMIT_EXEMPT, "")
                .with(Settings.RATE_CALLS, new Rate(2, Duration.ofSeconds(2)));
        try (CliHarness chat = new CliHarness(configDir, throttling);
             NoWebSocketProxy proxy = new NoWebSocketProxy(chat.url());
             ChatClient bob = new ChatClient(chat.url())) {
            logOnAlice(proxy);
            long key = bob.logon("bob", "pw");
            bob.create(key, "general"); // bob's first token; his post below is his second, so it is never refused
            try (CliHarness.Background tail = new CliHarness.Background(proxy.url(), configDir, "tail", "general")) {
                tail.awaitErr("rate limited: this session has made calls too fast", "a poll to be throttled");
                bob.post(key, "general", "while throttled");
                tail.awaitOut("[1] bob: while throttled", "the message, found once the wait was over");
                assertFalse(tail.err().contains("error:"), "a throttled poll is no failure; " + tail);
            }
        }
    }

    @Test
    void whenTheClientGivesUpOnAThrottledPollTheNextPollComesAfterTheRetryAfter() throws Exception {
        try (CliHarness chat = new CliHarness(configDir);
             NoWebSocketProxy proxy = new NoWebSocketProxy(chat.url());
             ChatClient bob = new ChatClient(chat.url())) {
            logOnAlice(proxy);
            long key = bob.logon("bob", "pw");
            bob.create(key, "general");
            bob.post(key, "general", "before tail");
            try (CliHarness.Background tail = new CliHarness.Background(proxy.url(), configDir, "tail", "general")) {
                tail.awaitOut("[1] bob: before tail", "the backlog");
                // One poll's call, refused as often as the client tries it: its retries, then the feed's own wait.
                int refusals = 1 + ChatClient.THROTTLED_RETRIES;
                proxy.refuseNext(refusals, 1);
                CliHarness.await("the proxy to refuse " + refusals + " calls", proxy::refused, n -> n == refusals);
                bob.post(key, "general", "after the wait");
                tail.awaitOut("[2] bob: after the wait", "polling to go on");
                assertEquals(refusals, tail.err().lines().filter(line -> line.contains("; retrying in 1 s")).count(),
                        "a notice for each wait: the client's, then the feed's; " + tail);
                assertFalse(tail.err().contains("error:"), "a throttled poll is no failure; " + tail);
            }
        }
    }

    @Test
    void tailWithJsonPrintsEachMessageAsTheServerSentIt() throws Exception {
        try (CliHarness chat = new CliHarness(configDir); ChatClient bob = new ChatClient(chat.url())) {
            assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
            long key = bob.logon("bob", "pw");
            bob.create(key, "general");
            bob.post(key, "general", "as sent \u001b[2J");
            try (CliHarness.Background tail = chat.inBackground("tail", "general", "--json")) {
                tail.awaitOut("}", "the message as JSON");
                // Every field the server gave (issue 18's time among them, where it sends one), and no other.
                assertEquals(bob.retrieveRaw(key, "general", 1, 1).getAsJsonArray().get(0),
                        JsonParser.parseString(tail.out().strip()), tail.toString());
            }
        }
    }

    /** Lines as a server without message times shows them: a leading local time ("14:03 ") taken off. */
    static String withoutTimes(String lines) {
        return lines.replaceAll("(?m)^(\\d{4}-\\d{2}-\\d{2} )?\\d{2}:\\d{2} ", "");
    }

    private void logOnAlice(NoWebSocketProxy proxy) {
        CliHarness.Run logon = CliHarness.chatWith(proxy.url(), configDir, "logon", "alice", "--password-env", "pw");
        assertEquals(ExitCode.OK, logon.exitCode(), logon.toString());
    }
}
