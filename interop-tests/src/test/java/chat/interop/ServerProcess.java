package chat.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our server as a separate process, started from its jar on a free port, as a user would run it. The suite
 * sees only its URL: no class of the server is on this module's classpath.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private final Process process;
    private final String url;
    private final List<String> lines;

    private ServerProcess(Process process, String url, List<String> lines) {
        this.process = process;
        this.url = url;
        this.lines = lines;
    }

    static ServerProcess start(String... extraFlags) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("chat.server.jar", "../server/target/chat-server.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no server jar at " + jar.toAbsolutePath()
                    + ": build the server module first (mvn verify builds the modules in order)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString(), "--port", "0"));
        command.addAll(List.of(extraFlags));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> url = new CompletableFuture<>();
        List<String> printed = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.out.println("[server] " + line);
                    printed.add(line);
                    Matcher found = LISTENING.matcher(line);
                    if (found.find()) {
                        url.complete(found.group(1));
                    }
                }
                url.completeExceptionally(new IllegalStateException("the server exited before it listened"));
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ServerProcess(process, url.get(30, TimeUnit.SECONDS), printed);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the server did not start: " + e.getMessage(), e);
        }
    }

    String url() {
        return url;
    }

    /** Every line the process has printed so far, standard output and error together, in order. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** SIGKILL: a crash, with no graceful shutdown. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the graceful path
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
