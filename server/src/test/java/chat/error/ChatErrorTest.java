package chat.error;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ChatError is the table of spec section 6, less the balancer's codes: the code, HTTP status and default reason. */
class ChatErrorTest {
    /** A row of the table: | `CODE` | status | default reason | when |. */
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z_]+)` \\| ([0-9, ]+) \\| (.+?) \\| .*\\|$");

    @Test
    void everyErrorIsTheSpecsRowWithItsStatusAndReason() throws IOException {
        Map<String, String> spec = new TreeMap<>();
        for (String line : specSection6()) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                spec.put(row.group(1), row.group(2) + " " + row.group(3));
            }
        }
        spec.remove("NO_REPLICA_READY"); // these two are HAProxy's answers (deploy/haproxy.cfg), not the server's
        spec.remove("REPLICA_FAILED");
        Map<String, String> ours = Arrays.stream(ChatError.values()).collect(Collectors.toMap(Enum::name,
                error -> error.httpStatus() + " " + error.defaultReason(), (a, b) -> a, TreeMap::new));
        assertEquals(spec, ours);
    }

    private static java.util.List<String> specSection6() throws IOException {
        String spec = Files.readString(Path.of("..", "spec", "protocol.md")); // tests run in the module's folder
        int start = spec.indexOf("\n## 6 ");
        int end = spec.indexOf("\n## 7 ", start);
        return spec.substring(start, end).lines().toList();
    }
}
