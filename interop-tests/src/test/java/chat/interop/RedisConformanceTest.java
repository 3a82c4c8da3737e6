package chat.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.stream.Stream;

/** The whole suite, strict, against our server keeping its state in a real Redis: same protocol, same answers. */
@Timeout(300)
class RedisConformanceTest {
    private static RedisProcess redis;
    private static ServerProcess server;
    private static Wire wire;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisProcess.start();
        server = ServerProcess.start("--bcrypt-cost", "4", "--store", redis.url());
        wire = new Wire(server.url(), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        wire.close();
        server.close();
        redis.close();
    }

    @TestFactory
    Stream<DynamicTest> everyCasePasses() {
        return StrictRun.everyCase(wire);
    }
}
