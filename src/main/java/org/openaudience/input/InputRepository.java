package org.openaudience.input;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;

interface InputRepository extends ListCrudRepository<Input, Long> {

    List<Input> findByWorkspaceIdOrderByNameAsc(long workspaceId, Pageable page);

    long countByWorkspaceId(long workspaceId);

    Optional<Input> findByApiKey(String apiKey);

    boolean existsByWorkspaceIdAndName(long workspaceId, String name);
}
