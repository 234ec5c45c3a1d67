// The IDX file format of MNIST and Fashion-MNIST (gzipped or not): a big-endian header, magic
// 0x0000 then a type byte (0x08 = unsigned byte) and the number of dimensions, one uint32 per
// dimension, then the values row-major. Images are idx3 (count × rows × cols), labels idx1.
import { gunzipSync } from "node:zlib";
import { DatasetError } from "../errors.js";

export interface Idx {
  dims: number[];
  /** The values, unsigned bytes (the only type these datasets use). */
  data: Uint8Array;
}

/** The file's bytes, decompressed when they start with gzip's magic number. */
export function idxBytes(file: Uint8Array): Uint8Array {
  return file[0] === 0x1f && file[1] === 0x8b ? new Uint8Array(gunzipSync(file)) : file;
}

/** Parses decompressed IDX bytes; throws DatasetError naming `source` and what is wrong. */
export function parseIdx(bytes: Uint8Array, source: string): Idx {
  const fail = (why: string): never => {
    throw new DatasetError(`${source}: ${why}, not an IDX file of unsigned bytes (is the download complete?)`);
  };
  if (bytes.length < 4) fail("shorter than an IDX header");
  if (bytes[0] !== 0 || bytes[1] !== 0) fail("bad magic number");
  if (bytes[2] !== 0x08) fail(`value type 0x${bytes[2].toString(16)}`);
  const rank = bytes[3];
  if (rank < 1 || bytes.length < 4 + 4 * rank) fail(`header of ${rank} dimensions cut short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (bytes.length !== start + size) fail(`${bytes.length - start} value bytes for dimensions ${dims.join("×")} (${size})`);
  return { dims, data: bytes.subarray(start) };
}
