// The explorer's request limits, in one place: the page's request builders, the host's validators
// (src/shared/validation/) and the engine's own checks (src/engine/explore/) all read them here, so
// the three can never disagree about how much one request may ask for.

/** Longest factor name a lecture request may name (an attribute table's column names are held to it). */
export const MAX_FACTOR_NAME = 100;
/** Most items any one request may ask for (samples, reconstructions, decoded codes). */
export const MAX_COUNT = 10_000;
/** Most cells per side of a decoder grid the host accepts (the page offers fewer, see webview/gridSpec.ts). */
export const MAX_GRID_STEPS = 32;
/** A decoder grid's half-width, in standard deviations of the codes. */
export const MIN_GRID_RANGE = 0.01;
export const MAX_GRID_RANGE = 20;
/** Most map points decoded in one request (a hover asks for one; a strip for a few dozen). */
export const MAX_DECODE_POINTS = 1024;
/** Most samples reconstructed by one click-through request. */
export const MAX_RECONSTRUCT_SAMPLES = 256;
/** Largest exported image the host accepts: 32 MB of data URL or SVG text. */
export const MAX_EXPORT_CHARS = 32 * 1024 * 1024;
/** Most samples an explorer session holds: the largest `latentExplorer.pointsCap` (defaults.ts). */
export const MAX_SESSION_SAMPLES = 1_000_000;
/** Most samples one lecture sample set may list: a lasso over the largest session the explorer opens. */
export const MAX_SET_SIZE = MAX_SESSION_SAMPLES;
/** Most neighbours (k) asked for at once, by the map and UMAP alike. */
export const MAX_NEIGHBOURS = 200;
/** Largest seed: a 31-bit integer, as the settings allow. */
export const MAX_SEED = 2 ** 31 - 1;
/** Most neighbours the trust overlay measures with. */
export const MAX_TRUST_K = 100;
/** Images in an interpolation strip, both ends included. */
export const MAX_INTERPOLATION_STEPS = 32;
/** Most codes drawn from a VAE's prior at once. */
export const MAX_PRIOR_SAMPLES = 64;
/** Most samples a checkpoint comparison reconstructs side by side. */
export const MAX_COMPARE_RECONSTRUCTIONS = 32;
/** AE vs PCA: the largest number of principal components, and the most inputs shown. */
export const MAX_PCA_COMPONENTS = 128;
export const MAX_AE_VS_PCA_SHOWN = 16;
/** Noise amounts are fractions (of pixels masked, or of the pixel range). */
export const MAX_NOISE_AMOUNT = 1;
