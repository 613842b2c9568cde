"""Sources: read files, logs, exports and databases into blocks. They know nothing of detection."""
