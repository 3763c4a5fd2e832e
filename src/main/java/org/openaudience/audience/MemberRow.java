package org.openaudience.audience;

/**
 * One row of an export: a member and one of their identities of the chosen types. A member with none of them has
 * one row with null identity columns (PRODUCT.md §3.5).
 */
public record MemberRow(long mpid, String identityType, String identityValue) {
}
