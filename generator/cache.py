"""A cache of per-file results, so a check after a small edit re-reads only what changed.

`check_file` is a pure function of a file's name and bytes (and of this package's code), so its
result can be kept under a hash of those. The cache is a few pickles in `.cache/` beside the
sources; it is never needed, and a missing, stale or unreadable cache is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import zlib
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _code_version() -> str:
    """Changes whenever the checker's code does, so old results are never reused."""
    digest = hashlib.blake2b(sys.version.encode(), digest_size=16)
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


SHARDS = 16  # an edit rewrites one shard, not the whole cache


class FileCache:
    def __init__(self, root: Path):
        self.folder = root / ".cache" / "catalogue"
        self.version = _code_version()
        self.shards: list[dict] = [{} for _ in range(SHARDS)]
        self.seen: set[str] = set()
        self.dirty: set[int] = set()
        for number in range(SHARDS):
            try:
                with open(self.folder / f"files-{number:02d}.pickle", "rb") as handle:
                    version, entries = pickle.load(handle)
                if version == self.version:
                    self.shards[number] = entries
            except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError,
                    AttributeError, ImportError):
                pass

    @staticmethod
    def _digest(data: bytes) -> bytes:
        return hashlib.blake2b(data, digest_size=16).digest()

    @staticmethod
    def _shard(name: str) -> int:
        return zlib.crc32(name.encode()) % SHARDS

    def get(self, name: str, data: bytes):
        self.seen.add(name)
        entry = self.shards[self._shard(name)].get(name)
        if entry is not None and entry[0] == self._digest(data):
            return entry[1]
        return None

    def put(self, name: str, data: bytes, result) -> None:
        shard = self._shard(name)
        self.shards[shard][name] = (self._digest(data), result)
        self.dirty.add(shard)

    def save(self) -> None:
        for number, entries in enumerate(self.shards):
            for name in entries.keys() - self.seen:  # deleted or renamed files
                del entries[name]
                self.dirty.add(number)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for number in sorted(self.dirty):
                fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".files-")
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump((self.version, self.shards[number]), handle,
                                protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.folder / f"files-{number:02d}.pickle")
        except OSError:
            pass  # a read-only checkout still gets checked, just without a cache
