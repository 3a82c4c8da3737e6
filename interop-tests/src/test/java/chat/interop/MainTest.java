package chat.interop;

import chat.interop.FaultyServer.Fault;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: output lines, closing count, exit codes, reports, --list, --only, --strict. */
@Timeout(120)
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int main(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listPrintsEveryCaseWithItsLevelWithoutAServer() {
        assertEquals(Main.EXIT_PASSED, main("--list"));
        String listing = output();
        assertTrue(listing.contains("retrieve/2 [MUST]"), listing);
        assertTrue(listing.contains("list/2 [SHOULD]"), listing);
        assertEquals(Catalogue.all().size(), listing.lines().count());
    }

    @Test
    void aPassingRunPrintsPassLinesAndTheClosingCount(@TempDir Path dir) throws Exception {
        try (FaultyServer server = new FaultyServer(Fault.NONE)) {
            Path xml = dir.resolve("report.xml");
            Path json = dir.resolve("report.json");
            int exit = main(server.url(), "--only", "retrieve/", "--only", "list/", "--junit-xml", xml.toString(),
                    "--json", json.toString());
            String output = output();
            assertEquals(Main.EXIT_PASSED, exit, output);
            assertTrue(output.contains("PASS retrieve/2: "), output);
            // FaultyServer sends only the three original fields, so retrieve/9 (the SHOULD-level time) skips
            assertTrue(output.contains("SKIP retrieve/9: "), output);
            assertTrue(output.lines().anyMatch(line -> line.equals("10 passed, 0 failed, 1 skipped")), output);
            String report = Files.readString(xml);
            assertTrue(report.contains("<testsuite") && report.contains("retrieve/8"), report);
            JsonObject parsed = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
            assertEquals(0, parsed.get("failed").getAsInt());
            assertEquals(1, parsed.get("skipped").getAsInt());
            assertEquals(11, parsed.getAsJsonArray("cases").size()); // retrieve/1-9 and list/1-2
        }
    }

    @Test
    void aMustFailureExitsOneAndShowsTheExchange() throws Exception {
        try (FaultyServer server = new FaultyServer(Fault.LOGOFF_KEEPS_KEY)) {
            int exit = main(server.url(), "--only", "session/5");
            String output = output();
            assertEquals(Main.EXIT_FAILED, exit, output);
            assertTrue(output.contains("FAIL session/5: "), output);
            assertTrue(output.contains("sent: POST /") && output.contains("received: HTTP 200"), output);
            assertTrue(output.contains("0 passed, 1 failed"), output);
        }
    }

    @Test
    void shouldFailuresWarnUnlessStrict() throws Exception {
        try (FaultyServer server = new FaultyServer(Fault.NONE)) {
            assertEquals(Main.EXIT_PASSED, main(server.url(), "--only", "http/2"));
            assertTrue(output().contains("WARN http/2: "), output());
            assertTrue(output().contains("0 passed, 0 failed, 1 warnings"), output());
            out.reset();
            assertEquals(Main.EXIT_FAILED, main(server.url(), "--only", "http/2", "--strict"));
            assertTrue(output().contains("FAIL http/2: "), output());
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(Main.EXIT_USAGE, main());
        assertEquals(Main.EXIT_USAGE, main("not-a-url"));
        assertEquals(Main.EXIT_USAGE, main("http://localhost:1", "--only", "no-such-case"));
        assertEquals(Main.EXIT_USAGE, main("http://localhost:1", "--bogus"));
    }

    @Test
    void anUnreachableServerFailsEveryCaseQuickly() {
        int exit = main("http://127.0.0.1:9", "--only", "logon/1", "--timeout", "2");
        assertEquals(Main.EXIT_FAILED, exit, output());
        assertTrue(output().contains("no answer"), output());
    }
}
