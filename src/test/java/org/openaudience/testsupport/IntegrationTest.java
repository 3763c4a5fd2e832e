package org.openaudience.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.openaudience.input.InputService;
import org.openaudience.team.TeamService;
import org.openaudience.workspace.WorkspaceService;
import org.openaudience.audience.AudienceService;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import java.time.Clock;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ActiveProfiles;

/**
 * A real Spring context on the run's throw-away MariaDB database, with a clock tests can move, host name lookups
 * they can steer ({@link TestHostResolver}), a password encoder that counts its checks
 * ({@link CountingPasswordEncoder}) and the shared test fixtures ({@link IngestFixtures}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest
@ActiveProfiles("test")
@Import(IntegrationTest.TestClockConfiguration.class)
public @interface IntegrationTest {

    @TestConfiguration(proxyBeanMethods = false)
    class TestClockConfiguration {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }

        /** Webhook delivery looks host names up here; tests map their own names (see TestHostResolver). */
        @Bean
        @Primary
        TestHostResolver testHostResolver() {
            return new TestHostResolver();
        }

        /** Wraps the password encoder, so tests can count the password checks a login costs. */
        @Bean
        static BeanPostProcessor countingPasswordEncoder() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof PasswordEncoder encoder && !(bean instanceof CountingPasswordEncoder)
                            ? new CountingPasswordEncoder(encoder) : bean;
                }
            };
        }

        @Bean
        IngestFixtures ingestFixtures(TeamService team, WorkspaceService workspaces, InputService inputs,
                                      JdbcClient jdbc) {
            return new IngestFixtures(team, workspaces, inputs, jdbc);
        }

        @Bean
        CalculatedAudiences calculatedAudiences(AudienceService audiences, InputService inputs,
                                                IngestionService ingestion, BatchParser parser, Clock clock,
                                                TeamService team, WorkspaceService workspaces) {
            return new CalculatedAudiences(audiences, inputs, ingestion, parser, clock, team, workspaces);
        }
    }
}
