// Typed errors of the NAS engine. Each message is one line that says what was wrong and how to
// fix it; callers (CLIs, nodes, the app) print `error.message` as is.

/** Base class: every error the engine throws on bad input is a NasError. */
export class NasError extends Error {
  override name = "NasError";
}

/** A search-space file that does not follow the schema. */
export class SpaceError extends NasError {
  override name = "SpaceError";
}

/** A genome that is not a valid member of its space (or of a subspace). */
export class GenomeError extends NasError {
  override name = "GenomeError";
}

/** A training recipe that does not follow the schema. */
export class RecipeError extends NasError {
  override name = "RecipeError";
}

/** A backend that is unknown or not installed. */
export class BackendError extends NasError {
  override name = "BackendError";
}

/** A search that cannot run or resume as asked (bad bounds, foreign checkpoint). */
export class SearchError extends NasError {
  override name = "SearchError";
}

/** A dataset that is missing, incomplete, or not the release a recipe names. */
export class DatasetError extends NasError {
  override name = "DatasetError";
}
