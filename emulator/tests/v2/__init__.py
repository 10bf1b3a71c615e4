"""Tests of the emulator's v2 API."""
