"""SQLite state: one JSON document per resource, keyed by (kind, project, id).

One connection guarded by a re-entrant lock: requests run on uvicorn's thread pool, and holding
the lock for a whole read-check-write sequence (``with store.tx():``) is what makes
"create if the name+version is free" atomic under 50 concurrent clients. WAL keeps readers of the
file (and a restart after a crash) consistent.
"""
import json
import sqlite3
import threading

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    kind TEXT NOT NULL,
    project TEXT NOT NULL,
    id TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (kind, project, id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class Store:
    def __init__(self, path=None):
        self.path = path or ":memory:"
        self._lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)

    # -- transactions ---------------------------------------------------------------------------
    def tx(self):
        return _Tx(self)

    def _begin(self):
        self._lock.acquire()
        if self._depth == 0:
            self._conn.execute("BEGIN IMMEDIATE")
        self._depth += 1

    def _end(self, ok):
        try:
            self._depth -= 1
            if self._depth == 0:
                self._conn.execute("COMMIT" if ok else "ROLLBACK")
        finally:
            self._lock.release()

    # -- documents ------------------------------------------------------------------------------
    def get(self, kind, project, id_):
        if not isinstance(id_, str):  # ids come from request bodies: a non-string id matches nothing
            return None
        with self._lock:
            row = self._conn.execute("SELECT doc FROM docs WHERE kind=? AND project=? AND id=?",
                                     (kind, project, id_)).fetchone()
        return json.loads(row[0]) if row else None

    def find(self, kind, id_):
        """(project, doc) of a resource whatever its project (used for public/global lookups)."""
        with self._lock:
            row = self._conn.execute("SELECT project, doc FROM docs WHERE kind=? AND id=?", (kind, id_)).fetchone()
        return (row[0], json.loads(row[1])) if row else (None, None)

    def list(self, kind, project=None, mentioning=None):
        """Documents in creation order (rowid order is stable across updates).

        ``mentioning``: only documents whose stored JSON contains this string (an id, say). Callers
        still check the exact field; the prefilter spares decoding every document of a large project
        on each request (a fleet's GET of one deployment or device was O(deployments) in Python).
        """
        sql, args = "SELECT doc FROM docs WHERE kind=?", [kind]
        if project is not None:
            sql, args = sql + " AND project=?", args + [project]
        if mentioning is not None:
            sql, args = sql + " AND instr(doc, ?) > 0", args + [json.dumps(mentioning)[1:-1]]
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY rowid", args).fetchall()
        return [json.loads(r[0]) for r in rows]

    def put(self, kind, project, id_, doc):
        with self.tx():
            self._conn.execute(
                "INSERT INTO docs (kind, project, id, doc) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kind, project, id) DO UPDATE SET doc=excluded.doc",
                (kind, project, id_, json.dumps(doc)))

    def delete(self, kind, project, id_):
        with self.tx():
            self._conn.execute("DELETE FROM docs WHERE kind=? AND project=? AND id=?", (kind, project, id_))

    def next_int(self, key):
        """Monotonic integer counters (the platform's integer `ID` columns)."""
        with self.tx():
            row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
            value = (row[0] if row else 0) + 1
            self._conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                               "ON CONFLICT (key) DO UPDATE SET value=excluded.value", (key, value))
        return value

    def clear(self):
        with self.tx():
            self._conn.execute("DELETE FROM docs")
            self._conn.execute("DELETE FROM meta")

    def close(self):
        with self._lock:
            self._conn.close()


class _Tx:
    def __init__(self, store):
        self.store = store

    def __enter__(self):
        self.store._begin()
        return self.store

    def __exit__(self, exc_type, exc, tb):
        self.store._end(exc_type is None)
        return False
