#!/bin/sh
# heal fix's regression command for Lua: the basic tests on the candidate ($HEAL_BINARY).
exec "$HEAL_BINARY" "$1"
