package chat.interop;

import java.nio.charset.StandardCharsets;

/** Spec section 1: every call is a POST of a JSON object; every answer, success or failure, is the envelope. */
final class TransportCases {
    private TransportCases() {
    }

    static void addTo(Catalogue catalogue) {
        catalogue.must("transport/1", "Every call is POST /<call> with a JSON object body and answers the envelope",
                wire -> {
                    long key = wire.newSession();
                    String channel = wire.newChannel(key);
                    Expect.successTrue(wire.call("post", "sesskey", key, "channel", channel, "message", "hi"), "post");
                    for (Answer answer : new Answer[]{
                            wire.call("list", "sesskey", key),
                            wire.call("lastmessage", "sesskey", key, "channel", channel),
                            wire.call("retrieve", "sesskey", key, "channel", channel, "first", 1, "last", 1)}) {
                        Expect.that(answer.isEnvelope() && answer.status(),
                                "expected a success envelope, got " + Wire.abbreviate(answer.body()));
                    }
                    Expect.successTrue(wire.call("logoff", "sesskey", key), "logoff");
                });

        long unknownKey = 4_503_599_627_370_497L; // 2^52 + 1: well-formed, never a live key in practice
        failureEnvelope(catalogue, "wrong-password", "a wrong password", wire -> {
            String user = wire.newName("u");
            wire.logon(user, "right");
            return wire.call("logon", "username", user, "password", "wrong");
        });
        failureEnvelope(catalogue, "invalid-session", "an unknown session key",
                wire -> wire.call("list", "sesskey", unknownKey));
        failureEnvelope(catalogue, "channel-exists", "creating an existing channel", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            return wire.call("create", "sesskey", key, "channel", channel);
        });
        failureEnvelope(catalogue, "channel-not-found", "posting to a missing channel", wire -> {
            long key = wire.newSession();
            return wire.call("post", "sesskey", key, "channel", wire.newName("none"), "message", "m");
        });
        failureEnvelope(catalogue, "missing-field", "a missing field", wire -> wire.post("create", "{}"));
        failureEnvelope(catalogue, "wrong-type", "a field of the wrong type",
                wire -> wire.post("list", "{\"sesskey\": \"12345\"}"));
        failureEnvelope(catalogue, "malformed-json", "malformed JSON", wire -> wire.post("list", "{\"sesskey\": "));
        failureEnvelope(catalogue, "not-an-object", "a body that is not an object", wire -> wire.post("list", "[1]"));
        failureEnvelope(catalogue, "unknown-path", "an unknown path", wire -> wire.post("no-such-call", "{}"));
        failureEnvelope(catalogue, "wrong-method", "a GET to a call", wire -> wire.send("GET", "/list", null, null));
        failureEnvelope(catalogue, "oversized-body", "a body of 1 MiB",
                wire -> wire.send("POST", "/list", padded(1 << 20), "application/json"));

        catalogue.should("transport/3", "A failure carries \"error\", one of the codes of spec section 6", wire -> {
            Answer[] failures = {
                    wire.call("list", "sesskey", unknownKey),
                    wire.post("list", "{\"sesskey\": "),
                    wire.post("create", "{}"),
            };
            for (Answer answer : failures) {
                Expect.failure(answer, "a failure");
                Expect.that(answer.error() != null && Expect.ERROR_CODES.contains(answer.error()),
                        "expected an error code of the spec, got " + answer.error() + " in " + answer.body());
            }
        });
        catalogue.should("transport/4", "Any request Content-Type is accepted; answers are application/json", wire -> {
            long key = wire.newSession();
            Answer answer = wire.send("POST", "/list", ("{\"sesskey\": " + key + "}").getBytes(StandardCharsets.UTF_8),
                    "text/plain");
            Expect.that(answer.isEnvelope() && answer.status(), "a text/plain body should be read as JSON");
            String type = answer.contentType() == null ? "" : answer.contentType();
            Expect.that(type.startsWith("application/json"), "expected Content-Type application/json, got " + type);
        });
    }

    /** A case: this kind of failure is answered with the envelope (any HTTP status). */
    private static void failureEnvelope(Catalogue catalogue, String variant, String what, Provoke provoke) {
        catalogue.must("transport/2." + variant, "A failure (" + what + ") is answered with the envelope and a reason",
                wire -> Expect.failure(provoke.answer(wire), what));
    }

    @FunctionalInterface
    interface Provoke {
        Answer answer(Wire wire);
    }

    static byte[] padded(int size) {
        StringBuilder body = new StringBuilder(size + 32).append("{\"pad\": \"");
        body.append("x".repeat(size));
        return body.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
