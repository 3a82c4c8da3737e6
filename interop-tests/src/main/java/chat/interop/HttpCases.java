package chat.interop;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
        catalogue.should("http/22", "GET /version answers {\"version\": V, \"commit\": C}", wire -> {
            Answer answer = wire.send("GET", "/version", null, null);
            Expect.equal(200, answer.httpStatus(), "HTTP status");
            Expect.that(answer.isEnvelope() && answer.status() && answer.data().isJsonObject(),
                    "expected a success envelope with an object, got " + answer.body());
            for (String field : List.of("version", "commit")) {
                Expect.that(answer.data().getAsJsonObject().has(field)
                        && answer.data().getAsJsonObject().get(field).isJsonPrimitive()
                        && !answer.data().getAsJsonObject().get(field).getAsString().isEmpty(),
                        "data." + field + " should be a non-empty string, got " + answer.body());
            }
        });
        catalogue.should("http/23", "Every answer carries X-Request-Id: a sane one sent is answered, else a new one",
                HttpCases::requestIds);
        catalogue.should("http/24", "POST / and GET of an unknown path answer 404 UNKNOWN_CALL; a page at GET / carries its CSP",
                HttpCases::pageAtTheRoot);
        catalogue.should("http/25", "No CORS for an origin the server was not told to allow: no Access-Control-Allow-Origin",
                HttpCases::noCorsForStrangers);
        catalogue.should("http/13", "A URL of 12 KiB answers 414 URL_TOO_LONG (or a bare 400), and the server serves on",
                wire -> headOverTheLimit(wire, "GET /health?pad=" + "a".repeat(12 * 1024) + " HTTP/1.1\r\n", "",
                        414, "URL_TOO_LONG", "a URL of 12 KiB"));
        catalogue.should("http/13.headers", "A header of 14 KiB answers 431 HEADERS_TOO_LARGE (or a bare 400)",
                wire -> headOverTheLimit(wire, "GET /health HTTP/1.1\r\n", "X-Pad: " + "a".repeat(14 * 1024) + "\r\n",
                        431, "HEADERS_TOO_LARGE", "a header of 14 KiB"));
        catalogue.should("http/13.continue", "Expect: 100-continue gets 100 Continue before the body is sent, then the answer",
                HttpCases::continueBeforeTheBody);
        catalogue.must("http/8", "After all the bad input before, the server still answers a normal logon", wire -> {
            for (String body : List.of("{", "[]", "", "{\"sesskey\": \"x\"}", "\u0000\u0001\u0002")) {
                wire.post("list", body);
            }
            Answer answer = wire.call("logon", "username", wire.newName("u"), "password", "pw");
            Expect.that(answer.isEnvelope() && answer.status(), "a normal logon should work, got " + answer.body());
        });
    }

    private static void pageAtTheRoot(Wire wire) throws Exception {
        Expect.status(wire.post("", "{}"), 404, "UNKNOWN_CALL", "POST /");
        Expect.status(wire.send("GET", "/interop-no-such-page.js", null, null), 404, "UNKNOWN_CALL",
                "GET /interop-no-such-page.js");
        Answer root = wire.send("GET", "/", null, null);
        if (root.httpStatus() == 200 && !root.isEnvelope()) { // a page: then safe as http/24 has it
            String policy = root.header("Content-Security-Policy");
            Expect.that(policy != null && policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'"),
                    "the page at GET / should carry Content-Security-Policy with default-src 'self' and "
                            + "frame-ancestors 'none', got " + policy);
            Expect.equal("nosniff", root.header("X-Content-Type-Options"), "X-Content-Type-Options of GET /");
        } else {
            Expect.status(root, 404, "UNKNOWN_CALL", "GET / without a page");
        }
    }

    private static void noCorsForStrangers(Wire wire) throws Exception {
        String origin = "https://interop.invalid";
        try (RawExchange raw = new RawExchange(wire.baseUrl(), 10_000)) {
            raw.send("OPTIONS /logon HTTP/1.1\r\nHost: " + raw.host + "\r\nOrigin: " + origin
                    + "\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n");
            RawExchange.Response preflight = raw.read();
            Expect.that(preflight.header("Access-Control-Allow-Origin") == null,
                    "a preflight from " + origin + " should get no Access-Control-Allow-Origin, got "
                            + preflight.header("Access-Control-Allow-Origin"));
        }
        try (RawExchange raw = new RawExchange(wire.baseUrl(), 10_000)) {
            raw.send("POST /list HTTP/1.1\r\nHost: " + raw.host + "\r\nOrigin: " + origin
                    + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
            RawExchange.Response call = raw.read();
            Expect.that(call.header("Access-Control-Allow-Origin") == null,
                    "a call from " + origin + " should get no Access-Control-Allow-Origin, got "
                            + call.header("Access-Control-Allow-Origin"));
        }
    }

    private static void requestIds(Wire wire) throws Exception {
        String sent = "interop-" + wire.newName("r");
        for (String path : List.of("/list", "/nowhere")) { // a refused call, and an unknown path
            try (RawExchange raw = new RawExchange(wire.baseUrl(), 10_000)) {
                raw.send("POST " + path + " HTTP/1.1\r\nHost: " + raw.host + "\r\nX-Request-Id: " + sent
                        + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
                Expect.equal(sent, raw.read().header("X-Request-Id"), "X-Request-Id of POST " + path);
            }
        }
        Set<String> made = new HashSet<>();
        for (String insane : List.of("", "has space", "x".repeat(129))) {
            try (RawExchange raw = new RawExchange(wire.baseUrl(), 10_000)) {
                raw.send("POST /list HTTP/1.1\r\nHost: " + raw.host + "\r\nX-Request-Id: " + insane
                        + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
                String answered = raw.read().header("X-Request-Id");
                Expect.that(answered != null && !answered.isEmpty() && !answered.equals(insane),
                        "an X-Request-Id of \"" + insane + "\" should be answered with one made by the server, got "
                                + answered);
                made.add(answered);
            }
        }
        Expect.equal(3, made.size(), "the server's ids, one for each request (" + made + ")");
    }

    /** Sends a head over a limit: the answer is the given status with the envelope, or a bare 400. */
    private static void headOverTheLimit(Wire wire, String requestLine, String extraHeaders, int status, String error,
                                         String what) throws Exception {
        try (RawExchange raw = new RawExchange(wire.baseUrl(), 10_000)) {
            raw.send(requestLine + "Host: " + raw.host + "\r\n" + extraHeaders + "Connection: close\r\n\r\n");
            RawExchange.Response response;
            try {
                response = raw.read();
            } catch (IOException e) {
                throw new CaseFailed(what + ": no answer (" + e.getMessage() + ")");
            }
            if (response.status() != 400) {
                Expect.status(response.answer(), status, error, what);
            }
        }
        Answer health = wire.send("GET", "/health", null, null);
        Expect.equal(200, health.httpStatus(), "GET /health after " + what);
    }

    private static void continueBeforeTheBody(Wire wire) throws Exception {
        byte[] body = ("{\"username\": \"" + wire.newName("c") + "\", \"password\": \"pw\"}").getBytes(StandardCharsets.UTF_8);
        try (RawExchange raw = new RawExchange(wire.baseUrl(), 5_000)) {
            raw.send("POST /logon HTTP/1.1\r\nHost: " + raw.host + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\nExpect: 100-continue\r\n\r\n");
            String interim;
            try {
                interim = raw.readHead();
            } catch (SocketTimeoutException e) {
                throw new CaseFailed("no 100 Continue within 5 s of a head with Expect: 100-continue (the body is held back)");
            }
            Expect.that(interim.startsWith("HTTP/1.1 100"), "expected HTTP/1.1 100 Continue before the body, got "
                    + interim.lines().findFirst().orElse(""));
            raw.send(body);
            Answer answer = raw.read().answer();
            Expect.equal(200, answer.httpStatus(), "the logon's HTTP status after the 100");
            Expect.that(answer.isEnvelope() && answer.status(), "the logon should succeed, got " + answer.body());
        }
    }
}
