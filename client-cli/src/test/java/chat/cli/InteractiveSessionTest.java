package chat.cli;

import chat.config.Config;
import chat.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives `chat join` as a person would: in a real pseudo-terminal (tmux), typing half a line while another user's
 * message arrives ({@link TmuxSessions}).
 */
@Timeout(90)
class InteractiveSessionTest {
    @TempDir
    Path configDir;
    private CliHarness chat;
    private TmuxSessions terminal;
    private final String session = "chat-test-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void start() {
        // A server without presence (spec 9.1 lets one omit it): /who then says so. PresenceAcrossReplicasTest has it on.
        chat = new CliHarness(configDir, Config.defaults().with(Settings.PRESENCE, false));
        terminal = new TmuxSessions(configDir);
    }

    @AfterEach
    void stop() throws Exception {
        terminal.close();
        chat.close();
    }

    @Test
    void anIncomingMessageAppearsAboveAHalfTypedLineWhichIsThenPosted() throws Exception {
        CliHarness.Run logon = chat.logon("alice", "pw");
        assertEquals(ExitCode.OK, logon.exitCode(), logon.toString());
        CliHarness.Run create = chat.chat("create", "general");
        assertEquals(ExitCode.OK, create.exitCode(), create.toString());
        startJoin(chat.url());
        awaitScreen("the prompt", screen -> screen.contains("general>")); // capture-pane drops trailing spaces

        terminal.type(session, "half typed");
        awaitScreen("the half-typed line", screen -> screen.contains("general> half typed"));
        try (ChatClient bob = new ChatClient(chat.url())) {
            long key = bob.logon("bob", "pw");
            // join may not have subscribed yet; it follows from id 0, so this comes as backlog if so, as new if not.
            bob.post(key, "general", "hello from bob");
        }
        // Printing above the prompt is erase, print, redraw: wait for the redrawn prompt too, not only the message.
        awaitScreen("bob's message above the still half-typed line", screen -> screen.contains("#general [1] bob: hello from bob")
                && lastLine(screen).endsWith("general> half typed"));

        terminal.type(session, " and finished");
        terminal.press(session, "Enter");
        String screen = awaitScreen("alice's own message", text -> text.contains("#general [2] alice: half typed and finished"));
        // Alice's message is the sentinel: a repeat of bob's would have come before it (ws/5).
        assertEquals(1, occurrences(screen, "#general [1] bob: hello from bob"), "bob's message once:\n" + screen);
        try (ChatClient check = new ChatClient(chat.url())) {
            long key = check.logon("carol", "pw");
            assertEquals(List.of("half typed and finished"),
                    check.retrieve(key, "general", 2, 2).stream().map(Message::text).toList());
        }
        terminal.type(session, "/quit");
        terminal.press(session, "Enter");
    }

    @Test
    void withoutAWebSocketJoinPollsAndShowsEachMessageOnce() throws Exception {
        try (NoWebSocketProxy proxy = new NoWebSocketProxy(chat.url());
             ChatClient bob = new ChatClient(chat.url())) {
            CliHarness.Run logon = CliHarness.chatWith(proxy.url(), configDir, "logon", "alice", "--password-env", "pw");
            assertEquals(ExitCode.OK, logon.exitCode(), logon.toString());
            long key = bob.logon("bob", "pw");
            bob.create(key, "general");
            startJoin(proxy.url());
            awaitScreen("the prompt", screen -> screen.contains("general>"));

            bob.post(key, "general", "hello from bob");
            awaitScreen("bob's message, polled", screen -> screen.contains("#general [1] bob: hello from bob"));
            terminal.type(session, "polled too");
            terminal.press(session, "Enter");
            String screen = awaitScreen("alice's own message", text -> text.contains("#general [2] alice: polled too"));
            // Alice's message is the sentinel: a poll asks only for ids after the last one shown.
            assertEquals(1, occurrences(screen, "#general [1] bob: hello from bob"), "bob's message once:\n" + screen);
            terminal.type(session, "/quit");
            terminal.press(session, "Enter");
        }
    }

    @Test
    void theSessionExplainsItselfAndKeepsWhatIsTypedPrivate() throws Exception {
        assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
        assertEquals(ExitCode.OK, chat.chat("create", "general").exitCode());
        Path history = configDir.resolve("history");
        Files.writeString(history, "");
        Files.setPosixFilePermissions(history, PosixFilePermissions.fromString("rw-r--r--"));
        startJoin(chat.url());
        awaitScreen("the prompt", screen -> screen.contains("general>"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history)),
                "the history holds everything typed: tightened");

        enter("/whois bob");
        awaitScreen("an unknown command said", screen -> screen.contains("unknown command /whois; /help lists them"));
        enter("//slash first");
        awaitScreen("a line starting with a slash, posted", screen -> screen.contains("#general [1] alice: /slash first"));
        enter("/who");
        awaitScreen("who, from a server without presence", screen -> screen.contains(
                "this server does not show who is here"));

        terminal.paste(session, "line one\nline two");
        terminal.press(session, "Enter");
        String screen = awaitScreen("a pasted message of two lines", text -> text.contains("#general [2] alice: line one"));
        String first = screen.lines().filter(line -> line.contains("#general [2] alice: line one")).findFirst()
                .orElseThrow();
        assertTrue(screen.contains("\n" + " ".repeat(first.indexOf("line one")) + "line two"),
                "its second line indented under the first's text:\n" + screen);

        terminal.type(session, "half typed");
        awaitScreen("the half-typed line", text -> lastLine(text).endsWith("general> half typed"));
        terminal.press(session, "C-c");
        awaitScreen("Ctrl-C to clear the line, not to quit", text -> lastLine(text).strip().equals("general>"));
        terminal.press(session, "C-c");
        awaitScreen("Ctrl-C on an empty line to quit", text -> text.contains("chat exited 0"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history)));
        assertTrue(Files.readString(history).contains("/whois bob"), "the history was written");
    }

    @Test
    void joiningAChannelThatDoesNotExistSaysSoAndNothingElse() {
        assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
        CliHarness.Run join = chat.chat("join", "nowhere");
        assertEquals(ExitCode.REFUSED, join.exitCode(), join.toString());
        assertFalse(join.out().contains("connected") || join.err().contains("connected"), join.toString());
        assertTrue(join.err().contains("error: "), join.toString());
    }

    private void enter(String line) throws Exception {
        terminal.enter(session, line);
    }

    /** Runs `chat join general` against {@code server} in this test's tmux session. */
    private void startJoin(String server) throws Exception {
        terminal.startChat(session, server, configDir, Map.of(), "join", "general");
    }

    private String awaitScreen(String what, Predicate<String> expected) throws Exception {
        return terminal.awaitScreen(session, what, expected);
    }

    private static String lastLine(String screen) {
        return TmuxSessions.lastLine(screen);
    }

    private static int occurrences(String text, String part) {
        return TmuxSessions.occurrences(text, part);
    }
}
