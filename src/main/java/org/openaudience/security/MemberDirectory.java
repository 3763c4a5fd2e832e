package org.openaudience.security;

import java.util.Optional;

/** Looks up active members for access checks; implemented by the team feature so security stays below it. */
public interface MemberDirectory {

    Optional<MemberAccess> findActiveMember(String email);

    /** The member with this id, when active (API tokens name their member by id). */
    Optional<MemberAccess> findActiveMember(long memberId);
}
