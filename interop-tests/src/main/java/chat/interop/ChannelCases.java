package chat.interop;

import com.google.gson.JsonElement;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The list and create calls (spec 5.3, 5.4). */
final class ChannelCases {
    private ChannelCases() {
    }

    static List<String> names(Answer answer) {
        JsonElement data = answer.success();
        Expect.that(data.isJsonArray(), "list should answer an array, got " + data);
        List<String> names = new ArrayList<>();
        for (JsonElement name : data.getAsJsonArray()) {
            Expect.that(Expect.isString(name), "channel names should be strings, got " + name);
            names.add(name.getAsString());
        }
        return names;
    }

    static void addTo(Catalogue catalogue) {
        catalogue.must("list/1", "list answers every channel's name, each once, exactly as created", wire -> {
            long key = wire.newSession();
            String first = wire.newChannel(key);
            String second = wire.newChannel(key);
            List<String> names = names(wire.call("list", "sesskey", key));
            Expect.equal(1, Collections.frequency(names, first), "times " + first + " is listed");
            Expect.equal(1, Collections.frequency(names, second), "times " + second + " is listed");
        });
        catalogue.should("list/2", "list gives names in creation order, oldest first", wire -> {
            long key = wire.newSession();
            String z = "z-" + wire.newName("c");
            String a = "a-" + wire.newName("c");
            Expect.successTrue(wire.call("create", "sesskey", key, "channel", z), "create " + z);
            Expect.successTrue(wire.call("create", "sesskey", key, "channel", a), "create " + a);
            List<String> names = names(wire.call("list", "sesskey", key));
            Expect.that(names.indexOf(z) < names.indexOf(a), "expected " + z + " before " + a + " in " + names);
        });
        catalogue.must("create/1", "A channel created by one user exists for everyone", wire -> {
            long alice = wire.newSession();
            long bob = wire.newSession();
            String channel = wire.newChannel(alice);
            Expect.that(names(wire.call("list", "sesskey", bob)).contains(channel), "bob should see alice's channel");
            Expect.successTrue(wire.call("post", "sesskey", bob, "channel", channel, "message", "hi"), "bob posts");
        });
        catalogue.must("create/2", "Creating a channel that exists fails", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            Expect.failure(wire.call("create", "sesskey", key, "channel", channel), "the same name again");
            Expect.failure(wire.call("create", "sesskey", wire.newSession(), "channel", channel), "by another user");
        });
        catalogue.must("create/3", "Of concurrent creates of one name, exactly one succeeds", wire -> {
            long key = wire.newSession();
            String channel = wire.newName("c");
            int contenders = 10;
            int created = Race.successes(contenders, () -> {
                Answer answer = wire.call("create", "sesskey", key, "channel", channel);
                return answer.isEnvelope() && answer.status();
            });
            Expect.equal(1, created, "creates that succeeded among " + contenders);
            Expect.equal(1, Collections.frequency(names(wire.call("list", "sesskey", key)), channel),
                    "times the channel is listed");
        });
        catalogue.must("create/4", "Channel names are case-sensitive and kept exactly as given", wire -> {
            long key = wire.newSession();
            String name = wire.newName("Case");
            Expect.successTrue(wire.call("create", "sesskey", key, "channel", name), "create " + name);
            Expect.successTrue(wire.call("create", "sesskey", key, "channel", name.toLowerCase()),
                    "create " + name.toLowerCase());
            String spaced = " " + wire.newName("spaced") + " ";
            Expect.successTrue(wire.call("create", "sesskey", key, "channel", spaced), "create with spaces");
            List<String> names = names(wire.call("list", "sesskey", key));
            Expect.that(names.contains(name) && names.contains(name.toLowerCase()) && names.contains(spaced),
                    "all three names should be listed exactly");
        });
        catalogue.should("create/5", "Channel names are 1-64 characters without control characters (FIELD_INVALID)",
                wire -> {
                    long key = wire.newSession();
                    String exactly64 = (wire.newName("c") + "x".repeat(64)).substring(0, 64);
                    Expect.successTrue(wire.call("create", "sesskey", key, "channel", exactly64), "64 characters");
                    Expect.status(wire.call("create", "sesskey", key, "channel", exactly64 + "y"), 200, "FIELD_INVALID",
                            "65 characters");
                    Expect.status(wire.call("create", "sesskey", key, "channel", ""), 200, "FIELD_INVALID", "empty");
                    Expect.status(wire.call("create", "sesskey", key, "channel", "tab\t" + wire.newName("c")), 200,
                            "FIELD_INVALID", "a tab in the name");
                });
    }
}
