package chat.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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

    /**
     * Whether Redis answers PING with PONG now (not LOADING, not refusing the connection): the moment from which
     * issue 15 wants every call to succeed one second later. In RESP's inline form, to need no Redis client here.
     */
    boolean answersPing() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1_000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int read = socket.getInputStream().readNBytes(reply, 0, reply.length);
            return "+PONG\r\n".equals(new String(reply, 0, read, StandardCharsets.US_ASCII));
        } catch (IOException notAnswering) {
            return false;
        }
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
