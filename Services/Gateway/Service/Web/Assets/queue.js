// The queue page: filled in by its own script.
