#!/usr/bin/env python3
"""linkrec.py TEXT OUT: writes a .heal_link section payload (HEALLK1 magic, uint64 LE
length, TEXT, zero padding to 8 bytes) so tests can plant bad link records."""
import struct
import sys

text = sys.argv[1].encode()
data = b"HEALLK1\0" + struct.pack("<Q", len(text)) + text
data += b"\0" * (-len(data) % 8)
with open(sys.argv[2], "wb") as f:
    f.write(data)
