// Go's text/template in TypeScript: the public API of the chart engine's template layer.
// Sprig (main/chart/sprig/) and the Helm layer (main/chart/) build on this.
export { TemplateError, isStackOverflow } from './errors';
export type { TemplateErrorCode } from './errors';
export type { MissingKey } from './exec';
export type { ParamType } from './builtins';
export { TemplateSet, execute } from './template-set';
export type { TemplateFunc, FuncMap, TemplateFuncMeta, TemplateSetOptions } from './template-set';
export { sprint, sprintf, sprintln } from './fmt';
export { formatFloat } from './float';
export { goQuote, goQuoteRune, goUnquote } from './quote';
export { htmlEscapeString, jsEscapeString, queryEscape } from './builtins';
export * from './values';
