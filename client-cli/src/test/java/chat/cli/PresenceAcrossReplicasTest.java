package chat.cli;

import chat.config.Config;
import chat.config.Settings;
import chat.server.ChatServer;
import chat.testing.LocalRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18's "done when": two users in tmux, each joined through another replica on one Redis, see each other's
 * messages with their times, who is present, and join and leave lines (dimmed).
 */
@Timeout(120)
class PresenceAcrossReplicasTest {
    /** A message line as join shows it: the local time, then the channel, id, name and text. */
    private static final Pattern TIMED_LINE = Pattern.compile("(?m)^\\d\\d:\\d\\d #general \\[1] bob: hi alice\\s*$");

    @TempDir
    Path folder;
    private LocalRedis redis;
    private CliHarness replicaA;
    private ChatServer replicaB;
    private TmuxSessions tmux;

    @BeforeEach
    void start() throws Exception {
        redis = LocalRedis.start();
        // A short grace, so that bob's leave is announced soon after he quits (a reconnect within it is no leave).
        Config.Builder onRedis = Config.defaults().with(Settings.STORE, redis.url())
                .with(Settings.PRESENCE_GRACE, Duration.ofMillis(500));
        replicaA = new CliHarness(folder.resolve("alice"), onRedis);
        replicaB = ChatServer.start(onRedis.with(Settings.PORT, 0).with(Settings.BCRYPT_COST, 4).build());
        tmux = new TmuxSessions(folder);
    }

    @AfterEach
    void stop() throws Exception {
        tmux.close();
        replicaA.close();
        replicaB.close();
        redis.close();
    }

    @Test
    void twoUsersOnTwoReplicasSeeEachOthersTimesPresenceAndJoinAndLeaveLines() throws Exception {
        Path bobDir = folder.resolve("bob");
        assertEquals(ExitCode.OK, replicaA.logon("alice", "pw").exitCode());
        assertEquals(ExitCode.OK, CliHarness.chatWith(replicaB.url(), bobDir, "logon", "bob", "--password-env", "pw")
                .exitCode());
        assertEquals(ExitCode.OK, replicaA.chat("create", "general").exitCode());

        tmux.startChat("alice", replicaA.url(), replicaA.configDir, Map.of(), "join", "general");
        awaitPrompt("alice");
        tmux.startChat("bob", replicaB.url(), bobDir, Map.of(), "join", "general");
        awaitPrompt("bob");
        String alice = tmux.awaitScreen("alice", "bob's join, from the other replica",
                screen -> Pattern.compile("(?m)^\\d\\d:\\d\\d #general bob joined").matcher(screen).find());
        String attributed = tmux.screenWithAttributes("alice");
        assertTrue(styleBefore(attributed, "bob joined").matches("\u001b\\[([0-9;]*;)?2(;[0-9;]*)?m"),
                "the join line dimmed (faint):\n" + attributed.replace("\u001b", "ESC"));

        tmux.enter("bob", "hi alice");
        alice = tmux.awaitScreen("alice", "bob's message with its time",
                screen -> TIMED_LINE.matcher(screen).find());
        String bob = tmux.awaitScreen("bob", "his own message with the same time",
                screen -> screen.contains("#general [1] bob: hi alice"));
        assertEquals(timeOf(alice), timeOf(bob), "one time, whichever replica shows it:\n" + alice + "\n" + bob);

        tmux.enter("alice", "/who");
        tmux.awaitScreen("alice", "who is here, across both replicas",
                screen -> screen.contains("#general: 2 here: alice, bob"));
        tmux.enter("bob", "/who");
        tmux.awaitScreen("bob", "who is here, seen from the other replica",
                screen -> screen.contains("#general: 2 here: alice, bob"));

        tmux.enter("bob", "/quit");
        tmux.awaitScreen("bob", "bob's join to end", screen -> screen.contains("chat exited 0"));
        tmux.awaitScreen("alice", "bob's leave, once the grace is over",
                screen -> Pattern.compile("(?m)^\\d\\d:\\d\\d #general bob left").matcher(screen).find());
        tmux.enter("alice", "/who");
        tmux.awaitScreen("alice", "only alice left", screen -> screen.contains("#general: 1 here: alice"));
        tmux.enter("alice", "/quit");
    }

    private void awaitPrompt(String name) throws Exception {
        tmux.awaitScreen(name, "the prompt", screen -> TmuxSessions.lastLine(screen).strip().equals("general>"));
    }

    /** The last style set before {@code text}: tmux writes one only where the style changes. */
    private static String styleBefore(String attributed, String text) {
        java.util.regex.Matcher sgr = Pattern.compile("\u001b\\[[0-9;]*m").matcher(attributed);
        String last = "";
        int end = attributed.indexOf(text);
        while (sgr.find() && sgr.start() < end) {
            last = sgr.group();
        }
        return last;
    }

    private static String timeOf(String screen) {
        return screen.lines().filter(line -> line.contains("#general [1] bob: hi alice")).findFirst().orElseThrow()
                .substring(0, 5);
    }
}
