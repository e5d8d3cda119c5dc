"""Everything under this folder is loaded by `load_from_defs_folder`: one folder per domain."""
