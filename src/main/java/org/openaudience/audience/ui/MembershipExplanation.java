package org.openaudience.audience.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import java.util.Optional;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceList;
import org.openaudience.audience.AudienceMembers;
import org.openaudience.audience.AudienceService;
import org.openaudience.criteria.Describe;
import org.openaudience.criteria.Verdict;

/**
 * "Why is this user in (or not in) this audience?" (PRODUCT.md §7): for a chosen audience, the user's verdict and
 * each criterion's, with what was found, e.g. "Play Video · destination Exact Match paris: 0 matching events in the
 * last 30 days, needs > 0". Evaluated now, against the current definition.
 */
public class MembershipExplanation extends VerticalLayout {

    final ComboBox<Audience> audience = new ComboBox<>("Audience");
    final Div verdict = new Div();
    private final AudienceService audiences;
    private final AudienceMembers members;
    private final long mpid;

    public MembershipExplanation(AudienceService audiences, AudienceMembers members, AudienceList list,
                                 long workspaceId, long mpid) {
        this.members = members;
        this.audiences = audiences;
        this.mpid = mpid;
        addClassName("membership-explanation");
        setPadding(false);
        audience.setItems(list.choices(workspaceId, 1000));
        audience.setItemLabelGenerator(Audience::name);
        audience.setPlaceholder("Choose an audience");
        audience.setWidth("24em");
        audience.addValueChangeListener(change -> explain(change.getValue()));
        add(new H3("Audiences"), audience, verdict);
    }

    private void explain(Audience chosen) {
        verdict.removeAll();
        if (chosen == null) {
            return;
        }
        Optional<Verdict> found = members.explain(chosen.id(), mpid);
        if (found.isEmpty()) {
            verdict.add(new Paragraph("This user has no profile in the audience's workspace."));
            return;
        }
        Paragraph outcome = new Paragraph((found.get().matches() ? "In " : "Not in ") + chosen.name()
                + " by its current criteria.");
        outcome.addClassName(found.get().matches() ? "verdict-in" : "verdict-out");
        UnorderedList criteria = new UnorderedList();
        criteria.addClassName("criterion-verdicts");
        for (Verdict.CriterionVerdict criterion : found.get().criteria()) {
            Icon icon = criterion.matches() ? VaadinIcon.CHECK_CIRCLE.create() : VaadinIcon.CLOSE_CIRCLE.create();
            icon.addClassName(criterion.matches() ? "verdict-pass" : "verdict-fail");
            icon.getElement().setAttribute("aria-label", criterion.matches() ? "holds" : "does not hold");
            Span text = new Span(criterion.path() + " · " + Describe.criterion(criterion.criterion(),
                    id -> audiences.audience(id).name()) + ": " + criterion.reason());
            ListItem item = new ListItem(icon, text);
            item.addClassName(criterion.matches() ? "criterion-pass" : "criterion-fail");
            criteria.add(item);
        }
        verdict.add(outcome, criteria);
    }
}
