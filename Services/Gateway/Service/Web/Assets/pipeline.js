// The pipeline page: filled in by its own script.
