package chat.web;

import chat.testing.Await;
import chat.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page behind {@code ./run.sh cluster}: HAProxy in front of two replicas on one Redis, started by run.sh itself
 * (on ports of its own, so that it runs beside a developer's cluster), not rebuilt here. Two people on the page
 * through the balancer chat live, whichever replica each one's calls and socket land on.
 */
@Timeout(180)
class ClusterPageTest {

    @Test
    void twoPeopleChatThroughRunShCluster() throws Exception {
        Path dir = Files.createTempDirectory("chat-web-cluster");
        int lbPort = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("chat.root", ".."), "run.sh")
                .toAbsolutePath().normalize().toString(), "cluster", "2")
                .redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile());
        builder.environment().put("CHAT_CLUSTER_PORT", Integer.toString(lbPort));
        builder.environment().put("CHAT_CLUSTER_REDIS_PORT", Integer.toString(freePort()));
        builder.environment().put("CHAT_CLUSTER_STATS_PORT", Integer.toString(freePort()));
        builder.environment().put("CHAT_CLUSTER_REPLICA_PORTS", Integer.toString(freeRun(2)));
        builder.environment().put("CHAT_CLUSTER_METRICS_PORTS", Integer.toString(freeRun(2)));
        builder.environment().put("CHAT_CLUSTER_DIR", dir.resolve("cluster").toString());
        builder.environment().put("CHAT_HEAP", "256m");
        Process cluster = builder.start();
        String url = "http://127.0.0.1:" + lbPort;
        try {
            // Up once the balancer has a replica that passed its /ready checks (deploy/haproxy.cfg: rise 2).
            Await.until("./run.sh cluster to answer /ready through HAProxy (see " + dir + "/run.log)",
                    Duration.ofSeconds(120), () -> cluster.isAlive() && status(url + "/ready") == 200);
            String channel = TestServer.unique("cluster");
            String aliceName = TestServer.unique("alice");
            String bobName = TestServer.unique("bob");
            try (Browser alice = Browser.open(url + "/", "alice");
                 Browser bob = Browser.open(url + "/", "bob")) {
                alice.logOnAndWait(aliceName, "password");
                alice.createChannel(channel);
                bob.logOnAndWait(bobName, "password");
                bob.openChannel(channel);
                alice.send("through the balancer");
                bob.awaitMessage(aliceName, "through the balancer");
                bob.send("and back");
                alice.awaitMessage(bobName, "and back");
                assertEquals(List.of(aliceName + " through the balancer", bobName + " and back"), alice.logLines());
                assertEquals(alice.logLines(), bob.logLines());
                assertTrue(alice.connection().equals("Connected"), alice.connection());
                alice.screenshot("cluster-alice");
            }
        } finally {
            cluster.destroy(); // SIGTERM: run.sh stops its Redis, replicas and HAProxy on the way out
            if (!cluster.waitFor(30, TimeUnit.SECONDS)) {
                cluster.destroyForcibly();
            }
        }
    }

    private static int status(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(1_000);
            connection.setReadTimeout(2_000);
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (IOException notYet) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** A base B such that B+1 .. B+count are free now: run.sh numbers replicas from B+1. */
    private static int freeRun(int count) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = freePort();
            if (base + count > 65535) {
                continue;
            }
            boolean free = true;
            for (int i = 1; i <= count && free; i++) {
                try (ServerSocket probe = new ServerSocket(base + i, 1, InetAddress.getLoopbackAddress())) {
                    free = probe.getLocalPort() == base + i;
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no run of " + count + " free ports on loopback");
    }
}
