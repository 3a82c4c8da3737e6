package chat.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Runs cases one after another against one server, each within a time limit, and judges each. */
public final class Runner {
    /** No case may take longer than this, whatever the server does. */
    static final Duration CASE_LIMIT = Duration.ofSeconds(60);

    private final Wire wire;
    private final boolean strict;
    /** Written by the case's thread when it ends, read after its Future completes (which orders the two). */
    private volatile String exchangeOfCase;

    /**
     * @param strict SHOULD failures count as failures (FAIL) rather than warnings (WARN)
     */
    public Runner(Wire wire, boolean strict) {
        this.wire = wire;
        this.strict = strict;
    }

    public List<Result> run(List<Case> cases, Consumer<Result> onEach) {
        List<Result> results = new ArrayList<>();
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread daemon = new Thread(runnable, "interop-case");
            daemon.setDaemon(true);
            return daemon;
        });
        try {
            for (Case testCase : cases) {
                Result result = runOne(thread, testCase);
                results.add(result);
                onEach.accept(result);
            }
        } finally {
            thread.shutdownNow();
        }
        return results;
    }

    private Result runOne(ExecutorService thread, Case testCase) {
        long start = System.nanoTime();
        Future<String> running = thread.submit(() -> {
            wire.forgetExchange();
            try {
                testCase.check().run(wire);
                return null;
            } finally {
                exchangeOfCase = wire.lastExchange();
            }
        });
        Result.Outcome outcome = Result.Outcome.PASS;
        String detail = null;
        try {
            running.get(CASE_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            outcome = failed(testCase);
            detail = "the case did not finish within " + CASE_LIMIT.toSeconds() + " s";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CaseSkipped) {
                outcome = Result.Outcome.SKIP;
            } else {
                outcome = failed(testCase);
            }
            detail = cause instanceof CaseFailed || cause instanceof CaseSkipped ? cause.getMessage() : cause.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = failed(testCase);
            detail = "interrupted";
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String exchange = outcome == Result.Outcome.FAIL || outcome == Result.Outcome.WARN ? exchangeOfCase : null;
        return new Result(testCase, outcome, detail, exchange, millis);
    }

    private Result.Outcome failed(Case testCase) {
        return testCase.level() == Level.MUST || strict ? Result.Outcome.FAIL : Result.Outcome.WARN;
    }
}
