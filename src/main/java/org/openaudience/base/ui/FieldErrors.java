package org.openaudience.base.ui;

import com.vaadin.flow.component.HasValidation;
import java.util.Map;
import org.openaudience.base.InvalidRequestException;

/** Puts a service's {@link InvalidRequestException} next to the form field it names, or in a toast. */
public final class FieldErrors {

    private FieldErrors() {
    }

    public static void show(InvalidRequestException error, Map<String, ? extends HasValidation> fieldsByName) {
        HasValidation field = error.field() == null ? null : fieldsByName.get(error.field());
        if (field == null) {
            Notifications.error(error.getMessage());
            return;
        }
        field.setErrorMessage(error.getMessage());
        field.setInvalid(true);
    }

    public static void clear(Map<String, ? extends HasValidation> fieldsByName) {
        fieldsByName.values().forEach(field -> field.setInvalid(false));
    }
}
