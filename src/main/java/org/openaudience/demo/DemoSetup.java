package org.openaudience.demo;

import org.openaudience.input.InputService;
import org.openaudience.input.Platform;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The demo profile ({@code ./mvnw}): on a database without workspaces, creates workspace mPTravel with Web, iOS and
 * Android inputs whose credentials are documented, through the same services an Admin uses. Always prints where
 * to go and how to sign in.
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
    private final String adminEmail;
    private final String adminPassword;
    private final int port;

    DemoSetup(WorkspaceService workspaces, InputService inputs,
              @Value("${openaudience.admin.email}") String adminEmail,
              @Value("${openaudience.admin.password}") String adminPassword,
              @Value("${server.port:8080}") int port) {
        this.workspaces = workspaces;
        this.inputs = inputs;
        this.adminEmail = adminEmail;
        this.adminPassword = adminPassword;
        this.port = port;
    }

    @Override
    public void run(ApplicationArguments args) {
        RunAs.member(adminEmail, Role.ADMIN, () -> {
            if (workspaces.accessibleWorkspaces().isEmpty()) {
                createDemoWorkspace();
            }
            return null;
        });
        log.info("""

                ==================================================================
                 OpenAudience demo is running: http://localhost:{}
                 Sign in as {} / {}
                 Events API inputs of workspace {} (key / secret):
                   Web      mptravel-web / mptravel-web-secret
                   iOS      mptravel-ios / mptravel-ios-secret
                   Android  mptravel-android / mptravel-android-secret
                ==================================================================""",
                port, adminEmail, DEFAULT_PASSWORD.equals(adminPassword) ? adminPassword
                        : "(the password in OPENAUDIENCE_ADMIN_PASSWORD)", WORKSPACE);
    }

    private void createDemoWorkspace() {
        Workspace workspace = workspaces.createWorkspace(WORKSPACE);
        addInput(workspace, "mPTravel Web", Platform.WEB, "mptravel-web");
        addInput(workspace, "mPTravel iOS", Platform.IOS, "mptravel-ios");
        addInput(workspace, "mPTravel Android", Platform.ANDROID, "mptravel-android");
        log.info("Created demo workspace {} with Web, iOS and Android inputs", WORKSPACE);
    }

    private void addInput(Workspace workspace, String name, Platform platform, String key) {
        inputs.addInput(workspace.id(), name, platform, key, key + "-secret");
    }
}
