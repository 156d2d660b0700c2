"""The `gia` command line: thin wrappers over the functions in `inference/` and `training/`."""
