package chat.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.stream.Stream;

/** The whole suite, strict, against our own server started from its jar: every case, MUST and SHOULD, passes. */
@Timeout(300)
class OwnServerConformanceTest {
    private static ServerProcess server;
    private static Wire wire;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start("--bcrypt-cost", "4");
        wire = new Wire(server.url(), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        wire.close();
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> everyCasePasses() {
        return StrictRun.everyCase(wire);
    }
}
