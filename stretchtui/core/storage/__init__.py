"""Where things are kept: the data folder's store, routine and history files, config, the reminder schedule."""
