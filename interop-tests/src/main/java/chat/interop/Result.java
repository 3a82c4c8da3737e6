package chat.interop;

/**
 * How one case went.
 *
 * @param testCase the case
 * @param outcome  PASS, FAIL, WARN (a SHOULD case that failed, in a run that is not strict) or SKIP
 * @param detail   for anything but PASS: what went wrong, in a sentence
 * @param exchange for FAIL and WARN: the last request sent and the response received, when there was one
 * @param millis   how long the case took
 */
public record Result(Case testCase, Outcome outcome, String detail, String exchange, long millis) {
    public enum Outcome { PASS, FAIL, WARN, SKIP }

    public String id() {
        return testCase.id();
    }
}
