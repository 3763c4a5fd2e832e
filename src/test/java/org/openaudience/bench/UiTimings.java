package org.openaudience.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.openaudience.audience.AudienceFilter;
import org.openaudience.audience.AudienceList;
import org.openaudience.profile.LookupKind;
import org.openaudience.profile.Profile;
import org.openaudience.profile.ProfileService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.testsupport.TestMembers;

/**
 * UI-level timings for issue 17: what the Audiences list and Users › Lookup ask of their services when they load,
 * as an Admin, on a workspace whose audiences exist (ideally 20+, calculated, with their change logs).
 *
 * <p>Usage, from a benchmark with its beans (e.g. AudienceBenchmark, after its audiences are calculated):
 * <pre>{@code
 * UiTimings ui = new UiTimings(audienceList, profileService);
 * System.out.println(ui.audiencesList(workspaceId));
 * System.out.println(ui.lookups(workspaceId, LookupKind.CUSTOMER_ID, customerIds)); // or LookupKind.MPID, MPIDs
 * }</pre>
 * Each call warms up once first; figures are wall-clock milliseconds of the service calls (no browser, no
 * rendering).
 */
public class UiTimings {

    /** Rows of the Audiences list's first page, as the view asks for them. */
    public static final int PAGE = 50;
    /** How many audiences Users › Lookup offers for "why is this user in this audience" (MembershipExplanation). */
    public static final int CHOICES = 1000;

    private final AudienceList list;
    private final ProfileService profiles;

    public UiTimings(AudienceList list, ProfileService profiles) {
        this.list = list;
        this.profiles = profiles;
    }

    /** Median and maximum of some timed runs, with a note (rows shown, users found). */
    public record Figures(String what, int runs, double medianMs, double maxMs, String note) {
        @Override
        public String toString() {
            return String.format("ui %-28s median %7.1f ms, max %7.1f ms over %d runs (%s)", what, medianMs, maxMs,
                    runs, note);
        }
    }

    /** The Audiences list loading: the count of all audiences and the first page of {@link #PAGE}, 5 runs. */
    public Figures audiencesList(long workspaceId) {
        admin(() -> listOnce(workspaceId));
        List<Double> times = new ArrayList<>();
        int rows = 0;
        for (int run = 0; run < 5; run++) {
            long start = System.nanoTime();
            rows = admin(() -> listOnce(workspaceId));
            times.add((System.nanoTime() - start) / 1e6);
        }
        return figures("Audiences list", times, rows + " rows");
    }

    /**
     * Users › Lookup for each value: the profile with its latest events and conflicts, and the audiences offered
     * for explaining its membership, as the view loads them after "Look up".
     */
    public Figures lookups(long workspaceId, LookupKind kind, List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("Give at least one user to look up");
        }
        admin(() -> lookupOnce(workspaceId, kind, values.get(0)));
        List<Double> times = new ArrayList<>();
        int found = 0;
        for (String value : values) {
            long start = System.nanoTime();
            boolean present = admin(() -> lookupOnce(workspaceId, kind, value)).isPresent();
            times.add((System.nanoTime() - start) / 1e6);
            found += present ? 1 : 0;
        }
        return figures("Users › Lookup (" + kind.label() + ")", times, found + " of " + values.size() + " found");
    }

    private int listOnce(long workspaceId) {
        int total = list.count(workspaceId, AudienceFilter.ALL);
        return Math.min(total, list.page(workspaceId, AudienceFilter.ALL, 0, PAGE).size());
    }

    private Optional<Profile> lookupOnce(long workspaceId, LookupKind kind, String value) {
        Optional<Profile> profile = profiles.lookup(workspaceId, kind, value);
        profile.ifPresent(found -> list.choices(workspaceId, CHOICES));
        return profile;
    }

    private static Figures figures(String what, List<Double> times, String note) {
        List<Double> sorted = times.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Figures(what, n, median, sorted.get(n - 1), note);
    }

    private static <T> T admin(Supplier<T> work) {
        return RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, work);
    }
}
