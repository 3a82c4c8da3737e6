package chat.interop;

import java.util.List;

/** Spec section 3: HTTP statuses below the protocol, /health, and serving on after bad input. */
final class HttpCases {
    private HttpCases() {
    }

    static void addTo(Catalogue catalogue) {
        catalogue.should("http/1", "A well-formed call to a known endpoint answers HTTP 200 whatever the outcome", wire -> {
            String user = wire.newName("u");
            wire.logon(user, "right");
            Expect.status(wire.call("logon", "username", user, "password", "wrong"), 200, "WRONG_PASSWORD",
                    "a wrong password");
            Expect.status(wire.call("list", "sesskey", 12345), 200, "INVALID_SESSION", "an unknown key");
            Expect.status(wire.post("create", "{}"), 200, "FIELD_MISSING", "a missing field");
            long key = wire.newSession();
            Expect.status(wire.call("post", "sesskey", key, "channel", wire.newName("none"), "message", "m"), 200,
                    "CHANNEL_NOT_FOUND", "an unknown channel");
        });
        catalogue.should("http/2", "An unknown path answers 404 UNKNOWN_CALL, the reason listing the calls", wire -> {
            Answer answer = wire.post("no-such-call", "{}");
            Expect.status(answer, 404, "UNKNOWN_CALL", "POST /no-such-call");
            Expect.that(answer.data().getAsString().contains("retrieve"), "the reason should list the calls");
        });
        catalogue.should("http/3", "Another method than POST answers 405 METHOD_NOT_ALLOWED with Allow: POST", wire -> {
            for (String method : List.of("GET", "PUT", "DELETE")) {
                byte[] body = method.equals("GET") ? null : "{}".getBytes();
                Answer answer = wire.send(method, "/list", body, "application/json");
                Expect.status(answer, 405, "METHOD_NOT_ALLOWED", method + " /list");
                Expect.equal("POST", answer.allow(), method + " /list: the Allow header");
            }
        });
        catalogue.should("http/4", "A body over the limit answers 413 BODY_TOO_LARGE", wire ->
                Expect.status(wire.send("POST", "/post", TransportCases.padded(1 << 20), "application/json"), 413,
                        "BODY_TOO_LARGE", "a 1 MiB body"));
        catalogue.should("http/4.chunked", "A chunked body over the limit answers 413 BODY_TOO_LARGE too", wire ->
                Expect.status(wire.sendChunked("/post", TransportCases.padded(1 << 20)), 413, "BODY_TOO_LARGE",
                        "a 1 MiB chunked body"));
        catalogue.should("http/6", "GET /health answers {\"status\": true, \"data\": \"ok\"}", wire -> {
            Answer answer = wire.send("GET", "/health", null, null);
            Expect.equal(200, answer.httpStatus(), "HTTP status");
            Expect.that(answer.isEnvelope() && answer.status(), "expected a success envelope, got " + answer.body());
            Expect.equal("ok", answer.data().getAsString(), "data");
        });
        catalogue.must("http/8", "After all the bad input before, the server still answers a normal logon", wire -> {
            for (String body : List.of("{", "[]", "", "{\"sesskey\": \"x\"}", "\u0000\u0001\u0002")) {
                wire.post("list", body);
            }
            Answer answer = wire.call("logon", "username", wire.newName("u"), "password", "pw");
            Expect.that(answer.isEnvelope() && answer.status(), "a normal logon should work, got " + answer.body());
        });
    }
}
