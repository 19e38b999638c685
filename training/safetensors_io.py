"""safetensors files without the dependency: an 8-byte little-endian header length, a JSON
header (name -> dtype, shape, data_offsets; optional __metadata__), then the raw tensor data.
models/FORMAT.md describes what the engine accepts; this module only reads and writes.
"""
from __future__ import annotations

import hashlib
import json
import os
import struct

import numpy as np

DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.float16): "F16", np.dtype(np.int8): "I8", np.dtype(np.int32): "I32"}
NP_DTYPES = {v: k for k, v in DTYPES.items()}


def write_safetensors(path: str, tensors: dict, metadata: dict | None = None) -> int:
    """tensors: name -> numpy array (F32/F16/I8/I32), written in the dict's order. Returns bytes."""
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, a in tensors.items():
        a = np.ascontiguousarray(a)
        if a.dtype not in DTYPES:
            raise ValueError(f"{name}: dtype {a.dtype} is not F32, F16, I8 or I32")
        raw = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": DTYPES[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)  # pad with spaces so the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for raw in blobs:
            f.write(raw)
    return 8 + len(h) + offset


def read_safetensors(path: str) -> dict:
    """name -> numpy array (a copy); the inverse of write_safetensors."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        dt = NP_DTYPES[e["dtype"]].newbyteorder("<")
        out[name] = np.frombuffer(data[8 + n + b:8 + n + end], dtype=dt).reshape(e["shape"]).astype(dt.newbyteorder("="))
    return out


def weights_data_sha(path):
    """sha256 of a safetensors file's tensor data (its header holds the export date)."""
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        f.seek(8 + n)
        return hashlib.sha256(f.read()).hexdigest()

