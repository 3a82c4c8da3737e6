package chat.interop;

import org.junit.jupiter.api.DynamicTest;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every case of the suite, strict, as one JUnit test each: for the tests that run it against our deployments. */
final class StrictRun {
    private StrictRun() {
    }

    static Stream<DynamicTest> everyCase(Wire wire) {
        Runner runner = new Runner(wire, true);
        return Catalogue.all().stream().map(testCase -> DynamicTest.dynamicTest(testCase.id(), () -> {
            Result result = runner.run(List.of(testCase), r -> { }).get(0);
            assertEquals(Result.Outcome.PASS, result.outcome(), Reports.line(result));
        }));
    }
}
