package org.openaudience.team;

import java.util.List;
import java.util.Optional;
import org.openaudience.security.Role;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;

interface MemberRepository extends ListCrudRepository<Member, Long> {

    Optional<Member> findByEmail(String email);

    List<Member> findByNameContainingOrEmailContainingOrderByNameAsc(String name, String email, Pageable page);

    long countByNameContainingOrEmailContaining(String name, String email);

    long countByRoleAndActiveTrue(Role role);
}
