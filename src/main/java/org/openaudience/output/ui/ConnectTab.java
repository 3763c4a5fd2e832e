package org.openaudience.output.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.shared.Registration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.openaudience.abtest.AbTestService;
import org.openaudience.audience.Audience;
import org.openaudience.audience.MemberExports;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.Counts;
import org.openaudience.base.ui.Notifications;
import org.openaudience.output.Connection;
import org.openaudience.output.ConnectionService;
import org.openaudience.output.ConnectionStatus;
import org.openaudience.output.DeliveryPhase;
import org.openaudience.output.OutputChoice;
import org.openaudience.output.OutputService;

/**
 * The audience page's Connect tab (PRODUCT.md §3.7): connect the audience or one of its variations to an output,
 * watch each connection's delivery (refreshed every few seconds), Pause / Resume, Disconnect.
 */
public class ConnectTab extends VerticalLayout {

    static final int POLL_MS = 2_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final ConnectionService connections;
    private final AbTestService abTests;
    private final Audience audience;
    private final boolean mayConnect;
    final Grid<Connection> grid = new Grid<>();
    ConnectForm form;
    /** Why the audience cannot be connected yet (never calculated), above the form; hidden when it can. */
    final Paragraph notConnectable = new Paragraph();
    private Registration polling;
    private int previousPollInterval = -1;

    public ConnectTab(ConnectionService connections, OutputService outputs, AbTestService abTests,
                      MemberExports exports, Audience audience, boolean mayConnect) {
        this.connections = connections;
        this.abTests = abTests;
        this.audience = audience;
        this.mayConnect = mayConnect;
        setPadding(false);
        add(intro());
        notConnectable.addClassName("connect-refusal");
        notConnectable.setVisible(false);
        if (mayConnect) {
            add(notConnectable);
            add(connectForm(outputs.choices(audience.workspaceId()), exports.identityTypes(audience.workspaceId())));
        }
        add(grid());
        refresh();
    }

    private Paragraph intro() {
        return new Paragraph("Send the members of " + audience.name() + " to outputs: first everyone in it now, as "
                + "adds, then every add and remove as they happen. Outputs are set up in Setup › Outputs by Admins, Support"
                + " and Users.");
    }

    private Component connectForm(List<OutputChoice> outputs, List<String> identityTypes) {
        if (outputs.isEmpty()) {
            return new Paragraph("This workspace has no outputs yet: an Admin, Support or User adds them in "
                    + "Setup › Outputs.");
        }
        form = new ConnectForm(outputs, identityTypes, request -> {
            try {
                Connection made = connections.connect(audience.id(), request.variation(), request.output().id(),
                        request.identityTypes());
                Notifications.success("Connected " + made.externalName() + " to " + made.outputName());
                refresh();
            } catch (InvalidRequestException refused) {
                Notifications.error(refused.getMessage());
            }
        }, request -> sameNameWarning(connections.sameNameConnections(audience.id(), request.variation(),
                request.output().id())));
        return form;
    }

    /**
     * e.g. {@code "Paris (copy)" is already sent to CRM hook as "Paris" — the output could not tell the two apart:
     * give one of them another External Name on its Details tab.}; null when no other audience uses the name there.
     */
    static String sameNameWarning(List<Connection> namesakes) {
        if (namesakes.isEmpty()) {
            return null;
        }
        Connection first = namesakes.get(0);
        String others = namesakes.stream().map(Connection::audienceName).distinct()
                .map(name -> "\"" + name + "\"").collect(java.util.stream.Collectors.joining(", "));
        boolean one = namesakes.stream().map(Connection::audienceId).distinct().count() == 1;
        return others + (one ? " is" : " are") + " already sent to " + first.outputName() + " as \""
                + first.externalName() + "\". The output could not tell " + (one ? "the two" : "them")
                + " apart: give one another External Name on its Details tab before connecting.";
    }

    private Grid<Connection> grid() {
        // fixed widths that fit a 1280 px screen with the menu open; text wraps
        grid.addComponentColumn(connection -> twoLines(connection.outputName(), connection.outputKind().label()))
                .setKey("output").setHeader("Output").setWidth("9rem").setFlexGrow(1);
        grid.addComponentColumn(connection -> twoLines(connection.target(), "as " + connection.externalName()))
                .setKey("sends").setHeader("Sends").setWidth("9rem").setFlexGrow(1);
        grid.addComponentColumn(ConnectTab::statusBadge).setKey("status").setHeader("Status").setWidth("6.5rem")
                .setFlexGrow(0);
        grid.addComponentColumn(connection -> twoLines(progress(connection), connection.lastDeliveryAt() == null
                        ? "nothing delivered yet" : "last " + TIME.format(connection.lastDeliveryAt())))
                .setKey("delivery").setHeader("Delivery").setWidth("11rem").setFlexGrow(1);
        grid.addColumn(ConnectTab::lastError).setKey("error").setHeader("Last error").setWidth("11rem")
                .setFlexGrow(2);
        if (mayConnect) {
            grid.addComponentColumn(this::actions).setKey("actions").setHeader("Actions").setWidth("8rem")
                    .setFlexGrow(0);
        }
        grid.setAllRowsVisible(true);
        grid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT); // errors are long; the page is not wide
        grid.setEmptyStateText("Not connected to any output.");
        return grid;
    }

    /** Re-reads the connections and the A/B test (its variations may have been saved or deleted meanwhile). */
    public void refresh() {
        grid.setItems(connections.connections(audience.id()));
        if (form != null) {
            form.showTest(abTests.test(audience.id()).orElse(null));
            java.util.Optional<String> reason = connections.whyNotConnectable(audience.id());
            notConnectable.setText(reason.orElse(""));
            notConnectable.setVisible(reason.isPresent());
            form.connect.setEnabled(reason.isEmpty());
        }
    }

    private static Div twoLines(String first, String second) {
        Span detail = new Span(second);
        detail.addClassName("secondary-line");
        Div lines = new Div(new Span(first), detail);
        lines.addClassName("two-lines");
        return lines;
    }

    static Span statusBadge(Connection connection) {
        Span badge = new Span(connection.status().label());
        badge.getElement().getThemeList().add("badge");
        badge.getElement().getThemeList().add(switch (connection.status()) {
            case SENDING -> "success";
            case PAUSED -> "contrast";
            case FAULTED -> "error";
        });
        return badge;
    }

    static String progress(Connection connection) {
        String delivered = Counts.of(connection.deliveredAdds(), "add") + ", "
                + Counts.of(connection.deliveredRemoves(), "remove");
        if (connection.phase() == DeliveryPhase.SNAPSHOT) {
            return delivered + " · sending current members";
        }
        long waiting = connection.changesWaiting();
        return delivered + " · " + (waiting == 0 ? "up to date" : Counts.number(waiting)
                + (waiting >= Connection.MAX_COUNTED_BACKLOG ? "+ changes" : waiting == 1 ? " change" : " changes")
                + " waiting");
    }

    static String lastError(Connection connection) {
        if (connection.lastError() == null) {
            return "";
        }
        String failing = switch (connection.status()) {
            case FAULTED -> "Faulted after " + connection.failedAttempts() + " failed attempts: ";
            case SENDING -> connection.failedAttempts() > 0
                    ? "Retrying (" + connection.failedAttempts() + " failed): " : "Earlier: ";
            case PAUSED -> "Before the pause: ";
        };
        return failing + connection.lastError() + " (" + TIME.format(connection.lastErrorAt()) + ")";
    }

    private Component actions(Connection connection) {
        boolean sending = connection.status() == ConnectionStatus.SENDING;
        Button toggle = new Button(sending ? "Pause" : "Resume", click -> {
            if (sending) {
                connections.pause(connection.id());
            } else {
                connections.resume(connection.id());
            }
            refresh();
        });
        toggle.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        toggle.setAriaLabel((sending ? "Pause " : "Resume ") + connection.externalName() + " to "
                + connection.outputName());
        Button disconnect = new Button("Disconnect", click -> confirmDisconnect(connection));
        disconnect.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        disconnect.setAriaLabel("Disconnect " + connection.externalName() + " from " + connection.outputName());
        VerticalLayout actions = new VerticalLayout(toggle, disconnect); // stacked: a narrow column
        actions.setPadding(false);
        actions.setSpacing(false);
        return actions;
    }

    private void confirmDisconnect(Connection connection) {
        ConfirmDialog confirm = new ConfirmDialog("Disconnect " + connection.externalName() + "?",
                connection.outputName() + " keeps what it received but gets no further changes. Connecting again "
                        + "starts over with the current members.", "Disconnect", event -> {
                    connections.disconnect(connection.id());
                    refresh();
                });
        confirm.setCancelable(true);
        confirm.setConfirmButtonTheme("error primary");
        confirm.open();
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        previousPollInterval = attach.getUI().getPollInterval();
        attach.getUI().setPollInterval(POLL_MS);
        polling = attach.getUI().addPollListener(poll -> refresh());
        refresh();
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        polling.remove();
        detach.getUI().setPollInterval(previousPollInterval);
    }
}
