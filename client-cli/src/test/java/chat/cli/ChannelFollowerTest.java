package chat.cli;

import chat.config.Config;
import chat.config.Settings;
import chat.server.ChatServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class ChannelFollowerTest {
    private static List<String> displayed(List<ChannelFollower.Line> lines) {
        return new ArrayList<>(lines.stream().map(ChannelFollower.Line::display).map(CliHarness::untimed).toList());
    }

    @Test
    void showsEveryMessageOnceAndAnnouncesWhatTheWindowDropped() {
        try (ChatServer server = ChatServer.start(
                Config.defaults().with(Settings.PORT, 0).with(Settings.BCRYPT_COST, 4).build());
             ChatClient client = new ChatClient(server.url())) {
            long key = client.logon("alice", "pw");
            client.create(key, "busy");
            client.post(key, "busy", "first");
            ChannelFollower follower = new ChannelFollower(client, key, "busy", 0);
            assertEquals(List.of("[1] alice: first"), displayed(follower.poll()));
            assertEquals(List.of(), follower.poll(), "nothing new, nothing shown");

            for (int i = 2; i <= 160; i++) { // 159 more: ids 2..60 fall out of the 100-message window
                client.post(key, "busy", "m" + i);
            }
            List<String> lines = displayed(follower.poll());
            assertEquals(101, lines.size(), "a gap notice and the 100 kept: " + lines);
            assertTrue(lines.get(0).contains("messages 2 to 60 were dropped"), lines.get(0));
            assertEquals("[61] alice: m61", lines.get(1));
            assertEquals("[160] alice: m160", lines.get(100));
        }
    }
}
