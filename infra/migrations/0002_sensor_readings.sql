-- Demo dataset `sensor_readings` (see datasets.json).
CREATE TABLE IF NOT EXISTS public.sensor_readings (
    sensor_id  text             NOT NULL,
    sampled_at timestamptz      NOT NULL,
    value      double precision,
    note       text,
    PRIMARY KEY (sensor_id, sampled_at)
);
