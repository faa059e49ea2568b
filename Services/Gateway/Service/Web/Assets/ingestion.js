// The ingestion page: filled in by its own script.
