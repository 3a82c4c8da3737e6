package chat.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway redis-server on a free loopback port, for store tests: without persistence, or ({@link #persistent()})
 * with an append-only file fsynced before each reply, so that {@link #restart()} brings back everything acknowledged,
 * as a production Redis restarting would, on the same port.
 */
public final class LocalRedis implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final boolean persistent;
    private Process process;

    private LocalRedis(Path dir, int port, boolean persistent) {
        this.dir = dir;
        this.port = port;
        this.persistent = persistent;
    }

    public static LocalRedis start() throws IOException, InterruptedException {
        return started(false);
    }

    /** A Redis that keeps what it acknowledged across {@link #restart()}. */
    public static LocalRedis persistent() throws IOException, InterruptedException {
        return started(true);
    }

    private static LocalRedis started(boolean persistent) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        LocalRedis redis = new LocalRedis(Files.createTempDirectory("chat-redis-test"), port, persistent);
        redis.launch();
        return redis;
    }

    private void launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--dir", dir.toString(), "--maxmemory", "256mb",
                "--maxmemory-policy", "noeviction"));
        command.addAll(persistent ? List.of("--appendonly", "yes", "--appendfsync", "always")
                : List.of("--appendonly", "no"));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        for (int i = 0; i < 200; i++) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not start (is it installed? ./run.sh test installs it)");
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /**
     * Stops Redis (SIGTERM: it closes every client connection, as any restart does) and starts it again on the same
     * port and data; returns once it accepts connections, which may be before it answers (it may still be loading).
     */
    public void restart() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
