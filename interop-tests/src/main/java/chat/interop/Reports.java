package chat.interop;

import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The suite's outputs: a line per case, the closing count, JUnit XML and JSON. */
public final class Reports {
    private Reports() {
    }

    /** {@code PASS id: requirement}, and for FAIL and WARN the reason and the exchange on the lines below. */
    public static String line(Result result) {
        StringBuilder line = new StringBuilder()
                .append(result.outcome()).append(' ').append(result.id()).append(": ")
                .append(result.testCase().requirement());
        if (result.outcome() != Result.Outcome.PASS && result.detail() != null) {
            line.append("\n      ").append(result.detail());
        }
        if (result.exchange() != null) {
            line.append("\n      ").append(result.exchange());
        }
        return line.toString();
    }

    /**
     * The closing line: {@code N passed, N failed}, then {@code , N warnings} and {@code , N skipped} when there
     * are any. "failed" counts the failures that fail the run: MUST cases, and SHOULD cases in a strict run.
     */
    public static String summary(List<Result> results) {
        long passed = count(results, Result.Outcome.PASS);
        long failed = count(results, Result.Outcome.FAIL);
        long warnings = count(results, Result.Outcome.WARN);
        long skipped = count(results, Result.Outcome.SKIP);
        StringBuilder line = new StringBuilder().append(passed).append(" passed, ").append(failed).append(" failed");
        if (warnings > 0) {
            line.append(", ").append(warnings).append(" warnings");
        }
        if (skipped > 0) {
            line.append(", ").append(skipped).append(" skipped");
        }
        return line.toString();
    }

    public static long count(List<Result> results, Result.Outcome outcome) {
        return results.stream().filter(result -> result.outcome() == outcome).count();
    }

    public static void writeJunitXml(List<Result> results, String serverUrl, Path file) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<testsuite name=\"chat-interop ").append(escape(serverUrl))
                .append("\" tests=\"").append(results.size())
                .append("\" failures=\"").append(count(results, Result.Outcome.FAIL))
                .append("\" skipped=\"").append(count(results, Result.Outcome.SKIP))
                .append("\" errors=\"0\" time=\"").append(seconds(results.stream().mapToLong(Result::millis).sum()))
                .append("\">\n");
        for (Result result : results) {
            String id = result.id();
            xml.append("  <testcase classname=\"chat.interop.").append(escape(id.substring(0, id.indexOf('/'))))
                    .append("\" name=\"").append(escape(id + " [" + result.testCase().level() + "] "
                            + result.testCase().requirement()))
                    .append("\" time=\"").append(seconds(result.millis())).append("\"");
            String detail = result.detail() == null ? "" : result.detail();
            String exchange = result.exchange() == null ? "" : "\n" + result.exchange();
            switch (result.outcome()) {
                case PASS -> xml.append("/>\n");
                case FAIL -> xml.append(">\n    <failure message=\"").append(escape(detail)).append("\">")
                        .append(escape(detail + exchange)).append("</failure>\n  </testcase>\n");
                case WARN -> xml.append(">\n    <system-out>").append(escape("WARN (SHOULD): " + detail + exchange))
                        .append("</system-out>\n  </testcase>\n");
                case SKIP -> xml.append(">\n    <skipped message=\"").append(escape(detail)).append("\"/>\n  </testcase>\n");
            }
        }
        xml.append("</testsuite>\n");
        Files.writeString(file, xml, StandardCharsets.UTF_8);
    }

    public static void writeJson(List<Result> results, String serverUrl, Path file) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("server", serverUrl);
        report.put("summary", summary(results));
        report.put("passed", count(results, Result.Outcome.PASS));
        report.put("failed", count(results, Result.Outcome.FAIL));
        report.put("warnings", count(results, Result.Outcome.WARN));
        report.put("skipped", count(results, Result.Outcome.SKIP));
        report.put("cases", results.stream().map(result -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", result.id());
            entry.put("level", result.testCase().level().name());
            entry.put("requirement", result.testCase().requirement());
            entry.put("outcome", result.outcome().name());
            entry.put("detail", result.detail());
            entry.put("exchange", result.exchange());
            entry.put("millis", result.millis());
            return entry;
        }).toList());
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(report),
                StandardCharsets.UTF_8);
    }

    private static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    // XML 1.0 cannot carry most control characters, even escaped.
                    boolean allowed = c >= 0x20 || c == '\n' || c == '\r' || c == '\t';
                    out.append(allowed ? c : '?');
                }
            }
        }
        return out.toString();
    }
}
