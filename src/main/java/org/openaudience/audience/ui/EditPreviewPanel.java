package org.openaudience.audience.ui;

import org.openaudience.base.ui.Counts;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudiencePreview;
import org.openaudience.audience.AudienceStatus;
import org.openaudience.audience.DefinitionProblemsException;
import org.openaudience.audience.EditPreview;
import org.openaudience.audience.MembershipChangeRow;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.Describe;
import org.openaudience.criteria.Problem;
import org.openaudience.profile.Identity;

/**
 * The Build tab's "What changes?" (issue #16): on an active audience with unsaved edits, how many current members
 * would leave and how many users would join if the edits were saved, on the estimate sample, with up to 20 of each
 * and the criterion that decides them. Recomputed after each edit, as the estimate is, on a worker thread; the answer
 * is pushed, and a newer edit cancels a run still going. Hidden for drafts and inactive audiences and when nothing
 * is edited; for criteria that could not be saved it says why.
 */
class EditPreviewPanel extends Div {

    /** Identities shown per user before "+n more". */
    static final int IDENTITIES_SHOWN = 2;

    final Paragraph status = new Paragraph();
    final Paragraph summary = new Paragraph();
    final Paragraph sample = new Paragraph();
    final Div leaving = new Div();
    final Div joining = new Div();
    private final AudiencePreview previews;
    private final LongFunction<String> audienceName;
    /** The run for the latest edit, and the same once its answer was handed to the UI (tests wait for that). */
    private CompletableFuture<EditPreview> running;
    private CompletableFuture<?> delivered = CompletableFuture.completedFuture(null);
    /** What the latest {@link #show} compared, to run again after a detach stopped it. */
    private Audience shownAudience;
    private Definition shownDefinition;
    private boolean interrupted;

    EditPreviewPanel(AudiencePreview previews, LongFunction<String> audienceName) {
        this.previews = previews;
        this.audienceName = audienceName;
        addClassName("edit-preview");
        getElement().setAttribute("role", "region");
        getElement().setAttribute("aria-label", "What changes?");
        status.addClassName("edit-preview-status");
        summary.addClassName("edit-preview-summary");
        sample.addClassName("edit-preview-sample");
        leaving.addClassName("edit-preview-leaving");
        joining.addClassName("edit-preview-joining");
        Div lists = new Div(leaving, joining);
        lists.addClassName("edit-preview-lists");
        add(new H3("What changes?"), status, summary, sample, lists);
        setVisible(false);
    }

    /**
     * After each edit: compares the edited criteria with the audience's current members, or hides when there is
     * nothing to compare (a draft or inactive audience, or no unsaved edits).
     */
    void show(Audience audience, Definition edited) {
        cancel();
        shownAudience = audience;
        shownDefinition = edited;
        if (audience.status() != AudienceStatus.ACTIVE || edited.equals(audience.definition())) {
            setVisible(false);
            clear();
            return;
        }
        setVisible(true);
        addClassName("updating");
        status.setText(summary.getText().isEmpty() ? "Comparing the edited criteria with the current members…"
                : "Updating…");
        UI ui = UI.getCurrent();
        CompletableFuture<EditPreview> run = previews.previewInBackground(audience.id(), edited);
        running = run;
        delivered = run.whenComplete((preview, error) -> {
            if (run.isCancelled()) {
                return;
            }
            try {
                ui.access(() -> {
                    if (running == run) {
                        answer(preview, error);
                    }
                });
            } catch (UIDetachedException closed) {
                // the page was closed meanwhile: nobody is waiting for this answer
                run.cancel(false);
            }
        });
    }

    /** The latest run's answer, once handed to the UI (done at once when nothing runs). */
    CompletableFuture<?> delivered() {
        return delivered;
    }

    private void answer(EditPreview preview, Throwable error) {
        running = null;
        removeClassName("updating");
        if (error != null) {
            clear();
            status.setText(reason(error));
            status.addClassName("edit-preview-problem");
            return;
        }
        status.removeClassName("edit-preview-problem");
        status.setText("If you save these criteria:");
        summary.setText(summary(preview));
        sample.setText(sample(preview));
        list(leaving, "Leaving", preview.sampleLeaving(), preview.leavers(), preview, true);
        list(joining, "Joining", preview.sampleJoining(), preview.joiners(), preview, false);
    }

    /** Why there is no preview: the service's reason for the user, or that it failed (logged by the service). */
    private static String reason(Throwable error) {
        if (error instanceof DefinitionProblemsException problems) {
            return "No preview until the criteria can be saved: " + problems.problems().stream()
                    .map(EditPreviewPanel::problem).collect(Collectors.joining("; "));
        }
        if (error instanceof InvalidRequestException refused) {
            return refused.getMessage();
        }
        return "The preview failed (" + error.getMessage() + "). Your edits are unaffected.";
    }

    private static String problem(Problem problem) {
        return problem.path().isEmpty() ? problem.message() : "criterion " + problem.path() + ": " + problem.message();
    }

    static String summary(EditPreview preview) {
        String about = preview.exact() ? "" : "≈ ";
        String leave = preview.leaving() == 0 ? "no current member would leave"
                : about + Counts.of(preview.leaving(), "current member", "current members") + " would leave";
        String join = preview.joining() == 0 ? "no user would join"
                : about + Counts.of(preview.joining(), "user", "users") + " would join";
        return Character.toUpperCase(leave.charAt(0)) + leave.substring(1) + " and " + join + ".";
    }

    static String sample(EditPreview preview) {
        String base = preview.exact()
                ? "Exact: compared on all " + Counts.of(preview.profiles(), "profile", "profiles") + "."
                : "Estimated on a sample of " + Counts.number(preview.sampled()) + " of "
                        + Counts.of(preview.profiles(), "profile", "profiles") + " (" + preview.samplePercent()
                        + " % of the workspace), scaled.";
        return preview.calculating() ? base + " A recalculation is running: compared with the members of the last"
                + " complete calculation." : base;
    }

    /** The users under the criterion that decides them (each criterion once), in MPID order within it. */
    private void list(Div target, String title, long found, List<EditPreview.ChangedUser> users,
                      EditPreview preview, boolean leavers) {
        target.removeAll();
        if (users.isEmpty()) {
            return;
        }
        String where = preview.exact() ? "" : " in the sample";
        target.add(new H4(title + (found > users.size() ? " · first " + users.size() + " of "
                + Counts.number(found) + where : " · " + Counts.of(found, "user", "users") + where)));
        Map<String, UnorderedList> byCriterion = new LinkedHashMap<>();
        for (EditPreview.ChangedUser user : users) {
            UnorderedList items = byCriterion.computeIfAbsent(decision(user.decision(), leavers), criterion -> {
                Paragraph heading = new Paragraph(criterion);
                heading.addClassName("edit-preview-criterion");
                UnorderedList list = new UnorderedList();
                target.add(heading, list);
                return list;
            });
            Span who = new Span(mpid(user, preview.identitiesHidden()),
                    new Span(" · " + identities(user.identities(), preview.identitiesHidden())));
            who.addClassName("edit-preview-user");
            Span why = new Span(user.decision() == null ? "" : user.decision().verdict().reason());
            why.addClassName("edit-preview-reason");
            items.add(user.decision() == null ? new ListItem(who) : new ListItem(who, why));
        }
    }

    /** The MPID, linked to Users › Lookup (a new tab, so the edits stay) for roles that may look users up. */
    private static Component mpid(EditPreview.ChangedUser user, boolean hidden) {
        String mpid = Long.toString(user.mpid());
        if (hidden) {
            return new Span(mpid);
        }
        Anchor link = new Anchor("users/lookup?mpid=" + mpid, mpid, AnchorTarget.BLANK);
        link.getElement().setAttribute("title", "Look up user " + mpid + " (opens a new tab)");
        return link;
    }

    /** e.g. "customer_id: c-1 · email: ana@example.com · +1 more"; for Read Only "customer_id, email: hidden …". */
    static String identities(List<Identity> identities, boolean hidden) {
        if (identities.isEmpty()) {
            return "no identities";
        }
        if (hidden) {
            return identities.stream().map(Identity::type).distinct().collect(Collectors.joining(", ")) + ": "
                    + MembershipChangeRow.HIDDEN;
        }
        String listed = identities.stream().limit(IDENTITIES_SHOWN).map(i -> i.type() + ": " + i.value())
                .collect(Collectors.joining(" · "));
        return identities.size() > IDENTITIES_SHOWN ? listed + " · +" + (identities.size() - IDENTITIES_SHOWN)
                + " more" : listed;
    }

    /** e.g. "Fails criterion 2 · User attribute status Exact Match premium" or "Failed saved criterion 1 · …". */
    private String decision(EditPreview.Decision decision, boolean leaver) {
        if (decision == null) {
            return "No criterion decides it any more: the profile changed after the comparison";
        }
        String verb;
        if (!decision.edited()) {
            verb = decision.excludes() ? "Was excluded by saved criterion " : "Failed saved criterion ";
        } else if (leaver) {
            verb = decision.excludes() ? "Excluded by criterion " : "Fails criterion ";
        } else {
            verb = decision.excludes() ? "No longer excluded by criterion " : "Now passes criterion ";
        }
        return verb + decision.verdict().path() + " · " + Describe.criterion(decision.verdict().criterion(),
                audienceName);
    }

    private void clear() {
        status.removeClassName("edit-preview-problem");
        summary.setText("");
        sample.setText("");
        leaving.removeAll();
        joining.removeAll();
    }

    private void cancel() {
        if (running != null) {
            running.cancel(false);
            running = null;
        }
    }

    /** Another tab or page: a run still going is not needed; back on the Build tab, it runs again. */
    @Override
    protected void onDetach(DetachEvent detachEvent) {
        interrupted = running != null;
        cancel();
        super.onDetach(detachEvent);
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        if (interrupted) {
            interrupted = false;
            show(shownAudience, shownDefinition);
        }
    }
}
