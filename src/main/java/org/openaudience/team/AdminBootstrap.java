package org.openaudience.team;

import java.time.Clock;
import java.util.Set;
import org.openaudience.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates the first Admin from configuration on a database without one. There is no built-in default password:
 * outside the demo profile the application refuses to start until {@code OPENAUDIENCE_ADMIN_PASSWORD} is set.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final MemberRepository members;
    private final PasswordEncoder passwordEncoder;
    private final Clock clock;
    private final String email;
    private final String password;

    AdminBootstrap(MemberRepository members, PasswordEncoder passwordEncoder, Clock clock,
                   @Value("${openaudience.admin.email}") String email,
                   @Value("${openaudience.admin.password:}") String password) {
        this.members = members;
        this.passwordEncoder = passwordEncoder;
        this.clock = clock;
        this.email = MemberDetailsService.normalizeEmail(email);
        this.password = password;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        if (members.countByRoleAndActiveTrue(Role.ADMIN) > 0) {
            return;
        }
        if (password == null || password.isBlank()) {
            throw new IllegalStateException("There is no active Admin yet. Set OPENAUDIENCE_ADMIN_PASSWORD (and "
                    + "optionally OPENAUDIENCE_ADMIN_EMAIL) to create the first one; OpenAudience ships no "
                    + "default password outside the demo profile.");
        }
        if (members.findByEmail(email).isPresent()) {
            throw new IllegalStateException("There is no active Admin, and " + email + " exists without the Admin "
                    + "role or deactivated; refusing to change it. Set OPENAUDIENCE_ADMIN_EMAIL to a new address.");
        }
        members.save(Member.create(email, "Administrator", Role.ADMIN, passwordEncoder.encode(password), true,
                Set.of(), false, clock.instant()));
        log.info("Created the first Admin: {}", email);
    }
}
