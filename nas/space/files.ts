// Search spaces on disk: reading a space file, the default space, and finding a shipped space (a
// file in nas/spaces/) by a round's on-chain spaceId. Apart from space.ts because it needs
// node:fs, which the browser-safe face (nas/space/index.ts) must not reach; the heavy face
// (nas/index.ts) exports it for nodes, CLIs and tests.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SpaceError } from "../errors.js";
import { findSpaceById, parseSpaceText, type SearchSpace } from "./space.js";

function readSpaceFile(path: string | URL): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new SpaceError(`cannot read search space ${String(path)}: ${(e as Error).message}`);
  }
}

/** Reads and checks a space file. */
export function loadSpace(path: string | URL): SearchSpace {
  return parseSpaceText(readSpaceFile(path), String(path));
}

/** The default space shipped with the engine. */
export const DEFAULT_SPACE_URL = new URL("../spaces/mnist-conv-v1.json", import.meta.url);
export function defaultSpace(): SearchSpace {
  return loadSpace(DEFAULT_SPACE_URL);
}

/** A shipped space and its file (worker processes load the file themselves). */
export interface ShippedSpace {
  space: SearchSpace;
  path: string;
}

/** The shipped space (a file in nas/spaces/) whose id is `id`: a round's on-chain spaceId → the space and its file. */
export function findShippedSpace(id: string): ShippedSpace {
  const dir = new URL("../spaces/", import.meta.url);
  // Lazy: findSpaceById stops reading at the match.
  function* files() {
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
      const url = new URL(f, dir);
      yield { source: String(url), text: readSpaceFile(url), url };
    }
  }
  const hit = findSpaceById(files(), id);
  if (!hit) throw new SpaceError(`no search space in nas/spaces/ has id ${id}; add its JSON file there`);
  return { space: hit.space, path: fileURLToPath(hit.file.url) };
}

/** The shipped space whose id is `id`. */
export function spaceById(id: string): SearchSpace {
  return findShippedSpace(id).space;
}

/** The file of the shipped space whose id is `id`, for worker processes that load it themselves. */
export function spacePathById(id: string): string {
  return findShippedSpace(id).path;
}
