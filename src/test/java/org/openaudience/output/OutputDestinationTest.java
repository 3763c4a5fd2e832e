package org.openaudience.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.AudienceService;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestHostResolver;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.testsupport.WebhookReceiver;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Webhooks under the default rules (the test profile allows the loopback receiver of the other tests; this class
 * does not): the networks around the server are refused on save, in every way an address can be written, and again
 * on every connection, on what the host name resolves to then.
 */
@IntegrationTest
@TestPropertySource(properties = "openaudience.outputs.allowed-private-hosts=")
class OutputDestinationTest {

    @Autowired
    OutputService outputs;
    @Autowired
    OutputTester tester;
    @Autowired
    OutputRepository outputRepository;
    @Autowired
    ConnectionService connections;
    @Autowired
    DeliveryWorker worker;
    @Autowired
    TestHostResolver dns;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    AudienceService audiences;
    @Autowired
    CalculationEngine engine;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    MutableClock clock;

    TestMembers members;
    Workspace workspace;
    Member user;
    WebhookReceiver receiver;

    @BeforeEach
    void a_user_of_one_workspace() {
        members = new TestMembers(team, workspaces);
        workspace = members.workspace("Destinations");
        user = members.member(Role.USER, workspace);
        receiver = new WebhookReceiver(0);
    }

    @AfterEach
    void cleanUp() {
        receiver.close();
        clock.reset();
    }

    @Test
    void every_way_of_writing_an_address_near_the_server_is_refused_on_save_under_the_url_and_nothing_is_saved() {
        dns.answer("hooks.intranet.test", List.of("203.0.113.7", "10.0.0.5"));
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("http://127.0.0.1/hook", "address 127.0.0.1 is a loopback address");
        refusals.put("https://127.0.0.1:8443/hook", "address 127.0.0.1 is a loopback address");
        refusals.put("http://localhost:8080/hook", "is a loopback address");
        refusals.put("http://localhost./hook", "is a loopback address");
        refusals.put("http://[::1]/hook", "address ::1 is a loopback address");
        refusals.put("http://2130706433/hook", "address 127.0.0.1 is a loopback address");
        refusals.put("http://0177.0.0.1/hook", "address 127.0.0.1 is a loopback address");
        refusals.put("http://0x7f.0.0.1/hook", "address 127.0.0.1 is a loopback address");
        refusals.put("http://0x7f000001/hook", "address 127.0.0.1 is a loopback address");
        refusals.put("http://127.1/hook", "address 127.0.0.1 is a loopback address");
        refusals.put("http://[::ffff:127.0.0.1]/hook", "address 127.0.0.1 is a loopback address");
        refusals.put("http://[::ffff:7f00:1]/hook", "address 127.0.0.1 is a loopback address");
        refusals.put("http://10.0.0.5/hook", "address 10.0.0.5 is in a private network");
        refusals.put("http://172.16.4.2/hook", "address 172.16.4.2 is in a private network");
        refusals.put("http://192.168.1.20:9000/hook", "address 192.168.1.20 is in a private network");
        refusals.put("http://[fd00::5]/hook", "address fd00::5 is in a private network");
        refusals.put("http://[::ffff:10.0.0.5]/hook", "address 10.0.0.5 is in a private network");
        refusals.put("http://hooks.intranet.test/hook", "address 10.0.0.5 is in a private network");
        refusals.put("http://169.254.169.254/latest/meta-data/", "address 169.254.169.254 is link-local");
        refusals.put("http://[::ffff:169.254.169.254]/", "address 169.254.169.254 is link-local");
        refusals.put("http://[fe80::1]/hook", "address fe80::1 is link-local");
        refusals.put("http://0.0.0.0:8080/hook", "address 0.0.0.0 is the unspecified address");
        refusals.put("http://[::]/hook", "address :: is the unspecified address");
        refusals.put("http://100.64.0.1/hook", "address 100.64.0.1 is in the carrier-grade NAT range");
        refusals.put("http://224.0.0.1/hook", "address 224.0.0.1 is a multicast address");
        refusals.put("http://[ff02::1]/hook", "address ff02::1 is a multicast address");
        refusals.put("http://255.255.255.255/hook", "address 255.255.255.255 is a broadcast or reserved address");
        for (var refusal : refusals.entrySet()) {
            assertThatThrownBy(() -> create(OutputSettings.webhook("Near", refusal.getKey(), null)))
                    .as(refusal.getKey()).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.field()).isEqualTo("url");
                        assertThat(e.getMessage()).startsWith("OpenAudience does not post to ")
                                .contains(refusal.getValue()).endsWith(DestinationPolicy.SETTING_HINT);
                    });
        }
        assertThatThrownBy(() -> create(OutputSettings.webhook("File", "file:///etc/passwd", null)))
                .hasMessage("Enter an http:// or https:// URL with a host.");
        assertThatThrownBy(() -> create(OutputSettings.webhook("Gopher", "gopher://127.0.0.1:6379/_INFO", null)))
                .hasMessage("Enter an http:// or https:// URL with a host.");
        assertThat(asUser(() -> outputs.count(workspace.id()))).as("nothing saved").isZero();
    }

    @Test
    void an_output_cannot_be_moved_to_a_private_address_either() {
        Output hook = create(OutputSettings.webhook("Hook", "https://crm.example.com/hook", "a-secret-of-sixteen+"));
        assertThatThrownBy(() -> asUser(() -> outputs.updateOutput(hook.id(), OutputSettings.webhook("Hook",
                "http://169.254.169.254/latest/meta-data/", "a-secret-of-sixteen+"))))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("url"));
        assertThat(asUser(() -> outputs.output(hook.id())).url()).isEqualTo("https://crm.example.com/hook");
    }

    @Test
    void a_name_that_passed_on_save_and_resolves_to_loopback_when_sending_is_refused_before_connecting() {
        String host = "hooks.rebinding.test:" + receiver.port();
        dns.answer("hooks.rebinding.test", List.of("203.0.113.10"), List.of("127.0.0.1"));
        Output output = create(OutputSettings.webhook("Rebinding", "http://" + host + "/hook", null));
        assertThat(dns.lookups("hooks.rebinding.test")).as("checked on save").isEqualTo(1);

        assertThatThrownBy(() -> asUser(() -> tester.test(output.id())))
                .hasMessage("The test message failed: Could not reach " + host + ": refused: address 127.0.0.1 is a"
                        + " loopback address");

        DeliveryFixture fixture = new DeliveryFixture(members, new TestEvents(inputs, ingestion, parser, clock,
                members), audiences, engine, worker, clock, 2);
        dns.answer("hooks.rebinding.test", List.of("203.0.113.10"), List.of("127.0.0.1")); // again: public on save
        Output rebinding = fixture.asUser(() -> outputs.createOutput(fixture.workspace.id(),
                OutputSettings.webhook("Rebinding", "http://" + host + "/hook", null)));
        Connection connection = fixture.asUser(() -> connections.connect(fixture.audience.id(), null,
                rebinding.id(), Set.of()));
        worker.deliverDue();
        Connection failed = fixture.asUser(() -> connections.connections(fixture.audience.id())).stream()
                .filter(found -> found.id() == connection.id()).findFirst().orElseThrow();
        assertThat(failed.lastError()).isEqualTo("Could not reach " + host + ": refused: address 127.0.0.1 is a"
                + " loopback address");
        assertThat(failed.deliveredAdds()).isZero();
        assertThat(receiver.requests()).as("never connected").isZero();
    }

    @Test
    void one_private_address_among_the_answers_refuses_the_sending() {
        dns.answer("hooks.mixed.test", List.of("203.0.113.11"), List.of("203.0.113.11", "127.0.0.1"));
        Output output = create(OutputSettings.webhook("Mixed", "http://hooks.mixed.test:" + receiver.port()
                + "/hook", null));
        assertThatThrownBy(() -> asUser(() -> tester.test(output.id())))
                .hasMessageEndingWith("refused: address 127.0.0.1 is a loopback address");
        assertThat(receiver.requests()).isZero();
    }

    @Test
    void an_output_saved_before_the_rules_is_refused_when_sending() {
        Output old = outputRepository.save(Output.create(workspace.id(), new OutputSettings("From before",
                OutputKind.WEBHOOK, receiver.url(), "a-secret-of-sixteen+", "", null, 10, 3), user.getEmail(),
                clock.instant()));
        assertThatThrownBy(() -> asUser(() -> tester.test(old.id()))).hasMessage("The test message failed: Could"
                + " not reach 127.0.0.1:" + receiver.port() + ": refused: address 127.0.0.1 is a loopback address");
        assertThat(receiver.requests()).isZero();
    }

    private Output create(OutputSettings settings) {
        return asUser(() -> outputs.createOutput(workspace.id(), settings));
    }

    private <T> T asUser(Supplier<T> work) {
        return RunAs.member(user.getEmail(), Role.USER, work);
    }
}
