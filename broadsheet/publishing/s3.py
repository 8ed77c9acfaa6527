"""The S3-compatible output backend: a baked site in a bucket, behind a CDN.

Written through django-storages' ``S3Storage`` (boto3), so any S3-compatible service works:
AWS S3, Cloudflare R2, Backblaze B2, MinIO, Ceph… ``broadsheet bake --output s3://bucket/prefix``
or ``BROADSHEET_BAKE_DIR=s3://bucket/prefix``; the connection comes from the environment:
``AWS_S3_ENDPOINT_URL`` (omit for AWS itself), ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
``AWS_S3_REGION_NAME``.

* A file is written only if its bytes changed: its MD5 is compared with the object's ETag
  (S3's ETag of a single-part upload is the MD5 of its bytes), from one listing of the prefix per
  bake (a full bake) or a ``HEAD`` per object (an incremental one); the object gets the page's
  ``Content-Type``.
* The bake's own records (its lock, ``config.json``, the static manifest) are kept on this
  machine under ``<var>/bake-state/<bucket>-<prefix>/``, never in the public bucket.
* Static assets are collected with content-hashed names locally and uploaded under ``static/``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.files.base import ContentFile

from .files import collect_static, is_page_folder, write_atomic


def key_for_path(path: str) -> str:
    """The object key (under the prefix) of URL path ``path``: ``/a/b/`` → ``a/b/index.html``.

    Raises ``ValueError`` for a path that is not absolute or climbs (``..``)."""
    if not path.startswith("/") or any(p in ("..", ".") for p in path.split("/")):
        raise ValueError(f"unsafe path {path!r}")
    rel = path.lstrip("/")
    return rel + "index.html" if path.endswith("/") or not rel else rel


def path_for_key(key: str) -> str:
    """The URL path of an object key (the inverse of :func:`key_for_path`)."""
    if key == "index.html":
        return "/"
    if key.endswith("/index.html"):
        return "/" + key[: -len("index.html")]
    return "/" + key


class S3Output:
    """A baked site under ``prefix`` in ``bucket`` (see the module docstring)."""

    def __init__(self, bucket: str, prefix: str = "", **storage_options: Any) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.name = f"s3://{bucket}/{self.prefix}".rstrip("/")
        self.local_dir: Path | None = None
        self.options = storage_options
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{bucket}-{self.prefix}").strip("-")
        self.state_dir = Path(settings.VAR_DIR) / "bake-state" / slug
        self._storage: Any = None
        self._pid = 0
        self._etags: dict[str, str] | None = None

    def __repr__(self) -> str:
        return f"S3Output({self.name})"

    @classmethod
    def from_url(cls, url: str) -> S3Output:
        """``s3://bucket/prefix``, connection settings from the environment."""
        rest = url.removeprefix("s3://")
        bucket, _, prefix = rest.partition("/")
        if not bucket:
            raise ValueError(f"no bucket in {url!r}")
        env = os.environ
        options = {
            "endpoint_url": env.get("AWS_S3_ENDPOINT_URL") or None,
            "access_key": env.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env.get("AWS_SECRET_ACCESS_KEY") or None,
            "region_name": env.get("AWS_S3_REGION_NAME") or None,
        }
        return cls(bucket, prefix, **{k: v for k, v in options.items() if v})

    # -- storage -----------------------------------------------------------------------------
    @property
    def storage(self) -> Any:
        """The django-storages ``S3Storage`` (made again in a forked process: boto3 clients are
        not shared across processes)."""
        if self._storage is None or self._pid != os.getpid():
            from storages.backends.s3 import S3Storage

            self._storage = S3Storage(
                bucket_name=self.bucket,
                location=self.prefix,
                file_overwrite=True,
                querystring_auth=False,
                default_acl=None,
                **self.options,
            )
            self._pid = os.getpid()
        return self._storage

    @property
    def client(self) -> Any:
        return self.storage.connection.meta.client

    def _full_key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _list(self, under: str = "") -> dict[str, str]:
        """Keys (relative to the prefix) and ETags of every object under ``under``."""
        found: dict[str, str] = {}
        base = self._full_key(under) if under else (self.prefix + "/" if self.prefix else "")
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=base):
            for entry in page.get("Contents", ()):
                key = entry["Key"][len(self.prefix) + 1 :] if self.prefix else entry["Key"]
                found[key] = entry["ETag"].strip('"')
        return found

    def prefetch(self) -> None:
        """List the prefix once, so that writes compare with the listing (full bakes)."""
        self._etags = self._list()

    def _etag(self, key: str) -> str | None:
        if self._etags is not None:
            return self._etags.get(key)
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._full_key(key))
        except ClientError as err:
            if err.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                return None
            raise
        return head["ETag"].strip('"')

    # -- the Output interface ----------------------------------------------------------------
    def write(self, path: str, data: bytes, content_type: str = "") -> bool:
        key = key_for_path(path)
        digest = hashlib.md5(data, usedforsecurity=False).hexdigest()
        if self._etag(key) == digest:
            return False
        content = ContentFile(data)
        content.content_type = content_type or "application/octet-stream"
        self.storage.save(key, content)
        if self._etags is not None:
            self._etags[key] = digest
        return True

    def remove(self, path: str) -> bool:
        key = key_for_path(path)
        if self._etag(key) is None:
            return False
        self.storage.delete(key)
        if self._etags is not None:
            self._etags.pop(key, None)
        return True

    def read(self, path: str) -> bytes | None:
        key = key_for_path(path)
        from botocore.exceptions import ClientError

        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self._full_key(key))
        except ClientError as err:
            if err.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                return None
            raise
        return obj["Body"].read()

    def pages(self) -> set[str]:
        keys = self._etags if self._etags is not None else self._list()
        return {path_for_key(k) for k in keys if is_page_folder(k.split("/")[:-1][:2])}

    def files_under(self, prefix: str) -> list[str]:
        return [
            path_for_key(k) for k in self._list(key_for_path(prefix).removesuffix("index.html"))
        ]

    @contextlib.contextmanager
    def lock(self, name: str = "bake") -> Iterator[None]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with open(self.state_dir / f"lock-{name}", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def read_state(self, name: str) -> bytes | None:
        try:
            return (self.state_dir / name).read_bytes()
        except FileNotFoundError:
            return None

    def write_state(self, name: str, data: bytes) -> None:
        write_atomic(self.state_dir / name, data)

    def collect_static(self) -> Callable[[str], str]:
        """Collect the static assets locally (hashed names), upload them under ``static/``."""
        self.prefetch()
        storage = collect_static(self.state_dir)
        root = self.state_dir / "static"
        for file in sorted(root.rglob("*")):
            if file.is_file():
                import mimetypes

                kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                self.write("/static/" + file.relative_to(root).as_posix(), file.read_bytes(), kind)
        return storage.url

    def static_url(self) -> Callable[[str], str]:
        manifest = self.state_dir / "static" / ManifestStaticFilesStorage.manifest_name
        if not manifest.exists():
            return self.collect_static()
        return ManifestStaticFilesStorage(
            location=str(self.state_dir / "static"), base_url=settings.STATIC_URL
        ).url

    def static_key(self) -> Any:
        manifest = self.state_dir / "static" / ManifestStaticFilesStorage.manifest_name
        return (str(manifest), manifest.stat().st_mtime_ns if manifest.exists() else 0)

    def put_file(self, path: str, source: Path, content_type: str = "") -> bool:
        """Upload the local file ``source`` to ``path`` (if its bytes differ)."""
        return self.write(path, source.read_bytes(), content_type)

    def put_folder(self, path: str, source: Path) -> bool:
        """Never in one go: files are uploaded one by one (:meth:`put_file`)."""
        return False

    @contextlib.contextmanager
    def scratch(self) -> Iterator[Path]:
        """A local scratch folder (removed afterwards)."""
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="broadsheet-scratch-"))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def put_tree(self, folder: Path, prefix: str) -> None:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                self.write(prefix + file.relative_to(folder).as_posix(), file.read_bytes(), "")

    def cleanup(self) -> None:
        self._etags = None
