package org.openaudience.testsupport;

import org.openaudience.base.AppShutdown;

/** An application that is closing, for a background job built by hand in a test (the shared context stays open). */
public final class ClosingApp extends AppShutdown {

    public static final ClosingApp INSTANCE = new ClosingApp();

    private ClosingApp() {
    }

    @Override
    public boolean closing() {
        return true;
    }
}
