// PromQL checked with Prometheus's own grammar (@prometheus-io/lezer-promql, the parser of Prometheus's web UI):
// syntax errors, and the metric names an expression selects.
import { parser } from '@prometheus-io/lezer-promql';

export function promqlProblems(expr: string): { errors: string[]; metrics: string[] } {
  const errors: string[] = [];
  const metrics: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: "${expr.slice(node.from, node.from + 20)}"`);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector')
        metrics.push(expr.slice(node.from, node.to));
    },
  });
  return { errors, metrics };
}

/** A histogram's or summary's series carry its name plus one of these. */
export const baseMetricName = (series: string): string => series.replace(/_(bucket|sum|count)$/, '');
