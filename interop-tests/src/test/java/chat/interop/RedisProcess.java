package chat.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server on a loopback port, with its data in a folder of its own. Persistence is the strict kind
 * (AOF, fsync before each reply), so a kill -9 loses nothing acknowledged; {@link #kill()} and {@link #restart()}
 * simulate a crash and recovery on the same port and data.
 */
final class RedisProcess implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    private RedisProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static RedisProcess start() throws IOException, InterruptedException {
        RedisProcess redis = new RedisProcess(Files.createTempDirectory("chat-redis"), LocalPorts.free());
        redis.launch();
        return redis;
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString(),
                "--maxmemory", "256mb", "--maxmemory-policy", "noeviction"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        if (!LocalPorts.awaitListening(port, Duration.ofSeconds(10))) {
            process.destroyForcibly();
            throw new IllegalStateException("redis-server did not start; see " + dir.resolve("redis.log")
                    + " (is redis-server installed? ./run.sh test installs it)");
        }
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** SIGKILL: a crash, with no chance to write anything more. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP: Redis hangs, its connections open but unanswered, as under a long pause or a lost network. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: Redis carries on where it stopped. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** Starts again on the same port, replaying its append-only file. */
    void restart() throws IOException, InterruptedException {
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
