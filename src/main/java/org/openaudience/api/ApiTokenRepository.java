package org.openaudience.api;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;

interface ApiTokenRepository extends ListCrudRepository<ApiToken, Long> {

    Optional<ApiToken> findByTokenHash(String tokenHash);

    List<ApiToken> findByMemberIdOrderByCreatedAtDesc(long memberId, Pageable page);

    long countByMemberId(long memberId);

    long countByMemberIdAndRevokedAtIsNull(long memberId);
}
