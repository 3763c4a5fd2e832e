package org.openaudience.calculation;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import org.openaudience.base.FreshPlans;
import org.openaudience.criteria.CompiledQuery;
import org.openaudience.criteria.ProfileScope.MpidRange;

/**
 * What one calculation step writes into its run's generation, a bucket's members in one INSERT … SELECT: on the
 * step's own connection, in the step's transaction, and on the helper's (when there is one), in a transaction of its
 * own that the step commits while it still holds the audience's lock, just before it commits its progress. Should the
 * step then fail, its buckets are done again, and the next step first removes what the helper left in them.
 */
final class StepWrites {

    /** Members per DELETE statement. */
    private static final int ROWS_PER_STATEMENT = 2_000;

    private final FreshPlans freshPlans;
    private final long audienceId;
    private final int generation;
    private final Connection helper;
    /** A bucket's query. */
    private final Function<MpidRange, CompiledQuery> compile;

    StepWrites(FreshPlans freshPlans, long audienceId, int generation, Connection helper,
               Function<MpidRange, CompiledQuery> compile) {
        this.compile = compile;
        this.freshPlans = freshPlans;
        this.audienceId = audienceId;
        this.generation = generation;
        this.helper = helper;
    }

    /**
     * The helper's transaction: READ COMMITTED like the step's (each query reads what has committed, its writes
     * lock no gaps next to the step's).
     */
    void begin() {
        if (helper == null) {
            return;
        }
        try {
            helper.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            helper.setAutoCommit(false);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not begin a calculation's second transaction", e);
        }
    }

    /**
     * Removes rows from the buckets not done yet. Only the helper of a step that then failed leaves rows there: real
     * time and the sweep write only buckets done, and outside the run's span. They go uncounted, as they came. Found
     * by a plain read and deleted by key (a range delete also waits for the row after its range, uncommitted rows of
     * another audience), on the helper and committed before the buckets: either connection may write those members
     * again, and would wait for the other's delete.
     */
    void removeLeftovers(List<MpidRange> remaining) {
        List<Long> leftovers = freshPlans.longs("SELECT mpid FROM audience_member WHERE audience_id = ?"
                + " AND generation = ? AND mpid BETWEEN ? AND ?", List.of(audienceId, generation,
                remaining.get(0).from(), remaining.get(remaining.size() - 1).to()));
        for (int from = 0; from < leftovers.size(); from += ROWS_PER_STATEMENT) {
            update(helper, MemberRows.delete(audienceId, generation,
                    leftovers.subList(from, Math.min(leftovers.size(), from + ROWS_PER_STATEMENT))), List.of());
        }
        if (!leftovers.isEmpty()) {
            commitHelper();
        }
    }

    /**
     * Finds and writes one bucket's members in one statement, on the step's connection (null) or the helper's: each
     * bucket at its own time (real time covers later data). The query is materialised first
     * ({@link CompiledQuery#asMaterialisedTable}); under READ COMMITTED its reads take no lock.
     *
     * @return the rows written
     */
    int calculate(MpidRange bucket, Connection connection) {
        CompiledQuery query = compile.apply(bucket);
        return update(connection, query.statement(insert(audienceId, generation, query),
                CalculationSteps.NO_REFERENCE_CHECKS), query.parameters());
    }

    /** The INSERT … SELECT of a bucket's members (parameters: the query's). */
    static String insert(long audienceId, int generation, CompiledQuery query) {
        return "INSERT IGNORE INTO audience_member (audience_id, generation, mpid) SELECT " + audienceId + ", "
                + generation + ", q.mpid FROM " + query.asMaterialisedTable();
    }

    void commitHelper() {
        if (helper == null) {
            return;
        }
        try {
            helper.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not commit a calculation's second transaction", e);
        }
    }

    void rollbackHelper(RuntimeException failure) {
        if (helper == null) {
            return;
        }
        try {
            helper.rollback();
        } catch (SQLException also) {
            failure.addSuppressed(also);
        }
    }

    private int update(Connection connection, String sql, List<Object> parameters) {
        return connection == null ? freshPlans.update(sql, parameters)
                : FreshPlans.update(connection, sql, parameters);
    }
}
