package chat.web;

import chat.config.Config;
import chat.config.Settings;
import chat.testing.LocalRedis;
import chat.testing.TestServer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat page of issue 19 in a real headless Chromium against the real server: two people chatting live, text
 * that looks like markup shown as text, unread counts, the failures a person meets, and both pages carrying on
 * across a restart of the server. Each test is bounded; every wait is for something the page shows.
 */
@Timeout(120)
class ChatPageTest {

    @Test
    void twoPeopleInTwoBrowsersSeeEachOthersMessagesLive() {
        String channel = TestServer.unique("general");
        try (TestServer server = TestServer.start();
             Browser alice = Browser.open(server.url("/"), "alice");
             Browser bob = Browser.open(server.url("/"), "bob")) {
            alice.logOnAndWait(TestServer.unique("alice"), "alice's password");
            alice.createChannel(channel);
            String aliceName = alice.driver().findElement(By.id("me")).getText();
            String bobName = TestServer.unique("bob");
            bob.logOnAndWait(bobName, "bob's password");
            // A channel someone else made appears in the list by itself (the page polls the list).
            bob.waitFor("alice's channel in bob's list", d -> bob.channelButtons().contains(channel));
            bob.openChannel(channel);

            long sent = System.nanoTime();
            alice.send("hello bob");
            bob.awaitMessage(aliceName, "hello bob");
            long aliceToBob = (System.nanoTime() - sent) / 1_000_000;
            sent = System.nanoTime();
            bob.send("hello alice");
            alice.awaitMessage(bobName, "hello alice");
            long bobToAlice = (System.nanoTime() - sent) / 1_000_000;
            System.out.printf("message seen by the other browser %d ms and %d ms after Enter%n", aliceToBob, bobToAlice);

            bob.send("and again");
            alice.awaitMessage(bobName, "and again");
            assertEquals(List.of(aliceName + " hello bob", bobName + " hello alice", bobName + " and again"),
                    alice.logLines(), "each message once, in order");
            assertEquals(alice.logLines(), bob.logLines());
            // Times and presence where the server gives them (issue 18's shapes), and none where it does not.
            long reader = server.newSession();
            JsonObject stored = server.post("retrieve", Map.of("sesskey", reader, "channel", channel, "first", 1,
                    "last", 1)).success().getAsJsonArray().get(0).getAsJsonObject();
            int times = alice.log().findElements(By.tagName("time")).size();
            assertEquals(stored.has("time") ? 3 : 0, times, "a time on each message exactly when the server gives one");
            TestServer.Reply who = server.post("who", Map.of("sesskey", reader, "channel", channel));
            WebElement presence = alice.driver().findElement(By.id("presence"));
            if ("UNKNOWN_CALL".equals(who.error())) {
                assertTrue(!presence.isDisplayed(), "no presence shown by a server without it");
            } else {
                alice.waitFor("alice's page to show bob present", d -> presence.isDisplayed()
                        && presence.getText().contains(bobName) && presence.getText().contains(aliceName));
            }
            alice.screenshot("two-people-alice");
            bob.screenshot("two-people-bob");
            for (Browser browser : List.of(alice, bob)) {
                // The page's own code keeps to its Content-Security-Policy: a violation would be logged here.
                List<LogEntry> errors = browser.consoleEntries().stream()
                        .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()).toList();
                assertEquals(List.of(), errors.stream().map(LogEntry::getMessage).toList());
            }
        }
    }

    @Test
    void shiftEnterIsANewLineInTheMessage() {
        try (TestServer server = TestServer.start();
             Browser alice = Browser.open(server.url("/"), "alice")) {
            String name = TestServer.unique("alice");
            alice.logOnAndWait(name, "password");
            String channel = TestServer.unique("lines");
            alice.createChannel(channel);
            WebElement field = alice.field("Message");
            field.sendKeys("first line");
            field.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.SHIFT, org.openqa.selenium.Keys.ENTER));
            field.sendKeys("second line", org.openqa.selenium.Keys.ENTER);
            alice.awaitMessage(name, "first line\nsecond line");
        }
    }

    @Test
    void textThatLooksLikeMarkupIsShownAsText() {
        String attack = "<img src=x onerror=alert(1)>";
        try (TestServer server = TestServer.start();
             Browser alice = Browser.open(server.url("/"), "alice");
             Browser bob = Browser.open(server.url("/"), "bob")) {
            // The user name and the channel's name are server strings too.
            String mallory = "<b>mallory" + TestServer.unique("") + "</b>";
            String channel = "<i>" + TestServer.unique("x") + "</i>";
            alice.logOnAndWait(mallory, "password");
            alice.createChannel(channel);
            bob.logOnAndWait(TestServer.unique("bob"), "password");
            bob.openChannel(channel);
            alice.send(attack);
            alice.send("<script>alert(2)</script>");
            bob.awaitMessage(mallory, attack);
            bob.awaitMessage(mallory, "<script>alert(2)</script>");
            for (Browser browser : List.of(alice, bob)) {
                assertEquals(List.of(), browser.driver().findElements(By.cssSelector("img, b, i, script[src=x]")),
                        "no element made of a server string");
                assertEquals(1, browser.driver().findElements(By.tagName("script")).size(), "only the page's module");
                assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert());
                assertTrue(browser.channelButtons().contains(channel), browser.channelButtons().toString());
            }
            bob.screenshot("markup-as-text");
        }
    }

    @Test
    void theUnreadCountRisesOnAChannelThatIsNotOpen() {
        try (TestServer server = TestServer.start();
             Browser alice = Browser.open(server.url("/"), "alice")) {
            long bob = server.newSession();
            String quiet = server.newChannel(bob);
            String busy = server.newChannel(bob);
            server.postMessage(bob, busy, "before alice came: history, not unread");
            alice.logOnAndWait(TestServer.unique("alice"), "password");
            alice.openChannel(busy);
            alice.awaitMessage(bobName(server, bob), "before alice came: history, not unread");
            alice.openChannel(quiet); // the tab follows busy still
            server.postMessage(bob, busy, "one");
            server.postMessage(bob, busy, "two");
            alice.waitFor("busy to show 2 unread", d -> alice.channelButtons().contains(busy + " 2"));
            assertTrue(alice.channelButtons().contains(quiet), alice.channelButtons().toString());
            alice.screenshot("unread");
            alice.openChannel(busy);
            alice.awaitMessage(bobName(server, bob), "two");
            alice.waitFor("the count to go once busy is open", d -> alice.channelButtons().contains(busy));
            assertEquals(3, alice.logLines().size(), alice.logLines().toString());
        }
    }

    @Test
    void messagesTheWindowDroppedAreShownAsAGap() {
        try (TestServer server = TestServer.start(TestServer.config().with(Settings.WINDOW, 3).build());
             Browser alice = Browser.open(server.url("/"), "alice")) {
            long bob = server.newSession();
            String channel = server.newChannel(bob);
            for (int i = 1; i <= 5; i++) {
                server.postMessage(bob, channel, "message " + i);
            }
            alice.logOnAndWait(TestServer.unique("alice"), "password");
            alice.openChannel(channel);
            alice.awaitMessage(bobName(server, bob), "message 5");
            List<String> lines = alice.logLines();
            assertEquals("Messages 1 to 2 were dropped before this page got them.", lines.get(0), lines.toString());
            assertEquals(4, lines.size(), "the gap, then the three kept: " + lines);
        }
    }

    /** newSession logs on a unique user; its name is the one on the messages it posts. */
    private static String bobName(TestServer server, long key) {
        String probe = TestServer.unique("probe");
        server.post("create", Map.of("sesskey", key, "channel", probe));
        server.postMessage(key, probe, "who am I");
        JsonObject message = server.post("retrieve", Map.of("sesskey", key, "channel", probe, "first", 1, "last", 1))
                .success().getAsJsonArray().get(0).getAsJsonObject();
        return message.get("username").getAsString();
    }

    @Test
    void failuresAreToldAndAnEndedSessionGoesBackToTheLogonForm() {
        // Loopback is exempt from the logon limit by default; here it is not, with room for four logons.
        Config config = TestServer.config().with(Settings.CLIENT_LIMIT_EXEMPT, "")
                .with(Settings.RATE_LOGONS, new chat.config.Rate(4, java.time.Duration.ofHours(1))).build();
        try (TestServer server = TestServer.start(config);
             Browser alice = Browser.open(server.url("/"), "alice")) {
            String name = TestServer.unique("alice");
            server.logon(name, "the right one"); // 1
            alice.logOn(name, "a wrong one"); // 2
            alice.waitFor("the wrong password to be told", d -> alice.notice().contains("Wrong password"));
            alice.logOnAndWait(name, "the right one"); // 3
            JavascriptExecutor page = alice.driver();
            String saved = (String) page.executeScript("return sessionStorage.getItem('chat.session')");
            assertEquals(0L, page.executeScript("return localStorage.length"), "the key is in sessionStorage only");
            long key = JsonParser.parseString(saved).getAsJsonObject().get("sesskey").getAsLong();

            // Ended elsewhere: the socket closes (1008), and the page says so on the logon form.
            assertTrue(server.post("logoff", Map.of("sesskey", key)).ok());
            alice.waitFor("the page to tell the session ended", d -> alice.notice().contains("session has ended"));
            alice.field("Password");
            assertEquals(null, page.executeScript("return sessionStorage.getItem('chat.session')"));

            alice.logOnAndWait(name, "the right one"); // 4
            saved = (String) page.executeScript("return sessionStorage.getItem('chat.session')");
            long second = JsonParser.parseString(saved).getAsJsonObject().get("sesskey").getAsLong();
            alice.button("Log off").click();
            alice.field("Password");
            alice.waitFor("the session to end on the server", d -> "INVALID_SESSION".equals(
                    server.post("list", Map.of("sesskey", second)).error()));

            alice.logOn(name, "the right one"); // 5: over the limit
            alice.waitFor("the rate limit and its wait to be told", d -> alice.notice().matches("(?s).*try again in \\d+.*"));
            alice.screenshot("rate-limited");
        }
    }

    @Test
    void bothPagesCarryOnAcrossARestartOfTheServer() throws Exception {
        try (LocalRedis redis = LocalRedis.start()) {
            Config.Builder onRedis = TestServer.config().with(Settings.STORE, redis.url());
            TestServer first = TestServer.start(onRedis.build());
            boolean firstClosed = false;
            int port = first.server.port();
            String channel = TestServer.unique("restarts");
            String aliceName = TestServer.unique("alice");
            String bobName = TestServer.unique("bob");
            try (Browser alice = Browser.open(first.url("/"), "alice");
                 Browser bob = Browser.open(first.url("/"), "bob")) {
                alice.logOnAndWait(aliceName, "password");
                alice.createChannel(channel);
                bob.logOnAndWait(bobName, "password");
                bob.openChannel(channel);
                alice.send("before the restart");
                bob.awaitMessage(aliceName, "before the restart");
                first.postMessage(first.newSession(), channel, "hello from a third");
                for (Browser browser : List.of(alice, bob)) {
                    browser.waitFor("the third's message", d -> browser.logLines().size() == 2);
                }

                first.close();
                firstClosed = true;
                for (Browser browser : List.of(alice, bob)) {
                    browser.waitFor("the page to notice the server went", d -> browser.connection().startsWith("Connection lost"));
                }
                try (TestServer second = TestServer.start(onRedis.with(Settings.PORT, port).build())) {
                    // Posted while the pages may still be waiting to reconnect: they get it by resubscribing
                    // from the last id they saw, or live, but either way once.
                    long carol = second.newSession();
                    second.postMessage(carol, channel, "while they reconnect");
                    for (Browser browser : List.of(alice, bob)) {
                        browser.waitFor("the page to reconnect", d -> browser.connection().equals("Connected"));
                    }
                    bob.send("after the restart");
                    for (Browser browser : List.of(alice, bob)) {
                        browser.awaitMessage(bobName, "after the restart");
                        List<String> lines = browser.logLines();
                        assertEquals(4, lines.size(), "nothing lost, nothing twice: " + lines);
                        assertEquals(aliceName + " before the restart", lines.get(0));
                        assertTrue(lines.get(1).endsWith(" hello from a third"), lines.toString());
                        assertTrue(lines.get(2).endsWith(" while they reconnect"), lines.toString());
                        assertEquals(bobName + " after the restart", lines.get(3));
                    }
                    alice.screenshot("after-restart");
                }
            } finally {
                if (!firstClosed) {
                    first.close();
                }
            }
        }
    }
}
