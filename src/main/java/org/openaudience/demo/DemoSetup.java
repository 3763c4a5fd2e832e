package org.openaudience.demo;

import org.openaudience.base.AccessRefusedException;
import org.openaudience.event.EventStore;
import org.openaudience.input.InputService;
import org.openaudience.input.Platform;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Component;

/**
 * The demo profile ({@code ./mvnw}): on a database without workspaces, creates workspace mPTravel with Web, iOS and
 * Android inputs whose credentials are documented, through the same services an Admin uses, and sends it ~30 days
 * of events. Always prints where to go, how to sign in and a ready curl example.
 */
@Component
@Profile("demo")
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class DemoSetup implements ApplicationRunner {

    static final String WORKSPACE = "mPTravel";
    /** The documented demo login's password (application-demo.properties). */
    private static final String DEFAULT_PASSWORD = "openaudience";

    private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);

    private final WorkspaceService workspaces;
    private final InputService inputs;
    private final DemoData data;
    private final DemoAudiences samples;
    private final EventStore events;
    private final TaskExecutor executor;
    private final String adminEmail;
    private final String adminPassword;
    private final int port;

    DemoSetup(WorkspaceService workspaces, InputService inputs, DemoData data, DemoAudiences samples,
              EventStore events,
              @Qualifier("applicationTaskExecutor") TaskExecutor executor,
              @Value("${openaudience.admin.email}") String adminEmail,
              @Value("${openaudience.admin.password}") String adminPassword,
              @Value("${server.port:8080}") int port) {
        this.workspaces = workspaces;
        this.inputs = inputs;
        this.data = data;
        this.samples = samples;
        this.events = events;
        this.executor = executor;
        this.adminEmail = adminEmail;
        this.adminPassword = adminPassword;
        this.port = port;
    }

    @Override
    public void run(ApplicationArguments args) {
        Workspace demo;
        try {
            demo = RunAs.member(adminEmail, Role.ADMIN, () -> workspaces.accessibleWorkspaces().isEmpty()
                    ? createDemoWorkspace()
                    : workspaces.accessibleWorkspaces().stream().filter(w -> w.name().equals(WORKSPACE))
                            .findFirst().orElse(null));
        } catch (AccessRefusedException e) {
            // a database set up with another first Admin: the app runs, without the demo's workspace and login
            log.warn("No demo: the demo's Admin {} has no active account in this database ({}). Sign in with this"
                    + " database's own Admin, or start the demo on an empty database (OPENAUDIENCE_ADMIN_EMAIL names"
                    + " the Admin to use).", adminEmail, e.getMessage());
            return;
        }
        if (demo != null && events.countInWorkspace(demo.id()) == 0) {
            // in the background, so the login page is up at once; the log says when the history is in
            log.info("Loading ~30 days of demo events for {} in the background", WORKSPACE);
            executor.execute(() -> {
                data.loadHistory();
                samples.create(demo, adminEmail);
            });
        } else {
            data.markReady();
        }
        String password = DEFAULT_PASSWORD.equals(adminPassword) ? adminPassword
                : "(the password in OPENAUDIENCE_ADMIN_PASSWORD)";
        log.info("""

                ==================================================================
                 OpenAudience demo is running: http://localhost:{}
                 Sign in as {} / {}
                 Events API inputs of workspace {} (key / secret):
                   Web      mptravel-web / mptravel-web-secret
                   iOS      mptravel-ios / mptravel-ios-secret
                   Android  mptravel-android / mptravel-android-secret
                 Try the Events API:
                   curl -i -u mptravel-web:mptravel-web-secret -H 'Content-Type: application/json' \\
                     http://localhost:{}/v2/events -d '{"environment":"development",
                     "user_identities":{"customer_id":"cust-00001"},"events":[{"event_type":"custom_event",
                     "data":{"event_name":"Play Video","custom_event_type":"media",
                     "custom_attributes":{"category":"Destination Intro","destination":"Paris"}}}]}'
                 Connect an audience to output "Demo receiver (this app)": its deliveries are logged
                 here as "Demo receiver got delivery …" and shown as Outbound rows in the Live Stream
                ==================================================================""",
                port, adminEmail, password, WORKSPACE, port);
    }

    private Workspace createDemoWorkspace() {
        Workspace workspace = workspaces.createWorkspace(WORKSPACE);
        addInput(workspace, "mPTravel Web", Platform.WEB, "mptravel-web");
        addInput(workspace, "mPTravel iOS", Platform.IOS, "mptravel-ios");
        addInput(workspace, "mPTravel Android", Platform.ANDROID, "mptravel-android");
        log.info("Created demo workspace {} with Web, iOS and Android inputs", WORKSPACE);
        return workspace;
    }

    private void addInput(Workspace workspace, String name, Platform platform, String key) {
        inputs.addInput(workspace.id(), name, platform, key, key + "-secret");
    }
}
