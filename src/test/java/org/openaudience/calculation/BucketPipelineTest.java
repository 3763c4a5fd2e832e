package org.openaudience.calculation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openaudience.criteria.ProfileScope.MpidRange;

/** A step's buckets: calculated on one or two connections, every bucket taken done once, the budget kept. */
class BucketPipelineTest {

    private static final Connection HELPER = (Connection) Proxy.newProxyInstance(
            BucketPipelineTest.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> null);

    private final ExecutorService helpers = Executors.newCachedThreadPool();
    private final List<String> calculated = new CopyOnWriteArrayList<>();
    private final List<Long> written = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        helpers.shutdownNow();
    }

    /** Ten buckets of ten MPIDs each: 0–9, 10–19 …; a bucket's members are its even MPIDs. */
    private static List<MpidRange> buckets() {
        return LongStream.range(0, 10).mapToObj(i -> new MpidRange(i * 10, i * 10 + 9)).toList();
    }

    /** Writes the bucket's members; returns how many. */
    private int calculate(MpidRange bucket, Connection connection) {
        calculated.add(bucket.from() + (connection == null ? " own" : " helper"));
        List<Long> members = LongStream.rangeClosed(bucket.from(), bucket.to()).filter(mpid -> mpid % 2 == 0)
                .boxed().toList();
        written.addAll(members);
        return members.size();
    }

    @Test
    void without_a_helper_a_step_with_no_budget_takes_one_bucket() {
        BucketPipeline.Done done = new BucketPipeline(buckets(), 0, null, helpers, this::calculate).run();

        assertThat(done.taken()).isEqualTo(1);
        assertThat(calculated).containsExactly("0 own");
        assertThat(written).containsExactly(0L, 2L, 4L, 6L, 8L);
        assertThat(done.found()).isEqualTo(5);
    }

    @Test
    void with_a_helper_a_step_with_no_budget_takes_a_bucket_per_connection() {
        BucketPipeline.Done done = new BucketPipeline(buckets(), 0, HELPER, helpers, this::calculate).run();

        assertThat(done.taken()).isEqualTo(2);
        assertThat(calculated).containsExactlyInAnyOrder("0 helper", "10 own");
        assertThat(done.found()).as("the helper's rows counted too").isEqualTo(10);
        assertThat(written).containsExactlyInAnyOrder(0L, 2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L);
    }

    @Test
    void a_generous_budget_takes_every_bucket_in_order_and_writes_each_once() {
        BucketPipeline.Done done = new BucketPipeline(buckets(), 60_000_000_000L, HELPER, helpers, this::calculate)
                .run();

        assertThat(done.taken()).isEqualTo(10);
        assertThat(calculated).hasSize(10).anyMatch(bucket -> bucket.endsWith("helper"))
                .anyMatch(bucket -> bucket.endsWith("own"));
        assertThat(written).hasSize(50).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 100).filter(mpid -> mpid % 2 == 0).boxed()
                        .toList());
        assertThat(done.found()).isEqualTo(50);
    }

    @Test
    void a_failing_helper_bucket_fails_the_step() {
        BucketPipeline pipeline = new BucketPipeline(buckets(), 0, HELPER, helpers, (bucket, connection) -> {
            if (connection != null) {
                throw new IllegalStateException("helper bucket failed");
            }
            return calculate(bucket, null);
        });

        assertThatThrownBy(pipeline::run).hasMessage("helper bucket failed");
    }

    @Test
    void a_failing_bucket_of_the_step_waits_for_the_helpers_bucket_before_the_step_gives_its_connection_back() {
        AtomicBoolean helperFinished = new AtomicBoolean();
        BucketPipeline pipeline = new BucketPipeline(buckets(), 0, HELPER, helpers, (bucket, connection) -> {
            if (connection == null) {
                throw new IllegalStateException("bucket failed");
            }
            sleep(300);
            helperFinished.set(true);
            return calculate(bucket, connection);
        });

        assertThatThrownBy(pipeline::run).hasMessage("bucket failed");
        assertThat(helperFinished).as("the helper's statement ended before the failure was reported").isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
