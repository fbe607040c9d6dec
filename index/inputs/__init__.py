"""Reading inputs: paths, folders, globs, gzip files, JSON Lines record dumps and URLs, as ``RawInput`` items."""
