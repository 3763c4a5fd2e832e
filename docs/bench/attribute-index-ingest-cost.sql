-- What one event attribute index costs ingestion, and what a side table holding only the events that carry the
-- attribute would cost instead, written and read (issue #17, ninth pass). Run on a database the audience benchmark kept
-- (KEEP_TEST_DB=true … -Dbench.load-only=true), twice, the second run's figures counting:
--   mariadb -uroot oa_test_… < docs/bench/attribute-index-ingest-cost.sql
-- Each step inserts the first 400,000 generated events (random MPIDs, as the Events API writes them) in one
-- INSERT … SELECT into a fresh table and prints its milliseconds.
DROP TABLE IF EXISTS bench_src, bench_plain, bench_indexed, bench_side, bench_side_clustered;
CREATE TABLE bench_src AS SELECT id, workspace_id, mpid, input_id, batch_id, event_type, event_key, custom_event_type,
    platform, environment, event_time, received_at, attributes, data FROM event WHERE id <= 400000;
-- the event table as ingestion writes it with no attribute index (its columns, keys and checks)
CREATE TABLE bench_plain (
  id bigint NOT NULL AUTO_INCREMENT,
  workspace_id bigint NOT NULL,
  mpid bigint NOT NULL,
  input_id bigint NOT NULL,
  batch_id bigint NOT NULL,
  event_type varchar(40) NOT NULL,
  event_key varchar(255) NOT NULL,
  custom_event_type varchar(30) DEFAULT NULL,
  platform varchar(30) DEFAULT NULL,
  environment varchar(12) NOT NULL,
  event_time datetime(3) NOT NULL,
  received_at datetime(3) NOT NULL,
  attributes longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL CHECK (json_valid(attributes)),
  data longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL CHECK (json_valid(data)),
  event_key_folded varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin
      GENERATED ALWAYS AS (lcase(ucase(event_key COLLATE utf8mb4_uca1400_as_cs))) STORED,
  PRIMARY KEY (id),
  KEY ix_event_profile (workspace_id, mpid, event_time),
  KEY ix_event_key_mpid (workspace_id, event_type, event_key_folded, mpid, event_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- the same with the app's indexed `destination` column (AttributeColumnSql: a virtual column and its index)
CREATE TABLE bench_indexed LIKE bench_plain;
ALTER TABLE bench_indexed ADD COLUMN oa_attr_destination varchar(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin
    GENERATED ALWAYS AS (left(lcase(ucase(CASE WHEN json_type(json_extract(attributes, '$."destination"'))
    IN ('ARRAY', 'OBJECT', 'NULL') THEN NULL ELSE json_unquote(json_extract(attributes, '$."destination"')) END
    COLLATE utf8mb4_uca1400_as_cs)) COLLATE utf8mb4_nopad_bin, 256)) VIRTUAL,
    ADD KEY ix_oa_attr_destination (workspace_id, event_type, event_key_folded, oa_attr_destination, mpid, event_time);
-- a side table in the index's order, with a row only for an event that carries the attribute
CREATE TABLE bench_side (
  event_id bigint NOT NULL PRIMARY KEY,
  workspace_id bigint NOT NULL,
  event_type varchar(40) NOT NULL,
  event_key_folded varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
  value varchar(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
  mpid bigint NOT NULL,
  event_time datetime(3) NOT NULL,
  KEY ix_side (workspace_id, event_type, event_key_folded, value, mpid, event_time)
) ENGINE=InnoDB;

SET @s = NOW(6);
INSERT INTO bench_plain (id, workspace_id, mpid, input_id, batch_id, event_type, event_key, custom_event_type, platform,
    environment, event_time, received_at, attributes, data)
  SELECT id, workspace_id, mpid, input_id, batch_id, event_type, event_key, custom_event_type, platform, environment,
    event_time, received_at, attributes, data FROM bench_src;
SELECT 'events, no attribute index' AS step, TIMESTAMPDIFF(MICROSECOND, @s, NOW(6)) DIV 1000 AS ms;

SET @s = NOW(6);
INSERT INTO bench_indexed (id, workspace_id, mpid, input_id, batch_id, event_type, event_key, custom_event_type,
    platform, environment, event_time, received_at, attributes, data)
  SELECT id, workspace_id, mpid, input_id, batch_id, event_type, event_key, custom_event_type, platform, environment,
    event_time, received_at, attributes, data FROM bench_src;
SELECT 'events with the destination index' AS step, TIMESTAMPDIFF(MICROSECOND, @s, NOW(6)) DIV 1000 AS ms;

SET @s = NOW(6);
INSERT INTO bench_side
  SELECT id, workspace_id, event_type, event_key_folded, lcase(ucase(json_unquote(json_extract(attributes,
    '$."destination"')) COLLATE utf8mb4_uca1400_as_cs)), mpid, event_time
  FROM bench_plain WHERE json_type(json_extract(attributes, '$."destination"')) NOT IN ('ARRAY', 'OBJECT', 'NULL');
SELECT 'side rows for the events carrying destination (read back from the table above)' AS step,
    TIMESTAMPDIFF(MICROSECOND, @s, NOW(6)) DIV 1000 AS ms, (SELECT COUNT(*) FROM bench_side) AS side_rows;

-- the same rows in a table whose primary key is the index's order: one B-tree instead of two
CREATE TABLE bench_side_clustered LIKE bench_side;
ALTER TABLE bench_side_clustered DROP PRIMARY KEY, DROP KEY ix_side,
    ADD PRIMARY KEY (workspace_id, event_type, event_key_folded, value, mpid, event_time, event_id);
SET @s = NOW(6);
INSERT INTO bench_side_clustered
  SELECT id, workspace_id, event_type, event_key_folded, lcase(ucase(json_unquote(json_extract(attributes,
    '$."destination"')) COLLATE utf8mb4_uca1400_as_cs)), mpid, event_time
  FROM bench_plain WHERE json_type(json_extract(attributes, '$."destination"')) NOT IN ('ARRAY', 'OBJECT', 'NULL');
SELECT 'clustered side rows (read back the same way)' AS step, TIMESTAMPDIFF(MICROSECOND, @s, NOW(6)) DIV 1000 AS ms;
SET @s = NOW(6);
SELECT COUNT(*) FROM bench_plain WHERE json_type(json_extract(attributes, '$."destination"')) NOT IN ('ARRAY', 'OBJECT',
    'NULL');
SELECT 'reading them back alone (subtract from the two above)' AS step,
    TIMESTAMPDIFF(MICROSECOND, @s, NOW(6)) DIV 1000 AS ms;

-- reading: the distinct Paris viewers of the last 30 days, from the event index and from each side table
SET @t = (SELECT MAX(event_time) FROM bench_plain) - INTERVAL 30 DAY;
SET @s = NOW(6);
SELECT COUNT(DISTINCT mpid) AS viewers FROM bench_indexed FORCE INDEX (ix_oa_attr_destination) WHERE workspace_id = 1
    AND event_type = 'custom_event' AND event_key_folded = 'play video' AND oa_attr_destination = 'paris'
    AND event_time >= @t;
SELECT 'read from the event index' AS step, TIMESTAMPDIFF(MICROSECOND, @s, NOW(6)) DIV 1000 AS ms;
SET @s = NOW(6);
SELECT COUNT(DISTINCT mpid) AS viewers FROM bench_side WHERE workspace_id = 1 AND event_type = 'custom_event'
    AND event_key_folded = 'play video' AND value = 'paris' AND event_time >= @t;
SELECT 'read from the side table' AS step, TIMESTAMPDIFF(MICROSECOND, @s, NOW(6)) DIV 1000 AS ms;
SET @s = NOW(6);
SELECT COUNT(DISTINCT mpid) AS viewers FROM bench_side_clustered WHERE workspace_id = 1 AND event_type = 'custom_event'
    AND event_key_folded = 'play video' AND value = 'paris' AND event_time >= @t;
SELECT 'read from the clustered side table' AS step, TIMESTAMPDIFF(MICROSECOND, @s, NOW(6)) DIV 1000 AS ms;

DROP TABLE bench_src, bench_plain, bench_indexed, bench_side, bench_side_clustered;
