package org.openaudience.audience.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Span;
import java.util.List;
import java.util.stream.Collectors;
import org.openaudience.audience.MembershipChangeRow;
import org.openaudience.profile.Identity;

/** The Changes tab's cells: the MPID (linked to Users › Lookup where the viewer may look up) and the identities. */
final class ChangeCells {

    private ChangeCells() {
    }

    /** The MPID, linked to Users › Lookup for roles that may look users up. */
    static Component mpid(MembershipChangeRow row) {
        String mpid = Long.toString(row.mpid());
        if (row.identitiesHidden()) {
            return new Span(mpid);
        }
        Anchor link = new Anchor("users/lookup?mpid=" + mpid, mpid);
        link.getElement().setAttribute("title", "Look up user " + mpid);
        return link;
    }

    /** e.g. "customer_id: c-1 · email: ana@example.com · +2 more"; for Read Only "customer_id, email: hidden …". */
    static String identities(MembershipChangeRow row, int shown) {
        List<Identity> identities = row.identities();
        if (identities.isEmpty()) {
            return "—";
        }
        if (row.identitiesHidden()) {
            return identities.stream().map(Identity::type).distinct().collect(Collectors.joining(", ")) + ": "
                    + MembershipChangeRow.HIDDEN;
        }
        String listed = identities.stream().limit(shown).map(i -> i.type() + ": " + i.value())
                .collect(Collectors.joining(" · "));
        return identities.size() > shown ? listed + " · +" + (identities.size() - shown) + " more" : listed;
    }
}
