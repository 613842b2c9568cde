"""Detection: the catalog's detectors compiled into one engine; pure, no I/O."""
