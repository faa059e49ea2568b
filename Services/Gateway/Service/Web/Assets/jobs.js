// The jobs page: filled in by its own script.
