package org.openaudience.profile.ui;

import com.vaadin.flow.component.html.DescriptionList;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Section;
import java.util.Map;

/** A titled section of a profile: names on the left, values on the right, or a line saying there are none. */
class KeyValueList extends Section {

    final DescriptionList list = new DescriptionList();

    KeyValueList(String title, Map<String, String> entries, String emptyText) {
        addClassName("profile-section");
        add(new H3(title));
        if (entries.isEmpty()) {
            Paragraph empty = new Paragraph(emptyText);
            empty.addClassName("profile-section-empty");
            add(empty);
            return;
        }
        list.addClassName("key-value-list");
        entries.forEach((name, value) -> list.add(new DescriptionList.Term(name),
                new DescriptionList.Description(value)));
        add(list);
    }

    /** The value shown for a name, or null when the list has no such name. */
    String valueOf(String name) {
        var children = list.getChildren().toList();
        for (int i = 0; i + 1 < children.size(); i += 2) {
            if (name.equals(children.get(i).getElement().getText())) {
                return children.get(i + 1).getElement().getText();
            }
        }
        return null;
    }
}
