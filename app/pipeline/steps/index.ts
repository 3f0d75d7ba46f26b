import { assertNever } from '../../base/assert';
import { impute } from './impute';
import { scale } from './scale';
import { oneHot, ordinal } from './encode';
import { bucketize, cyclic, log1p } from './numeric';
import { textVectorizer } from './text';
import { hashingVectorizer } from './hashing';
import { featureSelect, selectColumns } from './select';
import type { ColumnTable, CompileContext, FittedStep, StepImpl, StepKind, StepSpec, StepTarget } from './types';

/** Every step kind's fit/transform/compile. A new kind without an implementation fails to compile. */
export const stepImpls: { readonly [K in StepKind]: StepImpl<K> } = {
  impute, scale, oneHot, ordinal, bucketize, log1p, cyclic, textVectorizer, hashingVectorizer, selectColumns, featureSelect,
};

interface BoundStep {
  transform(table: ColumnTable): ColumnTable;
  compile(ctx: CompileContext): void;
}

function bind<K extends StepKind>(impl: StepImpl<K>, step: Extract<FittedStep, { kind: K }>): BoundStep {
  return { transform: (table) => impl.transform(step, table), compile: (ctx) => impl.compile(step, ctx) };
}

function bound(step: FittedStep): BoundStep {
  switch (step.kind) {
    case 'impute': return bind(impute, step);
    case 'scale': return bind(scale, step);
    case 'oneHot': return bind(oneHot, step);
    case 'ordinal': return bind(ordinal, step);
    case 'bucketize': return bind(bucketize, step);
    case 'log1p': return bind(log1p, step);
    case 'cyclic': return bind(cyclic, step);
    case 'textVectorizer': return bind(textVectorizer, step);
    case 'hashingVectorizer': return bind(hashingVectorizer, step);
    case 'selectColumns': return bind(selectColumns, step);
    case 'featureSelect': return bind(featureSelect, step);
    default: return assertNever(step, 'step kind');
  }
}

/** Fits one step on `table` (the output of the previous steps). */
export function fitStep(spec: StepSpec, table: ColumnTable, target?: StepTarget): FittedStep {
  switch (spec.kind) {
    case 'impute': return impute.fit(spec, table, target);
    case 'scale': return scale.fit(spec, table, target);
    case 'oneHot': return oneHot.fit(spec, table, target);
    case 'ordinal': return ordinal.fit(spec, table, target);
    case 'bucketize': return bucketize.fit(spec, table, target);
    case 'log1p': return log1p.fit(spec, table, target);
    case 'cyclic': return cyclic.fit(spec, table, target);
    case 'textVectorizer': return textVectorizer.fit(spec, table, target);
    case 'hashingVectorizer': return hashingVectorizer.fit(spec, table, target);
    case 'selectColumns': return selectColumns.fit(spec, table, target);
    case 'featureSelect': return featureSelect.fit(spec, table, target);
    default: return assertNever(spec, 'step kind');
  }
}

/** Applies one fitted step to a table (pure; the input table is not changed). */
export function transformStep(step: FittedStep, table: ColumnTable): ColumnTable {
  return bound(step).transform(table);
}

/** Emits one fitted step's ONNX ops, updating `ctx.columns`. */
export function compileStep(step: FittedStep, ctx: CompileContext): void {
  bound(step).compile(ctx);
}

/** Fits the steps in order, each on the previous one's output; returns them and the final table. */
export function fitSteps(specs: readonly StepSpec[], table: ColumnTable, target?: StepTarget): { steps: FittedStep[]; table: ColumnTable } {
  const steps: FittedStep[] = [];
  let current = table;
  for (const spec of specs) {
    const step = fitStep(spec, current, target);
    steps.push(step);
    current = transformStep(step, current);
  }
  return { steps, table: current };
}

/** Applies fitted steps in order (the TypeScript twin of the compiled graph, used for parity). */
export function transformSteps(steps: readonly FittedStep[], table: ColumnTable): ColumnTable {
  return steps.reduce((t, s) => transformStep(s, t), table);
}
