package chat.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The whole suite, strict, through HAProxy in front of two replicas sharing one Redis: a client cannot tell it
 * from one server, although consecutive calls (and a socket and the calls around it) land on different replicas.
 */
@Timeout(300)
class ClusterConformanceTest {
    private static RedisProcess redis;
    private static ServerProcess replicaA;
    private static ServerProcess replicaB;
    private static HaproxyProcess balancer;
    private static Wire wire;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisProcess.start();
        replicaA = ServerProcess.start("--bcrypt-cost", "4", "--store", redis.url(),
                "--trusted-proxies", "127.0.0.1/32"); // behind HAProxy on loopback
        replicaB = ServerProcess.start("--bcrypt-cost", "4", "--store", redis.url(),
                "--trusted-proxies", "127.0.0.1/32"); // behind HAProxy on loopback
        balancer = HaproxyProcess.start(List.of(replicaA.url(), replicaB.url()));
        wire = new Wire(balancer.url(), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        wire.close();
        balancer.close();
        replicaA.close();
        replicaB.close();
        redis.close();
    }

    @TestFactory
    Stream<DynamicTest> everyCasePasses() {
        return StrictRun.everyCase(wire);
    }
}
