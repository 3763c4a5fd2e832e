package org.openaudience.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The demo (./mvnw) on a database that is not its own. */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class DemoSetupTest {

    @Autowired
    WorkspaceService workspaces;

    @Test
    void on_a_database_set_up_with_another_admin_the_app_starts_without_the_demo_and_says_why(CapturedOutput out) {
        String stranger = "demo-admin-" + TestMembers.unique() + "@openaudience.test";
        // its other collaborators are never reached: nothing is created for an Admin this database does not have
        DemoSetup setup = new DemoSetup(workspaces, null, null, null, null, null, stranger, "openaudience", 8080);

        setup.run(null);

        assertThat(out.getOut()).contains("No demo: the demo's Admin " + stranger
                + " has no active account in this database");
        assertThat(out.getOut()).doesNotContain("OpenAudience demo is running");
    }
}
