package org.openaudience.audience;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openaudience.criteria.AttributeColumns;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.indexing.NeededColumns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The attribute columns that active audiences' definitions would be answered from, in every workspace. */
@Component
class ActiveAudienceColumns implements NeededColumns {

    private static final Logger log = LoggerFactory.getLogger(ActiveAudienceColumns.class);

    private final JdbcClient jdbc;

    ActiveAudienceColumns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<AttributeColumns.Column> neededNow() {
        Set<AttributeColumns.Column> columns = new LinkedHashSet<>();
        List<Map<String, Object>> active = jdbc.sql("SELECT id, definition_json FROM audience WHERE status = ?")
                .param(AudienceStatus.ACTIVE.name()).query().listOfRows();
        for (Map<String, Object> audience : active) {
            try {
                columns.addAll(AttributeColumns.usefulFor(DefinitionJson.read((String) audience.get("definition_json"))));
            } catch (RuntimeException e) {
                // a definition the app cannot read anymore must not keep other audiences' indexes from being built
                log.error("Cannot read the definition of active audience {} for its attribute indexes",
                        audience.get("id"), e);
            }
        }
        return columns;
    }
}
