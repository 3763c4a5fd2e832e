package org.openaudience.audience.ui;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openaudience.audience.Audience;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.EventKind;

/** What the criteria editor offers in its lists, from the workspace's catalog and audiences (the view supplies it). */
interface CriteriaSources {

    /** Event names (screen names, product actions) of a kind received so far, filtered by a substring. */
    Stream<String> eventNames(EventKind kind, String filter, int offset, int limit);

    int countEventNames(EventKind kind, String filter);

    /** The attributes seen on events of this kind and name, with their detected types. */
    Map<String, DataType> eventAttributes(EventKind kind, String name);

    /** User attributes seen in the workspace, with their detected types. */
    Map<String, DataType> userAttributes();

    /** Audiences a membership criterion may point at. */
    List<Audience> membershipTargets();

    String audienceName(long audienceId);
}
