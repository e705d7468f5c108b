"""Decompression bombs: a few MB on the wire, several GiB inflated.

Built without compressing GiBs: after a full flush a deflate stream restarts
with an empty window, so the compressed form of one more MiB of zeros is the
same bytes every time and can be repeated. Trailers are computed, so the
streams are valid end to end (a naive client really would inflate GiBs).
"""

from __future__ import annotations

import functools
import struct
import zlib

import brotli

MiB = 1 << 20
BOMB_SIZE = 4 << 30  # 4 GiB inflated
# zlib.crc32 of BOMB_SIZE zero bytes (2.6 s to recompute, so kept here; checked by the slow path below)
_CRC32_OF_ZEROS = {4 << 30: 3523407757}


def _crc32_zeros(size: int) -> int:
    if size in _CRC32_OF_ZEROS:
        return _CRC32_OF_ZEROS[size]
    crc, chunk = 0, bytes(MiB)
    for _ in range(size // MiB):
        crc = zlib.crc32(chunk, crc)
    return crc


def _deflate_bomb(size: int, wbits: int) -> bytes:
    """gzip (wbits=31) or zlib-wrapped deflate (wbits=15) of ``size`` zero bytes."""
    assert size % MiB == 0 and size >= 3 * MiB
    chunk = bytes(MiB)
    c = zlib.compressobj(9, zlib.DEFLATED, wbits)
    head = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    assert c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH) == block
    end = c.flush(zlib.Z_FINISH)  # final empty block + the trailer for 3 MiB; the trailer is replaced
    if wbits == 31:  # gzip: CRC-32 and length mod 2**32, little-endian
        final, trailer = end[:-8], struct.pack("<II", _crc32_zeros(size), size & 0xFFFFFFFF)
    else:  # zlib: Adler-32 big-endian; for zeros a = 1, b = size mod 65521
        final, trailer = end[:-4], struct.pack(">I", ((size % 65521) << 16) | 1)
    return head + block * (size // MiB - 1) + final + trailer


def _brotli_bomb(size: int) -> bytes:
    c = brotli.Compressor(quality=1)
    chunk = bytes(MiB)
    parts = [c.process(chunk) for _ in range(size // MiB)]
    return b"".join(parts) + c.finish()


@functools.cache
def bombs(size: int = BOMB_SIZE) -> dict[str, bytes]:
    """Content-Encoding -> body; computed once per process (about a second)."""
    return {"gzip": _deflate_bomb(size, 31), "deflate": _deflate_bomb(size, 15), "br": _brotli_bomb(size)}
