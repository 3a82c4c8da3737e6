package chat.interop;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy on a loopback port, configured by the repository's own deploy/haproxy.cfg with one server line
 * per replica appended, exactly as ./run.sh cluster does.
 */
final class HaproxyProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final int statsPort;

    private HaproxyProcess(Process process, int port, int statsPort) {
        this.process = process;
        this.port = port;
        this.statsPort = statsPort;
    }

    /** Starts it and waits until every replica has passed its health check. */
    static HaproxyProcess start(List<String> replicaUrls) throws IOException, InterruptedException {
        Path deployed = Path.of(System.getProperty("chat.deploy.dir", "../deploy"), "haproxy.cfg");
        StringBuilder config = new StringBuilder(Files.readString(deployed));
        for (int i = 0; i < replicaUrls.size(); i++) {
            URI replica = URI.create(replicaUrls.get(i));
            config.append("    server replica").append(i + 1).append(' ').append(replica.getHost()).append(':')
                    .append(replica.getPort()).append(" check\n");
        }
        Path file = Files.createTempFile("chat-haproxy", ".cfg");
        Files.writeString(file, config);
        int port = LocalPorts.free();
        int statsPort = LocalPorts.free();
        ProcessBuilder builder = new ProcessBuilder(List.of("haproxy", "-f", file.toString()))
                .redirectErrorStream(true).redirectOutput(file.resolveSibling(file.getFileName() + ".log").toFile());
        builder.environment().put("CHAT_LB_BIND", "127.0.0.1:" + port);
        builder.environment().put("CHAT_LB_STATS", "127.0.0.1:" + statsPort);
        HaproxyProcess haproxy = new HaproxyProcess(builder.start(), port, statsPort);
        if (!LocalPorts.awaitListening(port, Duration.ofSeconds(10))) {
            haproxy.close();
            throw new IllegalStateException("haproxy did not start; see " + file + ".log (is haproxy installed? "
                    + "./run.sh test installs it)");
        }
        haproxy.awaitUp(replicaUrls.size());
        return haproxy;
    }

    /** Waits until HAProxy's statistics show this many replicas UP, i.e. passing their /ready checks. */
    void awaitUp(int replicas) throws InterruptedException {
        // Checks every second, up after 2 passes, down after 2 failures (deploy/haproxy.cfg): a few seconds at
        // most; the rest is room for a busy machine.
        Poll.until(replicas + " replicas UP behind haproxy", Duration.ofSeconds(15), this::replicasUp,
                up -> up == replicas);
    }

    /** How many replicas HAProxy has marked UP, from its statistics as CSV (column 18 is the status). */
    int replicasUp() {
        try (Wire stats = new Wire("http://127.0.0.1:" + statsPort, Duration.ofSeconds(5))) {
            return (int) stats.send("GET", "/;csv", null, null).body().lines()
                    .filter(line -> line.startsWith("replicas,replica"))
                    .filter(line -> line.split(",")[17].startsWith("UP"))
                    .count();
        } catch (CaseFailed noAnswer) {
            return 0;
        }
    }

    /**
     * How many sessions (requests, in HTTP mode) HAProxy has sent to each replica since it started, from its
     * statistics as CSV (column 8, stot), by server name ("replica1", ...).
     */
    java.util.Map<String, Long> requestsPerReplica() {
        try (Wire stats = new Wire("http://127.0.0.1:" + statsPort, Duration.ofSeconds(5))) {
            java.util.Map<String, Long> served = new java.util.TreeMap<>();
            stats.send("GET", "/;csv", null, null).body().lines()
                    .filter(line -> line.startsWith("replicas,replica"))
                    .forEach(line -> served.put(line.split(",")[1], Long.parseLong(line.split(",")[7])));
            return served;
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
