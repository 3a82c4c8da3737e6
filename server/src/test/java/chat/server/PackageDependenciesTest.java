package chat.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layers of docs/ARCHITECTURE.md, read from the sources' imports: each package uses only the packages below it,
 * so there is no cycle, and push knows no transport.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern USE = Pattern.compile("\\b(chat\\.[a-z]+)\\.[A-Z]");

    /** Each package and the packages it may use: the table in docs/ARCHITECTURE.md. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("chat.config", Set.of()),
            Map.entry("chat.error", Set.of()),
            Map.entry("chat.log", Set.of()),
            Map.entry("chat.metrics", Set.of("chat.error")),
            Map.entry("chat.client", Set.of("chat.config")),
            Map.entry("chat.limit", Set.of("chat.config", "chat.error", "chat.client")),
            Map.entry("chat.store", Set.of("chat.error", "chat.limit")),
            Map.entry("chat.core", Set.of("chat.config", "chat.error", "chat.client", "chat.limit", "chat.store")),
            Map.entry("chat.redis", Set.of("chat.config", "chat.error", "chat.metrics", "chat.limit", "chat.store", "chat.core")),
            Map.entry("chat.api", Set.of("chat.client", "chat.error", "chat.metrics", "chat.store", "chat.core", "chat.log")),
            Map.entry("chat.push", Set.of("chat.error", "chat.store", "chat.core")),
            Map.entry("chat.ws", Set.of("chat.config", "chat.client", "chat.error", "chat.metrics", "chat.store", "chat.core", "chat.api", "chat.push", "chat.log")),
            Map.entry("chat.server", Set.of("chat.config", "chat.client", "chat.error", "chat.metrics", "chat.limit", "chat.store", "chat.core", "chat.redis", "chat.api", "chat.push", "chat.ws", "chat.log")));

    @Test
    void eachPackageUsesOnlyTheLayersBelowIt() {
        Map<String, Set<String>> uses = uses();
        assertEquals(new TreeSet<>(ALLOWED.keySet()), new TreeSet<>(uses.keySet()),
                "every package has its place in the table (and in docs/ARCHITECTURE.md)");
        List<String> breaches = new ArrayList<>();
        uses.forEach((from, used) -> used.stream().filter(to -> !ALLOWED.get(from).contains(to))
                .forEach(to -> breaches.add(from + " -> " + to)));
        assertTrue(breaches.isEmpty(), "uses outside the layers: " + breaches);
    }

    @Test
    void theTableHasNoCycle() {
        // So that the test above also proves "no cycle": a package may only use ones that come before it here.
        List<String> order = List.of("chat.config", "chat.error", "chat.log", "chat.metrics", "chat.client", "chat.limit", "chat.store", "chat.core", "chat.redis", "chat.api", "chat.push",
                "chat.ws", "chat.server");
        ALLOWED.forEach((from, allowed) -> allowed.forEach(to -> assertTrue(order.indexOf(to) < order.indexOf(from),
                from + " may use " + to + ", which comes after it")));
    }

    /** Package to the other chat packages its sources name (in imports or fully qualified). */
    private static Map<String, Set<String>> uses() {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> used = uses.computeIfAbsent(pkg, name -> new TreeSet<>());
                Matcher use = USE.matcher(code(file));
                while (use.find()) {
                    if (!use.group(1).equals(pkg)) {
                        used.add(use.group(1));
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uses;
    }

    /** The file without its comments, which may name other packages freely. */
    private static String code(Path file) {
        try {
            return Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
