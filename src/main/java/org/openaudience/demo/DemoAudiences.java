package org.openaudience.demo;

import java.util.List;
import java.util.Set;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceDetails;
import org.openaudience.audience.AudienceService;
import org.openaudience.output.OutputService;
import org.openaudience.output.OutputSettings;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Frequency;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.criteria.Window;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.workspace.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** A few active sample audiences in the demo workspace, created through the same service a member uses. */
@Component
@Profile("demo")
class DemoAudiences {

    /** A webhook to {@link DemoReceiver}, for the connect walkthrough. */
    static final String RECEIVER_OUTPUT = "Demo receiver (this app)";

    private static final Logger log = LoggerFactory.getLogger(DemoAudiences.class);

    private final AudienceService audiences;
    private final AudienceDetails details;
    private final OutputService outputs;
    private final Environment environment;

    DemoAudiences(AudienceService audiences, AudienceDetails details, OutputService outputs,
                  Environment environment) {
        this.audiences = audiences;
        this.details = details;
        this.outputs = outputs;
        this.environment = environment;
    }

    void create(Workspace workspace, String adminEmail) {
        RunAs.member(adminEmail, Role.ADMIN, () -> {
            sample(workspace, "Paris video viewers", Set.of("video", "paris"), Definition.of(EventCriterion.event(
                    "Play Video", Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, "paris"))));
            sample(workspace, "Premium travellers", Set.of("premium"), Definition.of(UserCriterion.attribute(
                    "status", DataType.STRING, Operator.EXACT_MATCH, "premium")));
            sample(workspace, "Cart abandoners 7d", Set.of("commerce"), new Definition(Group.of(
                            new EventCriterion(EventKind.ECOMMERCE, "add_to_cart", null, List.of(), Frequency.ANY,
                                    new Window.LastDays(7)))
                    .then(Connector.EXCLUDE, new EventCriterion(EventKind.ECOMMERCE, "purchase", null, List.of(),
                            Frequency.ANY, new Window.LastDays(7))), null));
            sample(workspace, "Frequent searchers", Set.of("search"), Definition.of(new EventCriterion(
                    EventKind.EVENT, "Search", null, List.of(), Frequency.of(Frequency.Comparison.AT_LEAST, 3),
                    new Window.LastDays(14))));
            // read now, not at start-up: the port is known once the server listens (random in tests)
            String port = environment.getProperty("local.server.port", environment.getProperty("server.port",
                    "8080"));
            outputs.createOutput(workspace.id(), OutputSettings.webhook(RECEIVER_OUTPUT,
                    "http://localhost:" + port + DemoReceiver.PATH, DemoReceiver.SECRET).withBatchSize(200));
            outputs.createOutput(workspace.id(), OutputSettings.fileDrop("Demo CSV drop", "demo"));
            return null;
        });
        log.info("Created and activated 4 sample audiences in {}, and outputs \"{}\" and \"Demo CSV drop\"",
                workspace.name(), RECEIVER_OUTPUT);
    }

    private void sample(Workspace workspace, String name, Set<String> tags, Definition definition) {
        Audience audience = audiences.createAudience(workspace.id(), name, null, definition);
        details.updateDetails(audience.id(), name, null, "A sample audience of the demo", tags);
        audiences.activateAudience(audience.id());
    }
}
