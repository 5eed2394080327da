// Templates inside structured values (JSON bodies, GraphQL variables, expected JSON): compiled per leaf,
// with constant subtrees left as they are, so a body without templates is stringified once at load.
import type { FieldPath, ProblemSink } from './problems.js';
import { compileTemplate, TemplateError, type Render, type TemplateScope } from './template.js';
import { hasTemplate } from './template-parse.js';

export interface CompiledValue {
  render: Render;
  /** true when no leaf has a template: render always returns the same value */
  constant: boolean;
}

export function compileValue(value: unknown, scope: TemplateScope, path: FieldPath, problems: ProblemSink): CompiledValue {
  if (typeof value === 'string') {
    if (!hasTemplate(value)) return constant(value);
    try {
      return { render: compileTemplate(value, scope), constant: false };
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      problems.add(path, error.message);
      return constant(value);
    }
  }
  if (Array.isArray(value)) return compileList(value, scope, path, problems);
  if (value !== null && typeof value === 'object') return compileMap(value as Record<string, unknown>, scope, path, problems);
  return constant(value);
}

function constant(value: unknown): CompiledValue {
  return { render: () => value, constant: true };
}

function compileList(list: unknown[], scope: TemplateScope, path: FieldPath, problems: ProblemSink): CompiledValue {
  const items = list.map((item, index) => compileValue(item, scope, [...path, index], problems));
  if (items.every((item) => item.constant)) return constant(list);
  return { render: (vars) => items.map((item) => item.render(vars)), constant: false };
}

function compileMap(map: Record<string, unknown>, scope: TemplateScope, path: FieldPath, problems: ProblemSink): CompiledValue {
  const entries = Object.entries(map).map(([key, child]) => [key, compileValue(child, scope, [...path, key], problems)] as const);
  if (entries.every(([, child]) => child.constant)) return constant(map);
  return {
    render: (vars) => {
      const out: Record<string, unknown> = {};
      for (const [key, child] of entries) out[key] = child.render(vars);
      return out;
    },
    constant: false,
  };
}
