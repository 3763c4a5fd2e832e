package org.openaudience.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditEntry;
import org.openaudience.audit.AuditFilter;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.testsupport.WebhookReceiver;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What people learn of a webhook's receiver (a status or a short reason, never its answer), what they see of its
 * credentials (header names, never values) and what it takes to send those credentials somewhere else (typing them
 * again). Setup › Outputs › Test is audited.
 */
@IntegrationTest
class OutputSecretsAndTestsTest {

    static final String SECRET = "a-secret-of-sixteen+";
    static final String TOKEN = "Bearer crm-token-5f2a";

    @Autowired
    OutputService outputs;
    @Autowired
    OutputTester tester;
    @Autowired
    AuditLog audit;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;

    TestMembers members;
    Workspace workspace;
    Member user;
    WebhookReceiver receiver;

    @BeforeEach
    void a_user_of_one_workspace() {
        members = new TestMembers(team, workspaces);
        workspace = members.workspace("Secrets");
        user = members.member(Role.USER, workspace);
        receiver = new WebhookReceiver(0);
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    @Test
    void a_test_reports_the_status_code_and_never_what_the_receiver_answered() {
        Output hook = create(OutputSettings.webhook("Busy", receiver.url(), SECRET));
        receiver.failNext(1); // 503 with the body "receiver warming up"
        assertThatThrownBy(() -> asUser(() -> tester.test(hook.id())))
                .hasMessage("The test message failed: HTTP 503 from 127.0.0.1:" + receiver.port());
        assertThat(asUser(() -> tester.test(hook.id())))
                .isEqualTo("The receiver answered HTTP 204 to a signed test message.");
    }

    @Test
    void a_service_that_does_not_speak_http_is_not_quoted() throws Exception {
        try (ServerSocket redis = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> answerOnce(redis, "-ERR unknown command 'POST', with args"
                    + " beginning with: internal-secret-key\r\n"));
            answering.start();
            Output hook = create(OutputSettings.webhook("Redis", "http://127.0.0.1:" + redis.getLocalPort() + "/",
                    SECRET));
            assertThatThrownBy(() -> asUser(() -> tester.test(hook.id())))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("The test message failed: Could not reach 127.0.0.1:" + redis.getLocalPort()
                            + ": the connection closed without an answer"); // its line is no HTTP status line
            answering.join(5_000);
        }
    }

    @Test
    void each_test_is_audited_with_who_which_output_and_the_outcome() {
        Output hook = create(OutputSettings.webhook("Audited hook", receiver.url(), SECRET));
        asUser(() -> tester.test(hook.id()));
        receiver.failNext(1);
        assertThatThrownBy(() -> asUser(() -> tester.test(hook.id()))).isInstanceOf(InvalidRequestException.class);

        List<AuditEntry> entries = members.asAdmin(() -> audit.page(new AuditFilter(Set.of(AuditAction.OUTPUT_TESTED),
                user.getEmail(), null, null), 0, 10).toList());
        assertThat(entries).hasSize(2).allSatisfy(entry -> {
            assertThat(entry.actor()).isEqualTo(user.getEmail());
            assertThat(entry.target()).isEqualTo("Audited hook");
            assertThat(entry.workspaceId()).isEqualTo(workspace.id());
            assertThat(entry.detail()).startsWith("Webhook http://127.0.0.1:" + receiver.port() + ": ");
        });
        assertThat(entries).extracting(AuditEntry::detail).anySatisfy(detail -> assertThat(detail)
                .endsWith("The receiver answered HTTP 204 to a signed test message.")).anySatisfy(detail ->
                assertThat(detail).endsWith("The test message failed: HTTP 503 from 127.0.0.1:" + receiver.port()));
    }

    @Test
    void header_values_never_leave_the_server_and_a_masked_line_keeps_the_saved_value() {
        Output hook = create(new OutputSettings("CRM", OutputKind.WEBHOOK, receiver.url(), SECRET,
                "Authorization: " + TOKEN + "\nX-Team: crm", null, 100, 5));
        Output listed = asUser(() -> outputs.page(workspace.id(), 0, 10)).get(0);
        assertThat(listed.headers()).isEqualTo("Authorization: ••••••\nX-Team: ••••••");
        assertThat(listed.secret()).isNull();

        asUser(() -> outputs.updateOutput(hook.id(), new OutputSettings("CRM", OutputKind.WEBHOOK,
                receiver.url() + "?v=2", "", listed.headers() + "\nX-Region: eu", null, 200, 5)));
        assertThat(asUser(() -> outputs.output(hook.id())).headers())
                .isEqualTo("Authorization: " + TOKEN + "\nX-Team: crm\nX-Region: eu");
        asUser(() -> outputs.updateOutput(hook.id(), new OutputSettings("CRM", OutputKind.WEBHOOK,
                receiver.url(), "", "Authorization: ••••••\nX-Team: sales", null, 200, 5)));
        assertThat(asUser(() -> outputs.output(hook.id())).headers())
                .isEqualTo("Authorization: " + TOKEN + "\nX-Team: sales");
        asUser(() -> tester.test(hook.id()));
        assertThat(receiver.accepted().get(0).header("Authorization")).isEqualTo(TOKEN);

        assertThatThrownBy(() -> asUser(() -> outputs.updateOutput(hook.id(), new OutputSettings("CRM",
                OutputKind.WEBHOOK, receiver.url(), "", "X-Api-Key: ••••••", null, 200, 5))))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("headers");
                    assertThat(e.getMessage()).isEqualTo("Type a value for X-Api-Key: •••••• only stands for a"
                            + " value saved before.");
                });
    }

    @Test
    void pointing_an_output_at_another_host_needs_its_secret_and_header_values_typed_again() {
        Output hook = create(new OutputSettings("CRM", OutputKind.WEBHOOK, "https://crm.example.com/hooks/in",
                SECRET, "Authorization: " + TOKEN, null, 100, 5));
        String masked = "Authorization: ••••••";

        assertThatThrownBy(() -> update(hook, "https://attacker.example.net/hooks/in", "", masked))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("secret");
                    assertThat(e.getMessage()).startsWith("The URL now points to another host: enter the HMAC"
                            + " secret again");
                });
        assertThatThrownBy(() -> update(hook, "https://attacker.example.net/hooks/in", "another-secret-of-16",
                masked)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("headers");
                    assertThat(e.getMessage()).startsWith("The URL now points to another host: type the value of"
                            + " Authorization again");
                });
        assertThatThrownBy(() -> update(hook, "https://crm.example.com:8443/hooks/in", "", masked))
                .as("another port is another receiver").hasMessageStartingWith("The URL now points to another host");
        Output unchanged = asUser(() -> outputs.output(hook.id()));
        assertThat(unchanged.url()).isEqualTo("https://crm.example.com/hooks/in");
        assertThat(unchanged.secret()).isEqualTo(SECRET);

        update(hook, "https://CRM.example.com:443/hooks/v2", "", masked); // same host and port: kept
        assertThat(asUser(() -> outputs.output(hook.id())).headers()).isEqualTo("Authorization: " + TOKEN);
        update(hook, "https://crm.example.org/in", "a-new-secret-of-16+", "Authorization: Bearer new");
        Output moved = asUser(() -> outputs.output(hook.id()));
        assertThat(moved.secret()).isEqualTo("a-new-secret-of-16+");
        assertThat(moved.headers()).isEqualTo("Authorization: Bearer new");
    }

    @Test
    void user_and_password_in_the_url_are_refused_because_they_are_not_sent() {
        assertThatThrownBy(() -> create(OutputSettings.webhook("Userinfo", "https://crm.example.com@evil.example/x",
                SECRET))).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("url");
                    assertThat(e.getMessage()).startsWith("Leave user:password@ out of the URL");
                });
    }

    private static void answerOnce(ServerSocket server, String banner) {
        try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
            client.getInputStream().read(new byte[1024]);
            out.write(banner.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Output update(Output hook, String url, String secret, String headers) {
        return asUser(() -> outputs.updateOutput(hook.id(), new OutputSettings(hook.name(), OutputKind.WEBHOOK, url,
                secret, headers, null, hook.batchSize(), hook.maxAttempts())));
    }

    private Output create(OutputSettings settings) {
        return asUser(() -> outputs.createOutput(workspace.id(), settings));
    }

    private <T> T asUser(Supplier<T> work) {
        return RunAs.member(user.getEmail(), Role.USER, work);
    }
}
