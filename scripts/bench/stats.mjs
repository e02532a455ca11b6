// Small statistics for the bench report.

export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summary(values) {
  return {
    runs: values.length,
    median: round(quantile(values, 0.5)),
    p90: round(quantile(values, 0.9)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
  };
}

export function round(n, digits = 1) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const kb = (bytes) => `${round(bytes / 1024, 1)} KB`;
export const mb = (bytes) => `${round(bytes / (1024 * 1024), 2)} MB`;
