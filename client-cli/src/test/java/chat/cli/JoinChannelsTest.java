package chat.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17's "done when": two users in tmux chat across two channels in one join each, with unread counts,
 * colours and mentions; and no colour where the user asked for none.
 */
@Timeout(120)
class JoinChannelsTest {
    @TempDir
    Path folder;
    private CliHarness chat;
    private TmuxSessions tmux;

    @BeforeEach
    void start() {
        chat = new CliHarness(folder.resolve("alice"));
        tmux = new TmuxSessions(folder);
    }

    @AfterEach
    void stop() throws Exception {
        tmux.close();
        chat.close();
    }

    @Test
    void twoUsersChatAcrossTwoChannelsWithUnreadCountsColoursAndMentions() throws Exception {
        assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
        assertEquals(ExitCode.OK, CliHarness.chatWith(chat.url(), bobDir(), "logon", "bob", "--password-env", "pw")
                .exitCode());
        assertEquals(ExitCode.OK, chat.chat("create", "general").exitCode());
        assertEquals(ExitCode.OK, chat.chat("create", "random").exitCode());
        tmux.startChat("alice", chat.url(), chat.configDir, Map.of(), "join", "general", "random");
        tmux.startChat("bob", chat.url(), bobDir(), Map.of(), "join", "general", "random");
        awaitPrompt("alice", "general>");
        awaitPrompt("bob", "general>");

        tmux.enter("bob", "/switch random");
        awaitPrompt("bob", "random>");
        tmux.enter("bob", "hi @Alice, over here");
        String alice = awaitPrompt("alice", "general (random 1)>");
        assertTrue(alice.contains("#random [1] bob: hi @Alice, over here"), alice);
        CliHarness.await("one bell for the mention", () -> bells("alice"), count -> count == 1);

        tmux.enter("alice", "/2"); // the second channel joined: random, whose count it clears
        awaitPrompt("alice", "random>");
        tmux.enter("alice", "hello bob");
        String bob = tmux.awaitScreen("bob", "alice's message", screen -> screen.contains("#random [2] alice: hello bob"));
        assertEquals("random>", TmuxSessions.lastLine(bob).strip(), "bob's current channel: nothing unread\n" + bob);
        alice = tmux.awaitScreen("alice", "her own message's echo", s -> s.contains("#random [2] alice: hello bob"));
        assertEquals(1, TmuxSessions.occurrences(alice, "hello bob"), "the typed line gave way to the echo:\n" + alice);

        tmux.enter("alice", "/switch general");
        awaitPrompt("alice", "general>");
        tmux.enter("alice", "over in general");
        bob = awaitPrompt("bob", "random (general 1)>");
        assertTrue(bob.contains("#general [1] alice: over in general"), bob);

        tmux.enter("bob", "/me waves");
        alice = awaitPrompt("alice", "general (random 1)>");
        assertTrue(alice.contains("#random [3] * bob waves"), "an action:\n" + alice);
        assertEquals(1, bells("alice"), "no bell without a mention");
        assertEquals(0, bells("bob"), "nor for one's own messages");

        String coloured = tmux.screenWithAttributes("alice");
        List<String> bobStyles = stylesBefore(coloured, "bob");
        assertTrue(bobStyles.size() >= 2 && bobStyles.stream().distinct().count() == 1
                        && bobStyles.get(0).matches(".*\\[(3|9)[0-7]m.*"),
                "bob's name in one colour each time: " + bobStyles + "\n" + coloured);
        List<String> ownStyles = stylesBefore(coloured, "alice");
        assertTrue(!ownStyles.isEmpty() && ownStyles.stream().allMatch(style -> style.contains("7")),
                "her own name reversed: " + ownStyles + "\n" + coloured);
        tmux.enter("alice", "/quit");
        tmux.enter("bob", "/quit");
        tmux.awaitScreen("alice", "join to end", screen -> screen.contains("chat exited 0"));
    }

    @Test
    void noColourWithNoColorOrTheOption() throws Exception {
        assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
        assertEquals(ExitCode.OK, chat.chat("create", "general").exitCode());
        try (ChatClient bob = new ChatClient(chat.url())) {
            long key = bob.logon("bob", "pw");
            bob.post(key, "general", "hi @alice");
        }
        tmux.startChat("env", chat.url(), chat.configDir, Map.of("NO_COLOR", "1"), "join", "general");
        tmux.startChat("option", chat.url(), chat.configDir, Map.of(), "--no-color", "join", "general");
        tmux.startChat("coloured", chat.url(), chat.configDir, Map.of(), "join", "general");
        for (String name : List.of("env", "option", "coloured")) {
            tmux.awaitScreen(name, "the backlog", screen -> screen.contains("#general [1] bob: hi @alice")
                    && screen.contains("general>"));
        }
        assertFalse(tmux.screenWithAttributes("env").contains("\u001b["), tmux.screenWithAttributes("env"));
        assertFalse(tmux.screenWithAttributes("option").contains("\u001b["), tmux.screenWithAttributes("option"));
        assertTrue(tmux.screenWithAttributes("coloured").contains("\u001b["), "the control: colour otherwise");

        Path output = folder.resolve("join.out");
        tmux.startChatWritingTo("piped", chat.url(), chat.configDir, output, "join", "general");
        String piped = CliHarness.await("join's piped output", () -> Files.exists(output) ? Files.readString(output) : "",
                text -> text.contains("#general [1] bob: hi @alice"));
        assertFalse(piped.contains("\u001b"), "no escape sequence where the output is no terminal:\n" + piped);
    }

    private Path bobDir() {
        return folder.resolve("bob");
    }

    private String awaitPrompt(String name, String prompt) throws Exception {
        return tmux.awaitScreen(name, "the prompt " + prompt,
                screen -> TmuxSessions.lastLine(screen).strip().equals(prompt));
    }

    private long bells(String name) throws Exception {
        return tmux.raw(name).chars().filter(c -> c == 7).count();
    }

    /** The escape sequences around each occurrence of a name styled on its own, in a screen with attributes. */
    private static List<String> stylesBefore(String screen, String text) {
        Matcher matcher = Pattern.compile("((?:\u001b\\[[0-9;]*m)+)" + Pattern.quote(text) + "\u001b").matcher(screen);
        List<String> styles = new java.util.ArrayList<>();
        while (matcher.find()) {
            styles.add(matcher.group(1).replace("\u001b", "ESC"));
        }
        return styles;
    }
}
