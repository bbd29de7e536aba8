export { UsrsvcMetrics, renderMetrics } from './UsrsvcMetrics.js';
export { METRIC_STATES, metricStateOf, isProgramUp, type MetricState } from './programStateMetric.js';
export { MonotonicCounter } from './MonotonicCounter.js';
export { TextfileWriter, type TextfileWriterOptions, type TextfileWriterStats } from './TextfileWriter.js';
export { writeFileAtomic } from './writeFileAtomic.js';
export type { Logger, MetricsSnapshot, TransportAlertCounts } from './types.js';
