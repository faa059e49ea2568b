// The job page: filled in by its own script.
