// The master-cv page: filled in by its own script.
