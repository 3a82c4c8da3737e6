package chat.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The seven calls of the protocol by name, each with where it runs: the one table both transports answer from
 * (HTTP through {@link Routes}, WebSocket frames through SocketConnection).
 *
 * <p>Where a call runs: with the store in memory, the fast calls are answered on the IO thread that read them
 * (they only touch memory). Slow ones, such as logon with its deliberate bcrypt cost, are handed to an executor so
 * they never hold up other connections; and with a store that blocks on the network (Redis), so is every call.
 */
final class CallTable {
    /**
     * A call and the executor it runs on (null for "right here, on the IO thread"), with how the log names it over
     * each transport should it fail unexpectedly (made once here, not per request).
     */
    record Route(String name, Call call, Executor executor, String overHttp, String overSocket) {
        boolean onIoThread() {
            return executor == null;
        }

        /** Runs the work where this call runs. */
        void run(Runnable work) {
            if (onIoThread()) {
                work.run();
            } else {
                executor.execute(work);
            }
        }
    }

    private final Map<String, Route> routes = new LinkedHashMap<>();

    /**
     * @param hashing   where logon runs
     * @param storeWork where every other call runs; null when the store never blocks (calls run on the IO thread)
     */
    CallTable(SessionCalls sessions, ChannelCalls channels, MessageCalls messages, Executor hashing,
              Executor storeWork) {
        add("logon", sessions::logon, hashing);
        add("logoff", sessions::logoff, storeWork);
        add("list", channels::list, storeWork);
        add("create", channels::create, storeWork);
        add("post", messages::post, storeWork);
        add("lastmessage", messages::lastMessage, storeWork);
        add("retrieve", messages::retrieve, storeWork);
    }

    private void add(String name, Call call, Executor executor) {
        routes.put(name, new Route(name, call, executor, "POST /" + name, "WebSocket " + name));
    }

    /** The call of this name ("post"), or null. */
    Route route(String name) {
        return routes.get(name);
    }

    /** Every call, in the order of the spec. */
    List<Route> all() {
        return List.copyOf(routes.values());
    }
}
