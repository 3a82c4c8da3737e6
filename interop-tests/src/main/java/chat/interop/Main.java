package chat.interop;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code chat-interop URL [options]}: checks the server at URL against spec/protocol.md and prints a line per case,
 * then {@code N passed, N failed}. Exits 0 when no case failed, 1 when one did, 2 on a usage error.
 */
public final class Main {
    static final int EXIT_PASSED = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private static final String USAGE = """
            usage: chat-interop URL [options]     e.g. chat-interop http://localhost:8080

            Checks a chat server against spec/protocol.md, one case per requirement, and prints
            PASS|FAIL|WARN|SKIP id: requirement (with the request and response of a failure), then
            "N passed, N failed" (", N warnings" for SHOULD failures, ", N skipped" when any).

              --only PREFIX      run only cases whose id starts with PREFIX, a number whole (repeatable; e.g. retrieve/, or post/3 for post/3 and its variants, not post/30)
              --strict           SHOULD failures count as failures
              --list             print the cases without running them
              --junit-xml FILE   also write a JUnit XML report
              --json FILE        also write a JSON report
              --timeout SECONDS  per-request timeout (default 10)
              -h, --help         this text

            Exit status: 0 no case failed, 1 a case failed, 2 usage error.""";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Everything but the exit, so tests can run it in-process. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String url = null;
        List<String> only = new ArrayList<>();
        boolean strict = false;
        boolean list = false;
        Path junitXml = null;
        Path json = null;
        int timeoutSeconds = 10;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--only" -> only.add(value(args, ++i));
                    case "--strict" -> strict = true;
                    case "--list" -> list = true;
                    case "--junit-xml" -> junitXml = Path.of(value(args, ++i));
                    case "--json" -> json = Path.of(value(args, ++i));
                    case "--timeout" -> timeoutSeconds = Integer.parseInt(value(args, ++i));
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return EXIT_PASSED;
                    }
                    default -> {
                        if (args[i].startsWith("-") || url != null) {
                            throw new IllegalArgumentException("unexpected argument: " + args[i]);
                        }
                        url = args[i];
                    }
                }
            }
            if (!list && (url == null || !url.matches("https?://.+"))) {
                throw new IllegalArgumentException("give the server's base URL, e.g. http://localhost:8080");
            }
            if (timeoutSeconds < 1) {
                throw new IllegalArgumentException("--timeout must be at least 1 second");
            }
        } catch (IllegalArgumentException e) {
            err.println("chat-interop: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }

        List<Case> cases = select(Catalogue.all(), only);
        if (cases.isEmpty()) {
            err.println("chat-interop: no case id starts with " + only);
            return EXIT_USAGE;
        }
        if (list) {
            cases.forEach(c -> out.println(c.id() + " [" + c.level() + "] " + c.requirement()));
            return EXIT_PASSED;
        }
        out.println("# chat-interop: " + cases.size() + " cases against " + url + (strict ? " (strict)" : ""));
        List<Result> results;
        try (Wire wire = new Wire(url, Duration.ofSeconds(timeoutSeconds))) {
            results = new Runner(wire, strict).run(cases, result -> {
                out.println(Reports.line(result));
                out.flush();
            });
        }
        try {
            if (junitXml != null) {
                Reports.writeJunitXml(results, url, junitXml);
            }
            if (json != null) {
                Reports.writeJson(results, url, json);
            }
        } catch (IOException e) {
            err.println("chat-interop: cannot write a report: " + e.getMessage());
        }
        out.println(Reports.summary(results));
        return Reports.count(results, Result.Outcome.FAIL) > 0 ? EXIT_FAILED : EXIT_PASSED;
    }

    static List<Case> select(List<Case> cases, List<String> prefixes) {
        if (prefixes.isEmpty()) {
            return cases;
        }
        return cases.stream().filter(c -> prefixes.stream().anyMatch(c::matches)).toList();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
