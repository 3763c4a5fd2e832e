package org.openaudience.base.ui;

import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;

/** The app's two kinds of toast: something worked, or something the user can fix went wrong. */
public final class Notifications {

    private Notifications() {
    }

    public static Notification success(String message) {
        return show(message, NotificationVariant.LUMO_SUCCESS, 3000);
    }

    public static Notification error(String message) {
        return show(message, NotificationVariant.LUMO_ERROR, 6000);
    }

    private static Notification show(String message, NotificationVariant variant, int durationMs) {
        Notification notification = new Notification(message, durationMs, Notification.Position.BOTTOM_START);
        notification.addThemeVariants(variant);
        notification.open();
        return notification;
    }
}
