-- latest_metrics is rewritten on every logged step, and its (key, value) index rules out HOT updates:
-- vacuum it after 2% churn rather than the default 20%, so lookups do not wade through dead versions.
ALTER TABLE latest_metrics SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000,
                                autovacuum_analyze_scale_factor = 0.05);
