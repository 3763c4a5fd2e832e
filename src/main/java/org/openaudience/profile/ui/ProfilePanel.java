package org.openaudience.profile.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Section;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openaudience.profile.IdentityConflict;
import org.openaudience.profile.Profile;
import org.openaudience.profile.ProfileService;

/** One looked-up user: summary, identities, user attributes, device info and latest events. */
class ProfilePanel extends VerticalLayout {

    final KeyValueList summary;
    final KeyValueList identities;
    final KeyValueList attributes;
    final KeyValueList deviceInfo;
    /** Shown only when there are identity conflicts. */
    final KeyValueList conflicts;
    final LatestEventsGrid events;

    ProfilePanel(Profile profile) {
        addClassName("profile-panel");
        setPadding(false);
        summary = new KeyValueList("Summary", summary(profile), "");
        identities = new KeyValueList("Identities", profile.identities(), "No identities recorded.");
        attributes = new KeyValueList("User attributes", profile.userAttributes(), "No user attributes recorded.");
        deviceInfo = new KeyValueList("Device info", profile.deviceInfo(), "No device info recorded.");
        conflicts = new KeyValueList("Identity conflicts", conflicts(profile), "");
        conflicts.setVisible(!profile.identityConflicts().isEmpty());
        Div sections = new Div(summary, identities, conflicts, attributes, deviceInfo);
        sections.addClassName("profile-sections");
        events = new LatestEventsGrid(profile.latestEvents());
        add(sections, latestEvents(profile));
    }

    private Section latestEvents(Profile profile) {
        Section section = new Section(new H3("Latest events"));
        section.addClassName("profile-section");
        section.addClassName("profile-latest-events");
        if (profile.latestEvents().isEmpty()) {
            section.add(new Paragraph("No events stored for this user."));
        } else {
            int shown = profile.latestEvents().size();
            section.add(new Paragraph(shown >= ProfileService.LATEST_EVENTS
                    ? "The latest " + shown + " events, newest first." : shown + (shown == 1 ? " event" : " events")
                    + ", newest first."), events);
        }
        return section;
    }

    /**
     * Each identity another profile kept: the first claim wins, so the two profiles stay apart; a team resolving it
     * needs both MPIDs and how often it happens.
     */
    private static Map<String, String> conflicts(Profile profile) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (IdentityConflict conflict : profile.identityConflicts()) {
            String times = conflict.occurrences() == 1 ? "once" : String.format("%,d times", conflict.occurrences());
            boolean named = conflict.claimantMpid() == profile.mpid();
            String line = (named ? "Held by MPID " + conflict.ownerMpid() + "; this user's data named it "
                    : "Held by this user; MPID " + conflict.claimantMpid() + "'s data named it ")
                    + times + ", last " + ProfileFormat.time(conflict.lastSeen()) + " UTC";
            lines.merge(conflict.identityType() + " " + conflict.identityValue(), line,
                    (earlier, later) -> earlier + "; " + later);
        }
        return lines;
    }

    private static Map<String, String> summary(Profile profile) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("MPID", Long.toString(profile.mpid()));
        summary.put("First seen (UTC)", ProfileFormat.time(profile.firstSeen()));
        summary.put("Last seen (UTC)", ProfileFormat.time(profile.lastSeen()));
        if (!profile.platforms().isEmpty()) {
            summary.put("Platforms", String.join(", ", profile.platforms()));
        }
        String location = Stream.of(profile.city(), profile.region(), profile.country())
                .filter(Objects::nonNull).filter(part -> !part.isBlank()).collect(Collectors.joining(", "));
        if (!location.isEmpty()) {
            summary.put("Location", location);
        }
        if (profile.latitude() != null && profile.longitude() != null) {
            summary.put("Latitude, longitude", profile.latitude() + ", " + profile.longitude());
        }
        return summary;
    }
}
