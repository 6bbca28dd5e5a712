"""Publishing a tensor bundle atomically, and cleaning up after writers that were killed.

TF reads a checkpoint as ``prefix.index`` plus ``prefix.data-SSSSS-of-NNNNN``, names derived
from the prefix, so a new generation written to an existing prefix cannot become visible by
renaming its files one by one: between two renames the old index sits next to new data (or
the reverse). A writer therefore puts every file of the new generation into a generation
directory next to the checkpoint, ``.<base>.gen-<host>-<pid>-<token>/`` (``<base>`` is the
prefix's last component; the files inside keep their TF names), and publishes it with one
rename:

* **A new prefix** (no ``prefix.index`` yet): each data file is hard-linked to its TF name,
  then the index; the index's appearance is the publication. The generation directory is
  removed afterwards. The files are plain files, byte-identical to TF's.
* **A prefix that holds a checkpoint**: ``prefix.index`` and ``prefix.data-*`` become relative
  symbolic links into ``.<base>.current/``, itself a symbolic link to the live generation
  directory, and the new generation is published by renaming a new ``.<base>.current`` link
  over the old one. The first time a prefix is overwritten its plain files are hard-linked
  into a generation directory, ``.<base>.current`` is pointed at it, and each plain file is
  replaced by a link to the same bytes: every step leaves a complete checkpoint in place.

Every name a writer creates carries its host and pid; the next save in the directory removes
the temporary files and unpublished generation directories of writers on this host that have
died (and data files a killed writer had linked to a new prefix whose index never appeared).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
import socket

__all__ = ["clean_stale", "current_link", "generation_prefix", "is_alive", "new_tag", "publish"]

HOST = hashlib.sha1(socket.gethostname().encode("utf-8", "surrogateescape")).hexdigest()[:8]
_TAG = r"(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-(?P<token>[0-9a-f]{16})"
_TEMP = re.compile(r"^(?P<final>.+)\.tempstate-" + _TAG + "$")
_GEN = re.compile(r"^\.(?P<base>.+)\.gen-" + _TAG + "$")


# Generation directories this process is writing now: its own others are stale (left by a
# save whose generation another process's save replaced before it could remove it).
ACTIVE: set[str] = set()


def new_tag() -> str:
    """``<host>-<pid>-<token>``: names a writer's temporary files so that liveness can be checked."""
    return f"{HOST}-{os.getpid()}-{secrets.token_hex(8)}"


def temp_name(final: str, tag: str) -> str:
    return f"{final}.tempstate-{tag}"


def generation_dir(prefix: str, tag: str) -> str:
    directory, base = os.path.split(prefix)
    return os.path.join(directory, f".{base}.gen-{tag}")


def current_link(prefix: str) -> str:
    directory, base = os.path.split(prefix)
    return os.path.join(directory, f".{base}.current")


def generation_prefix(prefix: str) -> str | None:
    """The prefix inside the live generation directory if ``prefix.index`` links into one, else None.

    A reader opens the data files under this prefix, so a generation published while it
    reads cannot mix into what it reads.
    """
    index = prefix + ".index"
    if not os.path.islink(index):
        return None
    real = os.path.realpath(index)
    gen_dir, name = os.path.split(real)
    base = os.path.basename(prefix)
    m = _GEN.match(os.path.basename(gen_dir))
    if m is None or m["base"] != base or name != base + ".index":
        return None
    return os.path.join(gen_dir, base)


def is_alive(host: str, pid: int) -> bool:
    """False only for a writer known to be dead: on this host, with no such process."""
    if host != HOST or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. EPERM: the process exists
        return True
    return True


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _replace_with_symlink(target: str, path: str, tag: str) -> None:
    temp = temp_name(path, tag)
    os.symlink(target, temp)
    try:
        os.replace(temp, path)
    except BaseException:
        _remove(temp)
        raise


def _remove(path: str) -> None:
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.remove(path)
    except FileNotFoundError:
        pass


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError as err:
        if err.errno == errno.EEXIST:
            raise
        shutil.copy2(src, dst)


def _data_names(directory: str, base: str) -> list[str]:
    pattern = re.compile(re.escape(base) + r"\.data-\d{5}-of-\d{5}$")
    return sorted(n for n in os.listdir(directory or ".") if pattern.match(n))


def _convert(prefix: str, tag: str, sync: bool) -> None:
    """Moves the checkpoint at ``prefix`` behind ``.<base>.current``, complete at every step.

    A new generation directory gets a hard link (a copy where links fail) of every file the
    prefix's names lead to, ``.<base>.current`` is pointed at it, then each plain file is
    replaced by a link through ``.<base>.current`` to the same bytes, the index last. Names
    that already were links (a conversion cut short) keep leading to the same bytes.
    """
    directory, base = os.path.split(prefix)
    here = directory or "."
    link = current_link(prefix)
    previous = os.readlink(link) if os.path.islink(link) else None
    names = [*_data_names(directory, base), base + ".index"]
    gen = generation_dir(prefix, new_tag())
    ACTIVE.add(os.path.basename(gen))
    try:
        _convert_into(gen, prefix, tag, sync, names, here, link, previous)
    finally:
        ACTIVE.discard(os.path.basename(gen))


def _convert_into(gen: str, prefix: str, tag: str, sync: bool, names: list[str], here: str, link: str,
                  previous: str | None) -> None:
    os.mkdir(gen)
    for name in names:
        src = os.path.join(here, name)
        if os.path.exists(src):  # following links
            _link_or_copy(src, os.path.join(gen, name))
    if sync:
        _fsync_dir(gen)
    _replace_with_symlink(os.path.basename(gen), link, tag)
    inner = os.path.basename(link)
    for name in names:  # the index last
        path = os.path.join(here, name)
        if os.path.lexists(os.path.join(gen, name)) and not (
                os.path.islink(path) and os.readlink(path) == os.path.join(inner, name)):
            _replace_with_symlink(os.path.join(inner, name), path, tag)
    if previous is not None and previous != os.path.basename(gen) and _GEN.match(previous):
        shutil.rmtree(os.path.join(here, previous), ignore_errors=True)


def publish(prefix: str, gen: str, data_names: list[str], tag: str, *, sync: bool = False) -> None:
    """Makes the bundle written in generation directory ``gen`` the checkpoint at ``prefix``.

    ``data_names`` are the data files' names (``<base>.data-SSSSS-of-NNNNN``) in ``gen``,
    which also holds ``<base>.index``. See the module docstring for the two cases.
    """
    directory, base = os.path.split(prefix)
    here = directory or "."
    index_name = base + ".index"
    index = os.path.join(here, index_name)
    if sync:
        _fsync_dir(gen)
    if not os.path.exists(index):  # no checkpoint here (or a dangling link): plain files
        try:
            for name in [*data_names, index_name]:
                temp = temp_name(os.path.join(here, name), tag)
                os.link(os.path.join(gen, name), temp)
                os.replace(temp, os.path.join(here, name))
        except OSError as err:
            if err.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK, errno.EOPNOTSUPP):
                raise
            for name in [*data_names, index_name]:  # no hard links here: rename, index last
                if os.path.lexists(os.path.join(gen, name)):
                    os.replace(os.path.join(gen, name), os.path.join(here, name))
        if sync:
            _fsync_dir(here)
        shutil.rmtree(gen, ignore_errors=True)
        return
    link = current_link(prefix)
    if generation_prefix(prefix) is None:
        _convert(prefix, tag, sync)
    previous = os.readlink(link)
    inner = os.path.basename(link)
    for name in data_names:  # links for a new shard count dangle until the switch
        path = os.path.join(here, name)
        wanted = os.path.join(inner, name)
        if not (os.path.islink(path) and os.readlink(path) == wanted):
            _replace_with_symlink(wanted, path, tag)
    if sync:
        _fsync_dir(here)
    _replace_with_symlink(os.path.basename(gen), link, tag)  # the one rename that publishes
    if sync:
        _fsync_dir(here)
    if previous != os.path.basename(gen) and _GEN.match(previous):
        shutil.rmtree(os.path.join(here, previous), ignore_errors=True)
    keep = set(data_names)
    for name in _data_names(directory, base):
        path = os.path.join(here, name)
        if name not in keep and os.path.islink(path) and os.readlink(path).startswith(inner + os.sep):
            _remove(path)


def clean_stale(directory: str) -> list[str]:
    """Removes what writers that died (on this host) left in ``directory``; returns the names removed.

    That is: their ``*.tempstate-<host>-<pid>-<token>`` files, their generation directories
    that are not the live generation of a prefix, and data files they had linked to a new
    prefix whose index never appeared. This process's own generation directories count as
    left behind unless it is writing them now (``ACTIVE``).
    """
    here = directory or "."
    try:
        names = os.listdir(here)
    except OSError:
        return []
    removed = []
    for name in names:
        m = _TEMP.match(name)
        if m is not None:
            if not is_alive(m["host"], int(m["pid"])):
                _remove(os.path.join(here, name))
                removed.append(name)
            continue
        m = _GEN.match(name)
        if m is None or name in ACTIVE:
            continue
        if int(m["pid"]) != os.getpid() and is_alive(m["host"], int(m["pid"])):
            continue
        link = os.path.join(here, f".{m['base']}.current")
        if os.path.islink(link) and os.readlink(link) == name:
            if os.path.lexists(os.path.join(here, m["base"] + ".index")):
                continue  # the live generation
            _remove(link)  # the checkpoint's index was deleted: its generation is garbage
        gen = os.path.join(here, name)
        index = os.path.join(here, m["base"] + ".index")
        gen_index = os.path.join(gen, m["base"] + ".index")
        published = os.path.exists(index) and os.path.exists(gen_index) and os.path.samefile(index, gen_index)
        if not published:
            try:
                inner = os.listdir(gen)
            except OSError:
                inner = []
            for item in inner:  # data a killed writer had linked to a new prefix
                final = os.path.join(here, item)
                if (item != m["base"] + ".index" and os.path.isfile(final) and not os.path.islink(final)
                        and os.path.samefile(final, os.path.join(gen, item))):
                    _remove(final)
                    removed.append(item)
        _remove(gen)
        removed.append(name)
    return removed
