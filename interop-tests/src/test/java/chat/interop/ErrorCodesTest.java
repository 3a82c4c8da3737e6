package chat.interop;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The suite knows exactly the error codes of spec section 6, so a server is neither failed nor passed by a stale list. */
class ErrorCodesTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z_]+)` \\|.*");

    @Test
    void theKnownCodesAreTheSpecsTable() throws IOException {
        String spec = Files.readString(Path.of("..", "spec", "protocol.md")); // tests run in the module's folder
        int start = spec.indexOf("\n## 6 ");
        Set<String> codes = new TreeSet<>();
        for (String line : spec.substring(start, spec.indexOf("\n## 7 ", start)).lines().toList()) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                codes.add(row.group(1));
            }
        }
        assertEquals(codes, new TreeSet<>(Expect.ERROR_CODES));
    }
}
