"""Work-plan measure 十三 (issue 18): archival packages, retention, transfer and destruction,
backup and restore."""
