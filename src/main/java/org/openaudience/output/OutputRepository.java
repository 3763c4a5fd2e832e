package org.openaudience.output;

import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;

interface OutputRepository extends ListCrudRepository<Output, Long> {

    List<Output> findByWorkspaceIdOrderByNameAsc(long workspaceId, Pageable page);

    long countByWorkspaceId(long workspaceId);

    boolean existsByWorkspaceIdAndName(long workspaceId, String name);
}
