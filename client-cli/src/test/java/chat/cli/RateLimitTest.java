package chat.cli;

import chat.cli.CliHarness.Run;
import chat.config.Config;
import chat.config.Rate;
import chat.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands against a server that throttles them (issue 14): a reading command waits out the Retry-After and
 * succeeds; a post, which may not be repeated blindly, fails at once with the server's reason.
 */
@Timeout(60)
class RateLimitTest {
    private static final Pattern RETRYING = Pattern.compile("rate limited: [^\\n]*; retrying in \\d+ s");

    @TempDir
    Path configDir;

    /** The real server with none of its clients exempt from the limits (loopback is, by default). */
    private static Config.Builder throttling() {
        return Config.defaults().with(Settings.CLIENT_LIMIT_EXEMPT, "");
    }

    private static void assertExit(int expected, Run run) {
        assertEquals(expected, run.exitCode(), run.toString());
    }

    private static int retryNotices(String err) {
        int count = 0;
        for (Matcher matcher = RETRYING.matcher(err); matcher.find(); ) {
            count++;
        }
        return count;
    }

    private long aliceKey(CliHarness chat) {
        return new SessionFile(configDir).require(chat.url()).sesskey();
    }

    /** Spends alice's call tokens until the server refuses one; a refused create takes its token all the same. */
    private static void emptyTheCallBucket(CliHarness chat, long key) {
        try (ChatClient alice = new ChatClient(chat.url())) {
            while (true) {
                try {
                    alice.create(key, "general"); // exists already: refused, but charged
                } catch (CliException refused) {
                    if ("RATE_LIMITED".equals(refused.errorCode())) {
                        return;
                    }
                }
            }
        }
    }

    @Test
    void aReadingCommandMadeWhenTheBucketIsEmptyWaitsOutTheRetryAfterAndSucceeds() throws Exception {
        // One token back every 2 s: a Retry-After of 1 or 2 s.
        try (CliHarness chat = new CliHarness(configDir,
                throttling().with(Settings.RATE_CALLS, new Rate(2, Duration.ofSeconds(2))))) {
            assertExit(ExitCode.OK, chat.logon("alice", "pw"));
            assertExit(ExitCode.OK, chat.chat("create", "general"));
            long key = aliceKey(chat);
            // The command must come before a token is back; on a stalled machine it may not, so empty the bucket
            // again and ask again until it did (each round proves nothing by itself unless the command waited).
            Run channels = CliHarness.await("a `channels` that found the bucket empty", () -> {
                emptyTheCallBucket(chat, key);
                return chat.chat("channels");
            }, run -> run.exitCode() != ExitCode.OK || retryNotices(run.err()) > 0);

            assertExit(ExitCode.OK, channels);
            assertEquals("general", channels.out().strip(), channels.toString());
            assertEquals(1, retryNotices(channels.err()), "one wait, and the token was back: " + channels);
            assertTrue(channels.err().contains("rate limited: this session has made calls too fast; try again in "),
                    "the server's reason: " + channels);
            assertFalse(channels.err().contains("error:"), channels.toString());
        }
    }

    @Test
    void aPostPastTheLimitFailsWithTheServersReasonAndIsNotRetried() {
        // A token back only after 30 s: a post retried after its Retry-After would show, as a second message and
        // a test that runs 30 s, and a retry is within LONGEST_RETRY_WAIT, so the client could make it.
        try (CliHarness chat = new CliHarness(configDir,
                throttling().with(Settings.RATE_POSTS, new Rate(1, Duration.ofSeconds(30))))) {
            assertExit(ExitCode.OK, chat.logon("alice", "pw"));
            assertExit(ExitCode.OK, chat.chat("create", "general"));
            assertExit(ExitCode.OK, chat.chat("post", "general", "first"));

            Run second = chat.chat("post", "general", "second");
            assertExit(ExitCode.REFUSED, second);
            assertTrue(second.err().startsWith("error: this session has posted too fast; try again in "),
                    "the server's reason, saying when: " + second);
            assertEquals(0, retryNotices(second.err()), "no retry: " + second);
            assertEquals("", second.out(), second.toString());

            Run last = chat.chat("last", "general");
            assertExit(ExitCode.OK, last);
            assertEquals("1", last.out().strip(), "only the first post landed: " + last);
        }
    }

    @Test
    void aReadingCommandAskedToWaitLongerThanItWouldFailsAtOnceWithTheReason() {
        // A Retry-After of about 5 min, past LONGEST_RETRY_WAIT: the command says when to try again instead.
        try (CliHarness chat = new CliHarness(configDir,
                throttling().with(Settings.RATE_CALLS, new Rate(1, Duration.ofMinutes(5))))) {
            assertExit(ExitCode.OK, chat.logon("alice", "pw"));
            assertExit(ExitCode.OK, chat.chat("channels")); // the one token

            Run channels = chat.chat("channels");
            assertExit(ExitCode.REFUSED, channels);
            assertTrue(channels.err().startsWith("error: this session has made calls too fast; try again in 5 min"),
                    channels.toString());
            assertEquals(0, retryNotices(channels.err()), "no wait: " + channels);
        }
    }

    @Test
    void aCallRefusedOnAndOnIsTriedAFewTimesAndThenTheRefusalStands() throws Exception {
        try (CliHarness chat = new CliHarness(configDir);
             NoWebSocketProxy proxy = new NoWebSocketProxy(chat.url())) {
            Run logon = CliHarness.chatWith(proxy.url(), configDir, "logon", "alice", "--password-env", "pw");
            assertExit(ExitCode.OK, logon);

            proxy.refuseNext(Integer.MAX_VALUE, 1);
            Run channels = CliHarness.chatWith(proxy.url(), configDir, "channels");
            assertExit(ExitCode.REFUSED, channels);
            assertEquals(ChatClient.THROTTLED_RETRIES, retryNotices(channels.err()), channels.toString());
            assertTrue(channels.err().contains("error: refused by the test's proxy; try again in 1 s"),
                    channels.toString());
            assertEquals(1 + ChatClient.THROTTLED_RETRIES, proxy.refused(), "the first try and each retry");

            Run again = CliHarness.chatWith(proxy.url(), configDir, "logon", "alice", "--password-env", "pw");
            assertExit(ExitCode.REFUSED, again);
            assertEquals(0, retryNotices(again.err()), "a logon is not retried: " + again);
            assertEquals(2 + ChatClient.THROTTLED_RETRIES, proxy.refused(), "one logon, tried once");
        }
    }

    @Test
    void tailSubscribesAgainOverTheWebSocketOnceTheRetryAfterIsOver() throws Exception {
        // Two tokens, one back every 8 s: alice spends one on `channels`, tail's lastmessage the other, and its
        // subscribe, over the WebSocket, is refused with a retry_after of up to 8 s. (Long enough that no token is
        // back before the subscribe even on a machine that stalls for seconds; short enough for the 30 s patience.)
        try (CliHarness chat = new CliHarness(configDir,
                throttling().with(Settings.RATE_CALLS, new Rate(2, Duration.ofSeconds(8))));
             ChatClient bob = new ChatClient(chat.url())) {
            long bobs = bob.logon("bob", "pw");
            bob.create(bobs, "general");
            bob.post(bobs, "general", "before tail");
            assertExit(ExitCode.OK, chat.logon("alice", "pw"));
            assertExit(ExitCode.OK, chat.chat("channels"));
            try (CliHarness.Background tail = chat.inBackground("tail", "general")) {
                tail.awaitErr("rate limited: this session has made calls too fast", "tail to say it waits");
                tail.awaitOut("[1] bob: before tail", "the backlog, once subscribed");
                assertTrue(RETRYING.matcher(tail.err()).find(), tail.toString());
                assertFalse(tail.err().contains("error:"), "following goes on: " + tail);
            }
        }
    }
}
