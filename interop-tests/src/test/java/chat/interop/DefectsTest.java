package chat.interop;

import chat.interop.FaultyServer.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite catches defects: against a server with one fault, the case for that requirement fails. */
@Timeout(120)
class DefectsTest {
    private static List<Result> run(Fault fault, String onlyPrefix) throws Exception {
        try (FaultyServer server = new FaultyServer(fault); Wire wire = new Wire(server.url(), Duration.ofSeconds(10))) {
            return new Runner(wire, false).run(Main.select(Catalogue.all(), List.of(onlyPrefix)), r -> { });
        }
    }

    private static String describe(List<Result> results) {
        return results.stream().map(Reports::line).collect(Collectors.joining("\n"));
    }

    @ParameterizedTest(name = "{0} is reported by {1}")
    @CsvSource({
            "WINDOW_99,                retrieve/2",
            "WINDOW_101,               retrieve/2",
            "KEY_AS_STRING,            session/2",
            "SEQUENTIAL_KEYS,          session/3",
            "LOGOFF_KEEPS_KEY,         session/5",
            "RETRIEVE_OFF_BY_ONE,      retrieve/1",
            "UNLOCKED_IDS,             post/3.concurrent",
            "UNLOCKED_CREATE,          create/3",
            "FAILURE_WITHOUT_ENVELOPE, transport/2.wrong-password",
            "FAILURE_WITHOUT_ENVELOPE, transport/2.channel-not-found",
            "MESSAGE_WITHOUT_USERNAME, retrieve/1",
            "MESSAGE_ID_AS_STRING,     retrieve/1",
    })
    void theFaultFailsItsMustCase(Fault fault, String caseId) throws Exception {
        List<Result> results = run(fault, caseId);
        Result target = results.stream().filter(r -> r.id().equals(caseId)).findFirst().orElseThrow();
        assertEquals(Result.Outcome.FAIL, target.outcome(), describe(results));
        assertTrue(target.detail() != null && !target.detail().isBlank(), "a failure says why");
    }

    /** The small server keeps no idempotency keys, which the spec allows (post/5-6 are SHOULDs): those cases skip. */
    @Test
    void aServerThatIgnoresIdempotencyKeysSkipsTheirCases() throws Exception {
        List<Result> results = run(Fault.NONE, "post/");
        for (String id : List.of("post/5", "post/5.ws", "post/6")) {
            Result result = results.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
            assertEquals(Result.Outcome.SKIP, result.outcome(), describe(results));
        }
    }

    /** retrieve/9 is a SHOULD: a wrong time fails it, in strict mode, while a message with no time skips it. */
    @ParameterizedTest(name = "{0} fails retrieve/9 in strict mode")
    @CsvSource({"TIME_AS_STRING", "TIME_GOING_BACK"})
    void aWrongTimeFailsTheTimeCase(Fault fault) throws Exception {
        try (FaultyServer server = new FaultyServer(fault); Wire wire = new Wire(server.url(), Duration.ofSeconds(10))) {
            List<Result> results = new Runner(wire, true).run(Main.select(Catalogue.all(), List.of("retrieve/")), r -> { });
            Result time = results.stream().filter(r -> r.id().equals("retrieve/9")).findFirst().orElseThrow();
            assertEquals(Result.Outcome.FAIL, time.outcome(), describe(results));
            assertTrue(time.detail().contains(fault == Fault.TIME_GOING_BACK ? "go back" : "must be an integer"),
                    "failed for the fault's reason: " + time.detail());
            Result shape = results.stream().filter(r -> r.id().equals("retrieve/1")).findFirst().orElseThrow();
            assertEquals(Result.Outcome.PASS, shape.outcome(), "the three fields are right: " + describe(results));
        }
    }

    /** Clients ignore fields they do not know (spec retrieve/1): a fourth one fails nothing. */
    @Test
    void anExtraMessageFieldPassesRetrieveAndTheTimeCaseSkipsWithoutATime() throws Exception {
        List<Result> results = run(Fault.MESSAGE_WITH_EXTRA_FIELD, "retrieve/");
        assertTrue(results.stream().noneMatch(r -> r.outcome() == Result.Outcome.FAIL), describe(results));
        Result time = results.stream().filter(r -> r.id().equals("retrieve/9")).findFirst().orElseThrow();
        assertEquals(Result.Outcome.SKIP, time.outcome(), describe(results));
    }

    /** The small server has no presence, which the spec allows (9.1): who is an unknown call, and its cases skip. */
    @Test
    void aServerWithoutPresenceSkipsItsCases() throws Exception {
        List<Result> results = run(Fault.NONE, "presence/");
        assertTrue(results.size() >= 6, describe(results));
        for (Result result : results) {
            assertEquals(Result.Outcome.SKIP, result.outcome(), describe(results));
        }
    }

    @Test
    void withoutAFaultTheSmallServerPassesEveryMustCase() throws Exception {
        try (FaultyServer server = new FaultyServer(Fault.NONE); Wire wire = new Wire(server.url(), Duration.ofSeconds(10))) {
            List<Result> results = new Runner(wire, false).run(Catalogue.all(), r -> { });
            List<Result> failed = results.stream().filter(r -> r.outcome() == Result.Outcome.FAIL).toList();
            assertTrue(failed.isEmpty(), describe(failed));
            assertTrue(Reports.count(results, Result.Outcome.WARN) > 0,
                    "it leaves out SHOULD details (error codes), so some SHOULD cases warn: " + Reports.summary(results));
        }
    }
}
