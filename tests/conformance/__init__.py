"""Conformance suite: the real rapyuta-io SDK against rio_emulator (a package, so its conftest and helpers
do not shadow other test directories' modules of the same name)."""
