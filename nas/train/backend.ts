// Chooses the tfjs backend that trains models. Scores are bit-for-bit reproducible only on the
// same backend, so this is the one place that sets it up.
//
//   wasm (default)  @tensorflow/tfjs-backend-wasm, XNNPACK with SIMD. Single-threaded in Node:
//                   tfjs-backend-wasm 4.x reports WASM_HAS_MULTITHREAD_SUPPORT = false under
//                   Node (tfjs issue #3830) and loads the non-threaded binary, so
//                   setThreadsCount has no effect there. We still pin it to 1, so a future
//                   release that enables threads in Node cannot silently change summation order
//                   or oversubscribe the cores that parallel worker processes already share.
//                   Scale out with processes, not threads.
//   cpu             tfjs's pure-JS backend: slow, but no native code at all.
//   node, gpu       @tensorflow/tfjs-node / -node-gpu (libtensorflow, optionally CUDA). Optional
//                   packages, not dependencies: loaded only when asked for.
//   auto            gpu if it loads, else node, else wasm.
import * as tf from "@tensorflow/tfjs";
import { BackendError } from "../errors.js";
import { registerWasmGradKernels } from "./wasmKernels.js";

export const BACKENDS = ["wasm", "cpu", "node", "gpu", "auto"] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * The reference backend: the one whose training is bit-exact across machines, so two honest
 * re-trainings on it yield the same weights and the same weightsHash. A verifier that re-trained
 * on it seals that hash as its weights digest (VerifierCommittee); on any other backend it seals
 * a zero digest and is compared by score only. The one place this is decided.
 */
export const REFERENCE_BACKEND = "wasm" as const satisfies BackendName;

/** Whether a run on the tfjs backend `tfName` (TrainResult.backend) was on the reference backend. */
export function isReferenceBackend(tfName: string): boolean {
  return tfName === REFERENCE_BACKEND;
}

export interface BackendInfo {
  /** The tfjs backend now active: "wasm", "cpu" or "tensorflow" (node and gpu). */
  name: string;
  requested: BackendName;
  /** True for libtensorflow (node, gpu): native code outside the JS/wasm sandbox. */
  native: boolean;
}

/** Checks a user-supplied backend name; throws BackendError listing the valid ones. */
export function parseBackend(s: string): BackendName {
  const name = s.trim().toLowerCase();
  if ((BACKENDS as readonly string[]).includes(name)) return name as BackendName;
  throw new BackendError(`unknown backend "${s}": use one of ${BACKENDS.join(", ")}`);
}

/** Switches tfjs to `tfName`, turning tfjs's silent `false` into a BackendError. */
async function activate(tfName: string, requested: BackendName): Promise<void> {
  if (tf.getBackend() !== tfName) {
    // Never let the engine fall back to another backend: a score must come from the one asked for.
    const ok = await tf.setBackend(tfName);
    if (!ok) throw new BackendError(`backend "${requested}" failed to initialise (tfjs backend "${tfName}")`);
  }
  await tf.ready();
}

let wasmLoaded: Promise<void> | undefined;
async function useWasm(): Promise<void> {
  wasmLoaded ??= (async () => {
    // The Node build of tfjs-backend-wasm finds its .wasm files next to itself; no setWasmPaths.
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    // Must precede the backend's first initialisation, which is when XNNPACK reads it.
    wasm.setThreadsCount(1);
    registerWasmGradKernels();
  })();
  try {
    await wasmLoaded;
  } catch (e) {
    wasmLoaded = undefined;
    throw new BackendError(`backend "wasm" failed to load: ${firstLine(e)}`);
  }
  await activate("wasm", "wasm");
}

async function useCpu(): Promise<void> {
  await activate("cpu", "cpu");
  // The cpu backend prints an "install tfjs-node" banner (console.warn) on its first tensor.
  // That advice belongs to --backend node; swallow it by making the first write under PROD.
  const prod = tf.env().getBool("PROD");
  tf.env().set("PROD", true);
  try {
    tf.tensor1d([0]).dispose();
  } finally {
    tf.env().set("PROD", prod);
  }
}

const NATIVE = {
  node: { pkg: "@tensorflow/tfjs-node", needs: "libtensorflow" },
  gpu: { pkg: "@tensorflow/tfjs-node-gpu", needs: "CUDA and libtensorflow" },
} as const;

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split("\n")[0];
}

/** Loads @tensorflow/tfjs-node(-gpu), which registers the "tensorflow" backend on import. */
async function useNative(kind: "node" | "gpu"): Promise<void> {
  const { pkg, needs } = NATIVE[kind];
  // A specifier in a variable: tsc must not resolve these optional packages at build time.
  const specifier: string = pkg;
  try {
    await import(specifier);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && firstLine(e).includes(pkg)) {
      throw new BackendError(
        `backend "${kind}" needs ${pkg}, which is not installed: npm install ${pkg} on a machine with ${needs}, or use --backend wasm`,
      );
    }
    throw new BackendError(`backend "${kind}": ${pkg} is installed but failed to load (${firstLine(e)}); or use --backend wasm`);
  }
  await activate("tensorflow", kind);
}

/**
 * Makes `name` the active tfjs backend and waits until it is ready. Cheap to call again with the
 * same name. Throws BackendError when the backend is unknown, not installed or fails to start.
 */
export async function useBackend(name: BackendName): Promise<BackendInfo> {
  const requested = parseBackend(name);
  switch (requested) {
    case "wasm":
      await useWasm();
      break;
    case "cpu":
      await useCpu();
      break;
    case "node":
    case "gpu":
      await useNative(requested);
      break;
    case "auto":
      for (const kind of ["gpu", "node"] as const) {
        try {
          await useNative(kind);
          return { name: tf.getBackend(), requested, native: true };
        } catch (e) {
          if (!(e instanceof BackendError)) throw e;
        }
      }
      await useWasm();
      break;
  }
  return { name: tf.getBackend(), requested, native: tf.getBackend() === "tensorflow" };
}
