package chat.cli;

import chat.cli.CliHarness.Run;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class CommandsTest {
    @TempDir
    Path configDir;
    private CliHarness chat;

    @BeforeEach
    void start() {
        chat = new CliHarness(configDir);
    }

    @AfterEach
    void stop() {
        chat.close();
    }

    private static void assertOk(Run run) {
        assertExit(ExitCode.OK, run);
    }

    private static void assertExit(int expected, Run run) {
        assertEquals(expected, run.exitCode(), run.toString());
    }

    /** Asserts the command succeeded and printed {@code expected} (less surrounding white space). */
    private static void assertPrints(String expected, Run run) {
        assertOk(run);
        assertEquals(expected, CliHarness.untimed(run.out().strip()), run.toString());
    }

    /** The command's stdout as JSON; a command that failed or printed something else fails, quoting it. */
    private static JsonElement json(Run run) {
        assertOk(run);
        try {
            return JsonParser.parseString(run.out());
        } catch (JsonParseException e) {
            throw new AssertionError("not JSON: " + run, e);
        }
    }

    /** A field that must be there; its absence fails quoting the object rather than as a NullPointerException. */
    private static JsonElement field(JsonElement object, String name) {
        assertTrue(object.isJsonObject() && object.getAsJsonObject().has(name), "no \"" + name + "\" in " + object);
        return object.getAsJsonObject().get(name);
    }

    @Test
    void logonStoresTheSessionReadableOnlyByTheOwner() throws Exception {
        Run run = chat.logon("alice", "pw");
        assertOk(run);
        assertTrue(run.out().contains("logged on to " + chat.url() + " as alice"), run.out());
        Path sessions = configDir.resolve("sessions.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sessions)));
        String stored = Files.readString(sessions);
        assertTrue(stored.contains("\"alice\""), stored);
        assertOk(chat.chat("channels"));
    }

    @Test
    void createPostReadAndLastWorkForPeople() {
        assertOk(chat.logon("alice", "pw"));
        assertOk(chat.chat("create", "general"));
        assertOk(chat.chat("post", "general", "hello", "world"));
        assertOk(chat.chat("post", "general", "second 😀"));
        assertPrints("general", chat.chat("channels"));
        assertPrints("2", chat.chat("last", "general"));
        assertPrints("[1] alice: hello world\n[2] alice: second 😀", chat.chat("read", "general"));
        assertPrints("[2] alice: second 😀", chat.chat("read", "general", "--last", "1"));
        assertPrints("[1] alice: hello world", chat.chat("read", "general", "--from", "1", "--to", "1"));
        String shown = chat.chat("read", "general", "--last", "1").out().strip();
        assertTrue(shown.matches("\\d\\d:\\d\\d \\[2] alice: second 😀"), "the time, local, before today's message: " + shown);
    }

    @Test
    void jsonPrintsTheProtocolsDataAsIs() {
        assertOk(chat.logon("alice", "pw"));
        assertOk(chat.chat("create", "general"));
        assertOk(chat.chat("post", "general", "hi"));
        assertPrints("[\"general\"]", chat.chat("channels", "--json"));
        assertPrints("true", chat.chat("--json", "create", "other"));
        JsonElement messages = json(chat.chat("read", "general", "--json"));
        assertTrue(messages.isJsonArray() && messages.getAsJsonArray().size() == 1, "one message: " + messages);
        assertEquals(new JsonPrimitive("hi"), field(messages.getAsJsonArray().get(0), "message"), messages.toString());
        assertEquals(new JsonPrimitive(1), json(chat.chat("last", "general", "--json")));
    }

    @Test
    void postReadsStandardInputWhenNoTextIsGiven() {
        assertOk(chat.logon("alice", "pw"));
        assertOk(chat.chat("create", "general"));
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream("from stdin\nsecond line\n".getBytes(StandardCharsets.UTF_8)));
            Run post = chat.chat("post", "general");
            assertOk(post);
            assertEquals("", post.err(), "no hint when stdin is not a terminal: " + post);
        } finally {
            System.setIn(original);
        }
        // The second line is indented under the first one's text: one message, not two (Message.display).
        assertPrints("[1] alice: from stdin\n           second line", chat.chat("read", "general"));
    }

    @Test
    void aRefusedCallExitsOneWithTheServersReasonOnStderr() {
        assertOk(chat.logon("alice", "pw"));
        assertOk(chat.chat("create", "general"));
        Run again = chat.chat("create", "general");
        assertExit(ExitCode.REFUSED, again);
        assertTrue(again.err().startsWith("error: a channel named \"general\" exists already"), again.err());
        assertEquals("", again.out(), again.toString());
        Run wrong = chat.logon("alice", "not the password");
        assertExit(ExitCode.REFUSED, wrong);
        assertTrue(wrong.err().contains("wrong password"), wrong.err());
    }

    @Test
    void withoutAStoredSessionCommandsSayLogOnFirst() {
        Run run = chat.chat("channels");
        assertExit(ExitCode.REFUSED, run);
        assertTrue(run.err().contains("log on first"), run.err());
    }

    @Test
    void anEndedSessionSaysLogOnAgain() {
        assertOk(chat.logon("alice", "pw"));
        long key = new SessionFile(configDir).require(chat.url()).sesskey();
        try (ChatClient other = new ChatClient(chat.url())) {
            other.logoff(key); // ended elsewhere, as expiry would
        }
        Run run = chat.chat("channels");
        assertExit(ExitCode.REFUSED, run);
        assertTrue(run.err().contains("log on again"), run.err());
        assertOk(chat.chat("logoff")); // forgets the dead session without complaint
        Run afterwards = chat.chat("channels");
        assertTrue(afterwards.err().contains("log on first"), afterwards.toString());
    }

    @Test
    void anUnreachableServerExitsThreeForEveryCommandIncludingLogon() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closedPort;
        Run logon = CliHarness.chatWith(nowhere, configDir, "logon", "alice", "--password-env", "pw");
        assertExit(ExitCode.UNREACHABLE, logon);
        assertTrue(logon.err().contains("cannot reach " + nowhere), logon.err());
        new SessionFile(configDir).store(nowhere, new SessionFile.Session("alice", 42));
        Run channels = CliHarness.chatWith(nowhere, configDir, "channels");
        assertExit(ExitCode.UNREACHABLE, channels);
    }

    @Test
    void usageErrorsExitTwo() {
        assertExit(ExitCode.USAGE, chat.chat("no-such-command"));
        assertExit(ExitCode.USAGE, chat.chat("create"));
        assertExit(ExitCode.USAGE, chat.chat("read", "general", "--last", "2", "--from", "1"));
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        Run help = chat.chat("--help");
        assertOk(help);
        for (String command : new String[]{"logon", "logoff", "channels", "create", "post", "last", "read", "tail", "join"}) {
            assertTrue(help.out().contains(command), command + " in " + help.out());
        }
        assertTrue(help.out().contains("Exit codes: 0 ok, 1 the server refused"), help.out());
    }

    @Test
    void tailPrintsAMessagePostedByAnotherClient() throws Exception {
        assertOk(chat.logon("alice", "pw"));
        assertOk(chat.chat("create", "general"));
        assertOk(chat.chat("post", "general", "before tail"));
        try (CliHarness.Background tail = chat.inBackground("tail", "general");
             ChatClient bob = new ChatClient(chat.url())) {
            long key = bob.logon("bob", "pw");
            // The backlog shows tail has subscribed, so bob's message comes to it as a new one, not as backlog.
            tail.awaitOut("[1] alice: before tail", "the backlog");
            bob.post(key, "general", "hello from bob");
            tail.awaitOut("[2] bob: hello from bob", "bob's message");
            // A sentinel instead of waiting to see nothing more: events come in order (ws/5), so a repeat of
            // bob's message would come before it.
            bob.post(key, "general", "one more");
            tail.awaitOut("[3] bob: one more", "the message after it");
            assertEquals("[1] alice: before tail\n[2] bob: hello from bob\n[3] bob: one more",
                    CliHarness.untimed(tail.out().strip()),
                    "each once, in order; " + tail);
        }
    }

    @Test
    void tailWithJsonPrintsOneProtocolMessageALine() throws Exception {
        assertOk(chat.logon("alice", "pw"));
        assertOk(chat.chat("create", "general"));
        assertOk(chat.chat("post", "general", "quoted \"text\""));
        String line;
        try (CliHarness.Background tail = chat.inBackground("tail", "general", "--json")) {
            tail.awaitOut("\n", "the first line");
            line = tail.out().lines().findFirst().orElseThrow();
        }
        JsonElement message;
        try {
            message = JsonParser.parseString(line);
        } catch (JsonParseException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
        assertEquals(new JsonPrimitive(1), field(message, "messageid"), line);
        assertEquals(new JsonPrimitive("alice"), field(message, "username"), line);
        assertEquals(new JsonPrimitive("quoted \"text\""), field(message, "message"), line);
    }
}
