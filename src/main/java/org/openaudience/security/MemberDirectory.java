package org.openaudience.security;

import java.util.Optional;

/** Looks up active members for access checks; implemented by the team feature so security stays below it. */
public interface MemberDirectory {

    Optional<MemberAccess> findActiveMember(String email);
}
