package org.openaudience.criteria;

import java.util.List;

/**
 * The DDL of an indexed attribute column ({@link AttributeColumns}): a virtual column computed by exactly the SQL
 * the compiler otherwise runs on the JSON per row — {@link ConditionSql#scalar}, folded by {@link TextRule} — so
 * that reading the column and reading the JSON cannot disagree; and the index that answers conditions from it.
 */
public final class AttributeColumnSql {

    private AttributeColumnSql() {
    }

    /** The table holding the source's JSON. */
    public static String table(AttributeColumns.Source source) {
        return source == AttributeColumns.Source.EVENT ? "event" : "profile";
    }

    /** The column definition after the name, e.g. {@code VARCHAR(256) … AS (…) VIRTUAL}. */
    public static String definition(AttributeColumns.Column column) {
        String json = column.source() == AttributeColumns.Source.EVENT ? "attributes" : "user_attributes";
        String scalar = ConditionSql.scalar(json, literal(ConditionSql.path(column.attribute())));
        if (column.kind() == AttributeColumns.Kind.TEXT) {
            return "VARCHAR(" + AttributeColumns.TEXT_LENGTH + ") CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin AS"
                    + " (LEFT(" + TextRule.sql(scalar) + ", " + AttributeColumns.TEXT_LENGTH + ")) VIRTUAL";
        }
        return "DOUBLE AS (" + ConditionSql.numberOrNull(scalar) + ") VIRTUAL";
    }

    /**
     * The index over the column: for events (workspace, type, folded key, value, MPID, time), so that a range of
     * MPIDs is one slice per value and counting reads only the index; for profiles (workspace, value), MPID being
     * the primary key's second column.
     */
    public static List<String> indexColumns(AttributeColumns.Source source, String column) {
        return source == AttributeColumns.Source.EVENT
                ? List.of("workspace_id", "event_type", "event_key_folded", column, "mpid", "event_time")
                : List.of("workspace_id", column);
    }

    /** Adds the column named {@code name} (a virtual column: no rewrite of the table). */
    public static String addColumn(AttributeColumns.Column column, String name) {
        return "ALTER TABLE " + table(column.source()) + " ADD COLUMN IF NOT EXISTS " + name + " " + definition(column)
                + ", ALGORITHM=INSTANT";
    }

    /** Builds the index over the column named {@code name} online: writes go on meanwhile. */
    public static String addIndex(AttributeColumns.Source source, String name) {
        return "ALTER TABLE " + table(source) + " ADD INDEX IF NOT EXISTS " + indexOf(name) + " ("
                + String.join(", ", indexColumns(source, name)) + "), ALGORITHM=INPLACE, LOCK=NONE";
    }

    /** Drops the column named {@code name} and its index. */
    public static String drop(AttributeColumns.Source source, String name) {
        return "ALTER TABLE " + table(source) + " DROP INDEX IF EXISTS " + indexOf(name) + ", DROP COLUMN IF EXISTS "
                + name;
    }

    /** The name of the index over the column named {@code column}. */
    public static String indexOf(String column) {
        return AttributeColumns.indexOf(column);
    }

    /** {@code text} as a MariaDB string literal (default SQL mode: backslash escapes). */
    static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
