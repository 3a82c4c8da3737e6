package chat.server;

import chat.config.Setting;
import chat.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's configuration table says what Settings declares, and --help says the same: every setting, in the
 * same order, with the same flag, environment variable, default and meaning. On a failure, the expected table is
 * in the message, ready to paste into README.md.
 */
@Timeout(10)
class ReadmeSettingsTest {
    /** Maven runs the tests in the module's directory; the README is the project's. */
    private static final Path README = Path.of("..", "README.md");

    /** One option of --help: {@code --port=<n>  port; 0 picks a free one [CHAT_PORT] (default: 8080)}. */
    private static final Pattern HELP_OPTION = Pattern.compile(
            "^ +(--[a-z-]+)=<[a-z]+>\\s+(.+) \\[(CHAT_[A-Z_]+)\\] \\(default: ([^)]*)\\)$", Pattern.MULTILINE);

    private static List<String> readmeRows() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int section = lines.indexOf("## Configuration");
        assertTrue(section >= 0, "README.md has a section \"## Configuration\"");
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(section, lines.size())) {
            if (line.startsWith("| `--")) {
                rows.add(line);
            } else if (!rows.isEmpty()) {
                break; // the end of the table
            }
        }
        return rows;
    }

    private static String row(Setting<?> setting) {
        return "| `" + setting.flag() + "` | `" + setting.environmentVariable() + "` | `" + setting.defaultText()
                + "` | " + setting.description() + " |";
    }

    /** A README row as --help shows it: flag, variable, default and meaning, without Markdown's backticks. */
    private static String plain(String readmeRow) {
        String[] cells = readmeRow.split("\\|");
        return String.join(" ; ", cells[1].trim(), cells[2].trim(), cells[3].trim(), cells[4].trim())
                .replace("`", "");
    }

    @Test
    void theReadmeTableListsEverySettingAsDeclared() throws IOException {
        String expected = String.join("\n", Settings.ALL.stream().map(ReadmeSettingsTest::row).toList());
        assertEquals(expected, String.join("\n", readmeRows()),
                "README.md's configuration table, as chat.config.Settings declares it (expected: the rows to paste)");
    }

    @Test
    void helpShowsTheReadmeRowsInTheirOrder() throws IOException {
        CommandLine commandLine = new Main(Map.of()).commandLine().setUsageHelpWidth(400); // one line per option
        Matcher option = HELP_OPTION.matcher(commandLine.getHelp().optionList());
        List<String> help = new ArrayList<>();
        while (option.find()) {
            help.add(String.join(" ; ", option.group(1), option.group(3), option.group(4), option.group(2).trim()));
        }
        assertEquals(readmeRows().stream().map(ReadmeSettingsTest::plain).toList(), help);
    }
}
