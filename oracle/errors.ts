// Typed errors of the verifier node: bad command-line input, a state directory that belongs to
// another pool, a key that is not a committee verifier. Each message is one line saying what is
// wrong and how to fix it; the CLI prints it instead of a stack trace.
import { ChainError } from "../chain/errors.js";

/** Bad oracle configuration or state; a ChainError so `explainError` prints it as is. */
export class OracleError extends ChainError {
  override name = "OracleError";
}
