package org.openaudience.team;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.openaudience.security.Role;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

interface MemberRepository extends ListCrudRepository<Member, Long> {

    Optional<Member> findByEmail(String email);

    List<Member> findByNameContainingOrEmailContainingOrderByNameAsc(String name, String email, Pageable page);

    long countByNameContainingOrEmailContaining(String name, String email);

    long countByRoleAndActiveTrue(Role role);

    // Login bookkeeping is done with single atomic statements: concurrent attempts must all count, and must not
    // bump the aggregate's version under an Admin who is editing the member at the same time.

    @Modifying
    @Query("UPDATE member SET failed_logins = failed_logins + 1 WHERE email = :email")
    int countFailedLogin(String email);

    /** @return 1 when this call locked the account, 0 when it was not (yet) due */
    @Modifying
    @Query("""
            UPDATE member SET failed_logins = 0, locked_until = :lockedUntil
            WHERE email = :email AND failed_logins >= :maxFailures""")
    int lockIfTooManyFailures(String email, int maxFailures, Instant lockedUntil);

    @Modifying
    @Query("UPDATE member SET failed_logins = 0, locked_until = NULL, last_login_at = :now WHERE email = :email")
    int recordSuccessfulLogin(String email, Instant now);
}
