#!/usr/bin/env python3
"""check.py DB: prints the store's schema version, its integrity check, and per table the
number of rows, so tests see exactly what a heal process left behind."""
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
print("user_version: %d" % db.execute("PRAGMA user_version").fetchone()[0])
print("integrity: %s" % db.execute("PRAGMA integrity_check").fetchone()[0])
tables = [r[0] for r in db.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
for t in tables:
    print("%s: %d" % (t, db.execute("SELECT count(*) FROM %s" % t).fetchone()[0]))
