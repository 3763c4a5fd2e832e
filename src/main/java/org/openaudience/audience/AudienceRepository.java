package org.openaudience.audience;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;

interface AudienceRepository extends ListCrudRepository<Audience, Long> {

    List<Audience> findByWorkspaceIdOrderByNameAsc(long workspaceId, Pageable page);

    long countByWorkspaceId(long workspaceId);

    Optional<Audience> findByWorkspaceIdAndName(long workspaceId, String name);

    boolean existsByWorkspaceIdAndExternalName(long workspaceId, String externalName);
}
