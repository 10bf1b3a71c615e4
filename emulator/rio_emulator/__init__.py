"""rio_emulator: a local emulator of the rapyuta.io v1 REST API (catalog + core hosts on one origin).

Independent of the collection code (imports nothing from plugins/): it implements the wire contract
of docs/reference/v1-api.md (at the repository root) so that the collection and the real rapyuta-io
SDK can be tested against it over real HTTP.
"""

__version__ = "1.0.0"
