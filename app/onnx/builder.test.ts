import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { createGraphBuilder } from './builder';
import { readOnnxModel } from './reader';
import { dumpOnnxModel } from './dump';
import { attr } from './types';

function smallModel(): Uint8Array {
  const b = createGraphBuilder();
  const x = b.addInput('x', 'float', ['N', 1]);
  const s = b.addInput('city', 'string', ['N', 1]);
  const two = b.addInitializer('two', { type: 'float', dims: [1], values: [2] });
  const y = b.op('Mul', [x, two]);
  const code = b.op('LabelEncoder', [s], { keys_strings: attr.strings(['a', 'b']), values_floats: attr.floats([1, 2]), default_float: attr.float(-1) }, 'ai.onnx.ml');
  b.addOutput(b.op('Add', [y, code]), 'variable', 'float', ['N', 1]);
  return b.build({ graphName: 'small', metadata: { 'vajra.pipeline_id': 'p1', 'vajra.columns': '[]' } });
}

describe('createGraphBuilder()', () => {
  it('build() writes a model that onnxruntime-node runs with typed attributes and string inputs', async () => {
    const session = await ort.InferenceSession.create(smallModel());
    const out = await session.run({
      x: new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [3, 1]),
      city: new ort.Tensor('string', ['a', 'b', 'zz'], [3, 1]),
    });
    expect(Array.from(out['variable']!.data as Float32Array)).toEqual([3, 6, 5]);
  });

  it('uniqueName(hint) never returns a name twice and addInput rejects a taken name', () => {
    const b = createGraphBuilder();
    b.addInput('x', 'float', ['N', 1]);
    expect(b.uniqueName('x')).toBe('x_1');
    expect(b.uniqueName('x')).toBe('x_2');
    expect(() => b.addInput('x_1', 'float', ['N', 1])).toThrow(/already used/);
  });
});

describe('readOnnxModel(bytes)', () => {
  it('returns inputs, outputs, opsets and metadata of a model', () => {
    const info = readOnnxModel(smallModel());
    expect(info.inputs).toEqual([{ name: 'x', elemType: 'float', shape: ['N', 1] }, { name: 'city', elemType: 'string', shape: ['N', 1] }]);
    expect(info.outputs).toEqual([{ name: 'variable', elemType: 'float', shape: ['N', 1] }]);
    expect(info.opsets).toEqual({ '': 15, 'ai.onnx.ml': 3 });
    expect(info.metadata['vajra.pipeline_id']).toBe('p1');
    expect(info.irVersion).toBe(8);
  });

  it('rejects an empty file, random bytes and a protobuf without a graph with a plain message', () => {
    expect(() => readOnnxModel(new Uint8Array())).toThrow(/empty/);
    expect(() => readOnnxModel(new TextEncoder().encode('name,age\nann,31\n'))).toThrow(/not a valid ONNX model/);
    expect(() => readOnnxModel(Uint8Array.from([8, 7]))).toThrow(/no graph/);
    const truncated = smallModel().slice(0, 40);
    expect(() => readOnnxModel(truncated)).toThrow(/not a valid ONNX model/);
  });
});

describe('dumpOnnxModel(bytes)', () => {
  it('prints inputs, initializers and nodes with attributes as stable text', () => {
    const text = dumpOnnxModel(smallModel());
    expect(text).toContain('input city: string[N,1]');
    expect(text).toContain('init two: float[1] [2]');
    expect(text).toContain('= ai.onnx.ml.LabelEncoder(city)');
    expect(text).toContain('    keys_strings = ["a", "b"]');
    expect(dumpOnnxModel(smallModel())).toBe(text);
  });
});
