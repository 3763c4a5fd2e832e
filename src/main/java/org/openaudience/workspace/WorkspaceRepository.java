package org.openaudience.workspace;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

interface WorkspaceRepository extends ListCrudRepository<Workspace, Long> {

    List<Workspace> findByNameContainingOrderByNameAsc(String name, Pageable page);

    long countByNameContaining(String name);

    List<Workspace> findByIdInAndNameContainingOrderByNameAsc(java.util.Collection<Long> ids, String name,
                                                              Pageable page);

    long countByIdInAndNameContaining(java.util.Collection<Long> ids, String name);

    List<Workspace> findAllByOrderByNameAsc();

    List<Workspace> findByIdInOrderByNameAsc(java.util.Collection<Long> ids);

    Optional<Workspace> findByName(String name);

    @Query("SELECT workspace_id FROM workspace_selection WHERE member_id = :memberId")
    Optional<Long> findSelectedWorkspaceId(long memberId);

    @Modifying
    @Query("""
            INSERT INTO workspace_selection (member_id, workspace_id) VALUES (:memberId, :workspaceId)
            ON DUPLICATE KEY UPDATE workspace_id = VALUES(workspace_id)""")
    void selectWorkspace(long memberId, long workspaceId);
}
