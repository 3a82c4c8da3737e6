package chat.interop;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Spec section 2: strict JSON, ignored extras, missing fields, wrong types, 64-bit integers, exact strings. */
final class JsonCases {
    private JsonCases() {
    }

    static void addTo(Catalogue catalogue) {
        catalogue.should("json/1", "Malformed JSON (comments, single quotes, NaN, leading zeros, trailing data, raw "
                + "control characters, empty body...) is HTTP 400 MALFORMED_JSON", wire -> {
            for (String body : List.of("{\"sesskey\": ", "{'sesskey': 1}", "{sesskey: 1}", "{\"sesskey\": 01}",
                    "{\"sesskey\": NaN}", "{\"sesskey\": 1} // comment", "{\"sesskey\": 1,}",
                    "{\"sesskey\": 1} {\"sesskey\": 1}", "{\"a\": \"raw\u0001control\"}", "", "{\"sesskey\": +1}")) {
                Expect.status(wire.post("list", body), 400, "MALFORMED_JSON", "the body " + body);
            }
            byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
            Expect.status(wire.send("POST", "/list", invalidUtf8, "application/json"), 400, "MALFORMED_JSON",
                    "invalid UTF-8");
        });
        catalogue.should("json/2", "A JSON body that is not an object is HTTP 400 BODY_NOT_OBJECT", wire -> {
            for (String body : List.of("[1, 2]", "\"text\"", "42", "true", "null")) {
                Expect.status(wire.post("list", body), 400, "BODY_NOT_OBJECT", "the body " + body);
            }
        });
        catalogue.must("json/3", "Fields the call does not use are ignored", wire -> {
            long key = wire.newSession();
            Answer answer = wire.post("list", "{\"sesskey\": " + key + ", \"extra\": {\"nested\": [1, \"two\", null]},"
                    + " \"more\": true}");
            Expect.that(answer.isEnvelope() && answer.status(), "extra fields should be ignored, got " + answer.body());
        });
        catalogue.must("json/4", "A missing required field fails, the reason naming the field", wire -> {
            long key = wire.newSession();
            Expect.failureNaming(wire.post("create", "{\"sesskey\": " + key + "}"), "channel", "create without channel");
            Expect.failureNaming(wire.post("list", "{}"), "sesskey", "list without sesskey");
            Expect.failureNaming(wire.post("logon", "{\"username\": \"" + wire.newName("u") + "\"}"), "password",
                    "logon without password");
        });
        catalogue.must("json/5", "A field of the wrong JSON type fails naming the field; integers are JSON integer "
                + "literals only", wire -> {
            long key = wire.newSession();
            for (String value : List.of("\"" + key + "\"", key + ".0", "5e0", "null", "true", "[" + key + "]")) {
                Expect.failureNaming(wire.post("list", "{\"sesskey\": " + value + "}"), "sesskey", "sesskey " + value);
            }
            Expect.failureNaming(wire.post("create", "{\"sesskey\": " + key + ", \"channel\": 7}"), "channel",
                    "a number as channel");
            String channel = wire.newChannel(key);
            Expect.failureNaming(wire.post("retrieve", "{\"sesskey\": " + key + ", \"channel\": \"" + channel
                    + "\", \"first\": \"1\", \"last\": 2}"), "first", "first as a string");
        });
        catalogue.must("json/6", "An integer beyond 64 bits fails naming the field, never truncated", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            for (String value : List.of("18446744073709551616", "-9223372036854775809", "99999999999999999999999")) {
                Expect.failureNaming(wire.post("retrieve", "{\"sesskey\": " + key + ", \"channel\": \"" + channel
                        + "\", \"first\": " + value + ", \"last\": 1}"), "first", "first = " + value);
            }
            // 2^64 + key would be key again if the server kept only the low 64 bits.
            String wrapped = new java.math.BigInteger("18446744073709551616").add(java.math.BigInteger.valueOf(key)).toString();
            Expect.failureNaming(wire.post("list", "{\"sesskey\": " + wrapped + "}"), "sesskey", "sesskey 2^64 + key");
        });
        catalogue.must("json/7", "Strings come back exactly: any Unicode, quotes, backslashes, control characters",
                wire -> {
                    String user = wire.newName("ü名😀");
                    long key = wire.logon(user, "pässwörd 🔑");
                    String channel = wire.newName("«ch» 🎉 \"q\"");
                    Expect.successTrue(wire.call("create", "sesskey", key, "channel", channel), "create");
                    List<String> texts = List.of("emoji 😀👍🏽🇯🇵 family 👨‍👩‍👧", "漢字 한국어 שלום مرحبا",
                            "quote \" backslash \\ slash /", "newline\n return\r tab\t bell\u0007 nul\u0000 \u001f",
                            "separators \u2028\u2029 bom \ufeff", "</script><b>&amp;</b>");
                    for (String text : texts) {
                        wire.postMessage(key, channel, text);
                    }
                    Answer answer = wire.call("retrieve", "sesskey", key, "channel", channel, "first", 1, "last", 100);
                    Expect.equal(Expect.range(1, texts.size()), Expect.messageIds(answer, "retrieve"), "ids");
                    for (int i = 0; i < texts.size(); i++) {
                        var message = answer.data().getAsJsonArray().get(i).getAsJsonObject();
                        Expect.equal(texts.get(i), message.get("message").getAsString(), "message " + (i + 1));
                        Expect.equal(user, message.get("username").getAsString(), "username");
                    }
                    Answer list = wire.call("list", "sesskey", key);
                    Expect.that(list.success().toString().contains(new com.google.gson.Gson().toJson(channel)),
                            "the channel name should be listed exactly as created");
                });
        catalogue.must("json/7.unpaired-surrogate", "A string with an unpaired surrogate escape is not Unicode text "
                + "and fails", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            String body = "{\"sesskey\": " + key + ", \"channel\": \"" + channel + "\", \"message\": \"a\\ud800b\"}";
            Expect.failureNaming(wire.post("post", body), "message", "a message with \\ud800 alone");
        });
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
