"""A small synthetic picture for the demo's case-note attachment, drawn without an image library.

The picture is a child's morning-routine chart: coloured blocks on a grid, with a tick shape
in the finished rows. It is generated, so no photograph of anyone is shipped.
"""

from __future__ import annotations

import random
import struct
import zlib

WIDTH = 240
HEIGHT = 180
_BACKGROUND = (250, 246, 232)
_GRID = (120, 120, 120)
_COLOURS = [(29, 112, 184), (0, 112, 60), (244, 119, 56), (212, 53, 28), (145, 43, 136)]
_TICK = (0, 112, 60)


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def _pixels(rng: random.Random) -> list[list[tuple[int, int, int]]]:
    image = [[_BACKGROUND for _ in range(WIDTH)] for _ in range(HEIGHT)]
    rows, columns = 5, 4
    cell_w, cell_h = WIDTH // columns, HEIGHT // rows
    for row in range(rows):
        done = rng.random() < 0.7
        for column in range(columns):
            x0, y0 = column * cell_w, row * cell_h
            colour = _COLOURS[(row + column) % len(_COLOURS)] if column == 0 else _BACKGROUND
            for y in range(y0, y0 + cell_h):
                for x in range(x0, x0 + cell_w):
                    edge = y in (y0, y0 + cell_h - 1) or x in (x0, x0 + cell_w - 1)
                    image[y][x] = _GRID if edge else colour
            if column > 0 and done and rng.random() < 0.8:
                # A tick: a short stroke down, then a long stroke up.
                for step in range(cell_h // 3):
                    for thickness in range(3):
                        x = x0 + cell_w // 4 + step // 2
                        y = y0 + cell_h // 2 + step // 2 + thickness
                        if y < y0 + cell_h - 1:
                            image[y][x] = _TICK
                        x = x0 + cell_w // 4 + cell_h // 6 + step
                        y = y0 + cell_h // 2 + cell_h // 6 - step + thickness
                        if x < x0 + cell_w - 1 and y > y0:
                            image[y][x] = _TICK
    return image


def routine_chart_png(seed: int) -> bytes:
    """A PNG of a routine chart; the same seed always draws the same picture."""
    image = _pixels(random.Random(seed))
    raw = b"".join(b"\x00" + bytes(v for pixel in row for v in pixel) for row in image)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )
