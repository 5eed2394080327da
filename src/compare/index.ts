// bench compare: two RunResults → a noise-aware Comparison, and its renderers (terminal, markdown, html, json).
export * from './types.js';
export { parseRegressionBounds, defaultRegressionBounds, formatBound, formatBounds } from './bounds.js';
export { compareResults, ALPHA, type CompareOptions } from './compare.js';
export type { Rounds } from './evidence.js';
export { renderComparisonTerminal, type TerminalCompareOptions } from './render-terminal.js';
export { renderComparisonMarkdown } from './render-markdown.js';
export { renderComparisonHtml } from './render-html.js';
export { renderComparisonJson } from './render-json.js';
export { sideBySideVerdict } from './side-by-side.js';
