package chat.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        Runner runner = new Runner(wire, true);
        return Catalogue.all().stream().map(testCase -> DynamicTest.dynamicTest(testCase.id(), () -> {
            Result result = runner.run(List.of(testCase), r -> { }).get(0);
            assertEquals(Result.Outcome.PASS, result.outcome(), Reports.line(result));
        }));
    }
}
