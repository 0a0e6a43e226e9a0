"""Operating w2: backups, logs, metrics, retention."""
