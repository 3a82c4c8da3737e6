package chat.client;

import chat.config.AddressRange;
import chat.config.Config;
import chat.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Who is a client: resolves the peer of a connection (and, from a trusted proxy, its X-Forwarded-For) to the
 * {@link ClientKey} its per-client bounds are counted under, and tells whether those bounds apply.
 *
 * <p>X-Forwarded-For is believed only from a trusted proxy ({@code --trusted-proxies}): anyone else could write any
 * address there and choose whose bounds it uses. From a trusted peer the client is the nearest untrusted address in
 * the header, walking from the right (each proxy appends the address it was connected from, so the entries to the
 * right were written by our proxies and the leftmost ones by whoever the client is). An entry that is not an
 * address stops the walk: the client is then the last trusted hop, which is all that can be known.
 *
 * <p>Exempt addresses ({@code --client-limit-exempt}, by default loopback 127.0.0.1 and ::1) skip per-client bounds,
 * so local tools and benchmarks are not limited; trusted proxies skip the per-address connection bound, since one
 * connection from a proxy carries many clients.
 */
public final class ClientAddresses {
    private static final Logger log = LoggerFactory.getLogger(ClientAddresses.class);

    private final List<AddressRange> trusted;
    private final List<AddressRange> exempt;
    private final AtomicBoolean warnedOfUntrustedForwarding = new AtomicBoolean();

    public ClientAddresses(List<AddressRange> trusted, List<AddressRange> exempt) {
        this.trusted = List.copyOf(trusted);
        this.exempt = List.copyOf(exempt);
    }

    /** From {@code --trusted-proxies} and {@code --client-limit-exempt}, already checked by the Config. */
    public static ClientAddresses from(Config config) {
        return new ClientAddresses(AddressRange.parseList(config.get(Settings.TRUSTED_PROXIES)),
                AddressRange.parseList(config.get(Settings.CLIENT_LIMIT_EXEMPT)));
    }

    /**
     * Whether the bound on connections per address skips this peer, as a connection is accepted (before any header):
     * an exempt address or a trusted proxy. Otherwise the connection counts under {@code ClientKey.of(peer)}.
     */
    public boolean isConnectionExempt(InetAddress peer) {
        return AddressRange.anyContains(exempt, peer) || AddressRange.anyContains(trusted, peer);
    }

    /** Whether the peer is a trusted proxy, whose X-Forwarded-For names the client of each request. */
    public boolean isTrustedProxy(InetAddress peer) {
        return AddressRange.anyContains(trusted, peer);
    }

    /**
     * The client of a request: the peer, or from a trusted proxy the nearest untrusted address of X-Forwarded-For.
     *
     * @param forwardedFor the values of every X-Forwarded-For header of the request, in order (empty if none)
     */
    public Client ofRequest(InetAddress peer, Collection<String> forwardedFor) {
        InetAddress client = addressOf(peer, forwardedFor);
        return new Client(ClientKey.of(client), AddressRange.anyContains(exempt, client));
    }

    /** The address of a request's client, as {@link #ofRequest} resolves it (what the access log shows). */
    public InetAddress addressOf(InetAddress peer, Collection<String> forwardedFor) {
        if (forwardedFor.isEmpty()) {
            return peer;
        }
        if (AddressRange.anyContains(trusted, peer)) {
            return nearestUntrusted(peer, forwardedFor);
        }
        warnOnceIfExempt(peer);
        return peer;
    }

    /**
     * An exempt address that sends X-Forwarded-For but is not trusted is most likely a local reverse proxy started
     * without --trusted-proxies: every client behind it then counts as that exempt address, so none is bounded.
     * Said once per server, as it is a setup mistake, not an event.
     *
     * @return whether this call logged the warning
     */
    public boolean warnOnceIfExempt(InetAddress peer) {
        if (AddressRange.anyContains(exempt, peer) && !AddressRange.anyContains(trusted, peer)
                && warnedOfUntrustedForwarding.compareAndSet(false, true)) {
            log.warn("X-Forwarded-For arrived from {}, which is exempt from per-client limits but not a trusted proxy: "
                    + "the header is ignored and every client behind it shares that exemption; if it is a proxy, "
                    + "start the server with --trusted-proxies {}", peer.getHostAddress(), peer.getHostAddress());
            return true;
        }
        return false;
    }

    private InetAddress nearestUntrusted(InetAddress peer, Collection<String> forwardedFor) {
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String hop : value.split(",")) {
                hops.add(hop);
            }
        }
        InetAddress nearest = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = address(hops.get(i));
            if (hop == null) {
                return nearest;
            }
            nearest = hop;
            if (!AddressRange.anyContains(trusted, hop)) {
                return hop;
            }
        }
        return nearest; // every hop a trusted proxy: the first of them is as near the client as is known
    }

    /** One entry of X-Forwarded-For, as proxies write it ({@code 203.0.113.7}, {@code [2001:db8::1]}), or null. */
    private static InetAddress address(String entry) {
        String text = entry.strip();
        if (text.startsWith("[") && text.contains("]")) {
            text = text.substring(1, text.indexOf(']')); // [v6] or [v6]:port
        } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            text = text.substring(0, text.indexOf(':')); // v4:port
        }
        try {
            return AddressRange.parseAddress(text);
        } catch (IllegalArgumentException notAnAddress) {
            return null;
        }
    }

    /** For the start-up line: what is exempt and what is trusted. */
    public String describe() {
        return "exempt from per-client limits: " + (exempt.isEmpty() ? "none" : joined(exempt))
                + "; trusted proxies (X-Forwarded-For believed): " + (trusted.isEmpty() ? "none" : joined(trusted));
    }

    private static String joined(List<AddressRange> ranges) {
        return ranges.stream().map(AddressRange::toString).collect(Collectors.joining(","));
    }
}
