// Downsampling for charts, on the host, before anything is sent to the webview.

/**
 * Picks at most `max` indices of a time series so that the line looks the same: the range is
 * cut into max/4 equal time buckets and each keeps its first, lowest, highest and last point
 * (M4). Jumps survive because a bucket's extremes always do. `t` ascending; values may be null
 * (ignored for the extremes). Returns ascending indices.
 */
export function downsampleIndices(t: readonly number[], values: readonly (number | null)[], max: number): number[] {
  const n = t.length;
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(max / 4));
  const t0 = t[0]!;
  const span = t[n - 1]! - t0 || 1;
  const out: number[] = [];
  let i = 0;
  for (let b = 0; b < buckets && i < n; b++) {
    const end = b === buckets - 1 ? Infinity : t0 + (span * (b + 1)) / buckets;
    const first = i;
    let lo = -1;
    let hi = -1;
    while (i < n && t[i]! < end) {
      const v = values[i];
      if (v !== null && v !== undefined) {
        if (lo < 0 || v < values[lo]!) lo = i;
        if (hi < 0 || v > values[hi]!) hi = i;
      }
      i++;
    }
    if (i === first) continue;
    const last = i - 1;
    const picked = new Set([first, last]);
    if (lo >= 0) picked.add(lo);
    if (hi >= 0) picked.add(hi);
    out.push(...[...picked].sort((a, b2) => a - b2));
  }
  return out;
}
