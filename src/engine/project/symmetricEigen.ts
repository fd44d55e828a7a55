// The leading eigenpairs of a dense symmetric matrix, in Float64 and exact to rounding:
//   1. Householder reduction to tridiagonal form (as EISPACK tred2, from the last row up), over the
//      lower triangle in row-major order so every inner loop runs along a contiguous row;
//   2. implicit QL on the tridiagonal (tql2) for the eigenvalues, logging each plane rotation
//      instead of applying it to an n×n matrix;
//   3. for each wanted eigenvalue, the logged rotations replayed backwards on a unit vector give the
//      tridiagonal's eigenvector, and the stored reflectors turn it into the matrix's.
// tred2+tql2 as published accumulate all n vectors column by column (stride n): on 784×784 that
// took 1.7 s here, this about a fifth of it for the few dozen components PCA usually keeps.

export interface Eigenpairs {
  /** The k largest eigenvalues, largest first. */
  values: Float64Array;
  /** k × n, row-major: row t is the unit eigenvector of values[t]. Signs are arbitrary. */
  vectors: Float64Array;
}

const EPS = 2 ** -52;
/** QL sweeps allowed per eigenvalue; LAPACK allows 30 and convergence usually takes under 2. */
const MAX_SWEEPS = 60;

/**
 * The k largest eigenvalues of the symmetric n×n matrix `a` (row-major; only the lower triangle is
 * read) with their eigenvectors. `a` is overwritten.
 */
export function symmetricEigen(a: Float64Array, n: number, k: number): Eigenpairs {
  if (n === 0 || k === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const beta = new Float64Array(n);
  tridiagonalize(a, n, d, e, beta);
  const rotations = new RotationLog(n);
  tridiagonalQl(d, e, n, rotations);

  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y] - d[x] || x - y);
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * n);
  // z is n × k with row i contiguous, so each replayed rotation touches two short contiguous rows.
  const z = new Float64Array(n * k);
  for (let t = 0; t < k; t++) {
    values[t] = d[order[t]];
    z[order[t] * k + t] = 1;
  }
  rotations.replayBackwards(z, k);
  for (let t = 0; t < k; t++) {
    const v = vectors.subarray(t * n, (t + 1) * n);
    for (let i = 0; i < n; i++) v[i] = z[i * k + t];
    applyReflectors(a, n, beta, v);
  }
  return { values, vectors };
}

/**
 * Step i (i = n−1 … 2) picks the reflector H = I − β·u·uᵀ on coordinates 0…i−1 that maps row i's
 * first i entries onto its last, then makes the leading i×i block H·A·H = A − u·wᵀ − w·uᵀ, with
 * p = β·A·u and w = p − (β·uᵀp/2)·u. Afterwards d holds the diagonal, e[i] the entry left of d[i]
 * (e[0] = 0), and row i of `a` keeps u, with β[i] (0 when no reflection was needed), for the
 * back-transformation.
 *
 * One sweep over the triangle does both this step's update and the next step's product A·u: row
 * i−1 is updated first, its reflector formed, and every further entry feeds the next product as
 * soon as it is written. That halves the passes over a matrix larger than the cache (4.9 MB at
 * n = 784).
 */
function tridiagonalize(a: Float64Array, n: number, d: Float64Array, e: Float64Array, beta: Float64Array): void {
  const p = new Float64Array(n); // β·A·u of the current step, then w
  const next = new Float64Array(n); // A·u of the next step, summed during this step's update
  let haveProduct = false; // whether the previous sweep already filled `next` for this step
  for (let i = n - 1; i >= 1; i--) {
    const row = i * n;
    const m = i; // size of the block this step reflects
    if (m === 1) {
      e[1] = a[row];
      break;
    }
    if (haveProduct) {
      p.set(next.subarray(0, m));
      haveProduct = false;
    } else {
      if (!makeReflector(a, row, m, e, beta, i)) continue;
      symmetricProduct(a, n, m, row, p);
    }
    const b = beta[i];
    let up = 0;
    for (let j = 0; j < m; j++) {
      p[j] *= b;
      up += p[j] * a[row + j];
    }
    const half = (b * up) / 2;
    for (let j = 0; j < m; j++) p[j] -= half * a[row + j];

    // Row m−1 first: it is the one the next step reflects.
    const last = (m - 1) * n;
    {
      const uj = a[row + m - 1];
      const wj = p[m - 1];
      for (let k = 0; k < m; k++) a[last + k] -= uj * p[k] + wj * a[row + k];
    }
    const m2 = m - 1;
    if (m2 >= 2 && makeReflector(a, last, m2, e, beta, m2)) {
      next.fill(0, 0, m2);
      for (let j = 0; j < m2; j++) {
        const rj = j * n;
        const uj = a[row + j];
        const wj = p[j];
        const vj = a[last + j];
        let sum = 0;
        for (let k = 0; k < j; k++) {
          const x = a[rj + k] - (uj * p[k] + wj * a[row + k]);
          a[rj + k] = x;
          sum += x * a[last + k];
          next[k] += x * vj;
        }
        const diagonal = a[rj + j] - 2 * uj * wj;
        a[rj + j] = diagonal;
        next[j] += sum + diagonal * vj;
      }
      haveProduct = true;
    } else {
      // The next step needs no reflection (or is the last): a plain update; that step finds out again.
      for (let j = 0; j < m2; j++) {
        const rj = j * n;
        const uj = a[row + j];
        const wj = p[j];
        for (let k = 0; k <= j; k++) a[rj + k] -= uj * p[k] + wj * a[row + k];
      }
    }
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
  e[0] = 0;
}

/**
 * Turns the first m entries x of the row at offset `row` into the Householder vector
 * u = x/s − α·e_last (s the largest |x|, so nothing overflows), sets β[i] = 2/(uᵀu) and e[i] = α·s.
 * Returns false, with β[i] = 0 and e[i] = x_last, when x has nothing but its last entry.
 */
function makeReflector(a: Float64Array, row: number, m: number, e: Float64Array, beta: Float64Array, i: number): boolean {
  let scale = 0;
  for (let k = 0; k < m; k++) scale = Math.max(scale, Math.abs(a[row + k]));
  let below = 0;
  if (scale > 0) {
    for (let k = 0; k < m - 1; k++) {
      const x = a[row + k] / scale;
      below += x * x;
    }
  }
  if (below === 0) {
    e[i] = a[row + m - 1];
    beta[i] = 0;
    return false;
  }
  for (let k = 0; k < m; k++) a[row + k] /= scale;
  const last = a[row + m - 1];
  const norm = Math.sqrt(below + last * last);
  const alpha = last > 0 ? -norm : norm;
  e[i] = alpha * scale;
  a[row + m - 1] = last - alpha;
  beta[i] = 1 / (norm * (norm + Math.abs(last))); // uᵀu = 2·norm·(norm + |last|)
  return true;
}

/** p = A·u over the lower triangle of the leading m×m block, u in the row at `row`. */
function symmetricProduct(a: Float64Array, n: number, m: number, row: number, p: Float64Array): void {
  p.fill(0, 0, m);
  for (let j = 0; j < m; j++) {
    const rj = j * n;
    const uj = a[row + j];
    let sum = a[rj + j] * uj;
    for (let k = 0; k < j; k++) {
      const ajk = a[rj + k];
      sum += ajk * a[row + k];
      p[k] += ajk * uj;
    }
    p[j] += sum;
  }
}

/** y ← H(n−1)·…·H(2)·y: the tridiagonal's eigenvector as the matrix's. */
function applyReflectors(a: Float64Array, n: number, beta: Float64Array, y: Float64Array): void {
  for (let i = 2; i < n; i++) {
    const b = beta[i];
    if (b === 0) continue;
    const row = i * n;
    let dot = 0;
    for (let k = 0; k < i; k++) dot += a[row + k] * y[k];
    const f = b * dot;
    for (let k = 0; k < i; k++) y[k] -= f * a[row + k];
  }
}

/** Plane rotations on coordinates (i, i+1), in the order the QL iteration made them. */
class RotationLog {
  private index: Int32Array;
  private cos: Float64Array;
  private sin: Float64Array;
  private length = 0;

  constructor(n: number) {
    const capacity = Math.max(16, n * n);
    this.index = new Int32Array(capacity);
    this.cos = new Float64Array(capacity);
    this.sin = new Float64Array(capacity);
  }

  push(i: number, c: number, s: number): void {
    if (this.length === this.index.length) this.grow();
    this.index[this.length] = i;
    this.cos[this.length] = c;
    this.sin[this.length] = s;
    this.length++;
  }

  /**
   * tql2 turns the eigenvector matrix V into V·G₁·…·G_m, each G taking columns (i, i+1) to
   * (c·vᵢ − s·vᵢ₊₁, s·vᵢ + c·vᵢ₊₁). Column j of the product is G₁(…(G_m·e_j)): the rotations run
   * last to first on the columns of z (n × k, row i contiguous).
   */
  replayBackwards(z: Float64Array, k: number): void {
    const { index, cos, sin } = this;
    for (let r = this.length - 1; r >= 0; r--) {
      const c = cos[r];
      const s = sin[r];
      const lo = index[r] * k;
      const hi = lo + k;
      for (let t = 0; t < k; t++) {
        const x = z[lo + t];
        const y = z[hi + t];
        z[lo + t] = c * x + s * y;
        z[hi + t] = c * y - s * x;
      }
    }
  }

  private grow(): void {
    const size = this.index.length * 2;
    const index = new Int32Array(size);
    const cos = new Float64Array(size);
    const sin = new Float64Array(size);
    index.set(this.index);
    cos.set(this.cos);
    sin.set(this.sin);
    this.index = index;
    this.cos = cos;
    this.sin = sin;
  }
}

/**
 * tql2 (EISPACK, as ported in JAMA) on diagonal d and sub-diagonal e (e[i] couples d[i−1] and
 * d[i]): leaves the eigenvalues in d, unsorted, and logs every rotation instead of applying it.
 */
function tridiagonalQl(d: Float64Array, e: Float64Array, n: number, log: RotationLog): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) m++;
    if (m > l) {
      let sweeps = 0;
      do {
        if (++sweeps > MAX_SWEEPS) throw new Error(`The symmetric eigensolver did not converge (eigenvalue ${l} of ${n})`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;

        p = d[m];
        let c = 1;
        let c2 = 1;
        let c3 = 1;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          log.push(i, c, s);
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** √(x² + y²). Math.hypot is several times slower in V8 and the QL loop calls this ~n² times. */
function hypot(x: number, y: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const big = ax > ay ? ax : ay;
  // Squares of values this size neither overflow nor underflow: skip the rescaling.
  if (big < 1e150 && big > 1e-150) return Math.sqrt(x * x + y * y);
  if (big === 0) return 0;
  const sx = ax / big;
  const sy = ay / big;
  return big * Math.sqrt(sx * sx + sy * sy);
}
