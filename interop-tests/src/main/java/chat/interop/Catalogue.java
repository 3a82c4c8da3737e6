package chat.interop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every case of the suite, in the order they run. Each group class covers one section of spec/protocol.md; the
 * last case checks that the server still serves after all the bad input before it.
 */
public final class Catalogue {
    private final List<Case> cases = new ArrayList<>();

    private Catalogue() {
    }

    public static List<Case> all() {
        Catalogue catalogue = new Catalogue();
        TransportCases.addTo(catalogue);
        JsonCases.addTo(catalogue);
        SessionCases.addTo(catalogue);
        ChannelCases.addTo(catalogue);
        MessageCases.addTo(catalogue);
        RetryCases.addTo(catalogue);
        RetrieveCases.addTo(catalogue);
        WsCases.addTo(catalogue);
        PresenceCases.addTo(catalogue);
        RateLimitCases.addTo(catalogue);
        HttpCases.addTo(catalogue);
        return Collections.unmodifiableList(catalogue.cases);
    }

    void must(String id, String requirement, Check check) {
        add(new Case(id, Level.MUST, requirement, check));
    }

    void should(String id, String requirement, Check check) {
        add(new Case(id, Level.SHOULD, requirement, check));
    }

    private void add(Case added) {
        if (cases.stream().anyMatch(existing -> existing.id().equals(added.id()))) {
            throw new IllegalStateException("two cases with the id " + added.id());
        }
        cases.add(added);
    }
}
