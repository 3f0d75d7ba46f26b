import * as ort from 'onnxruntime-node';
import { UserInputError, throwIfAborted } from '../../../app/base/errors';
import type { OnnxScorer, ScoreFeed, ScoreOutput } from '../../../app/pipeline/run/types';

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

function toTensor(feed: ScoreFeed): ort.Tensor {
  switch (feed.elemType) {
    case 'float': return new ort.Tensor('float32', feed.data instanceof Float32Array ? feed.data : Float32Array.from(feed.data, Number), feed.dims);
    case 'double': return new ort.Tensor('float64', feed.data instanceof Float64Array ? feed.data : Float64Array.from(feed.data, Number), feed.dims);
    case 'int64': return new ort.Tensor('int64', feed.data instanceof BigInt64Array ? feed.data : BigInt64Array.from(Array.from<number | string>(feed.data), (v) => BigInt(v)), feed.dims);
    case 'string': return new ort.Tensor('string', Array.isArray(feed.data) ? feed.data : Array.from(feed.data, String), feed.dims);
  }
}

function fromTensor(tensor: ort.Tensor): ScoreOutput {
  const dims = [...tensor.dims];
  if (tensor.type === 'string') return { dims, data: [...(tensor.data as string[])] };
  const data = tensor.data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return { dims, data: Float64Array.from(data, Number) };
  if (ArrayBuffer.isView(data)) return { dims, data: Float64Array.from(data as ArrayLike<number>) };
  throw new UserInputError(`The model output of type ${tensor.type} cannot be read as numbers or text.`);
}

/**
 * An OnnxScorer on onnxruntime-node with one intra-op thread (2 cores are shared). Sessions are
 * cached per bytes object, so scoring the same model twice creates one session. A model that
 * onnxruntime refuses gives a UserInputError with its first line.
 */
export function createOnnxScorer(): OnnxScorer & { sessions: WeakMap<Uint8Array, Promise<ort.InferenceSession>> } {
  const sessions = new WeakMap<Uint8Array, Promise<ort.InferenceSession>>();
  const session = (bytes: Uint8Array) => {
    let entry = sessions.get(bytes);
    if (!entry) {
      entry = ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' }).catch((error: unknown) => {
        sessions.delete(bytes);
        throw new UserInputError(`onnxruntime cannot load this model: ${firstLine(error)}`);
      });
      sessions.set(bytes, entry);
    }
    return entry;
  };
  const score = async (bytes: Uint8Array, feeds: ScoreFeed[], signal?: Parameters<OnnxScorer>[2]): Promise<Record<string, ScoreOutput>> => {
    const s = await session(bytes);
    throwIfAborted(signal);
    const inputs: Record<string, ort.Tensor> = {};
    for (const f of feeds) inputs[f.name] = toTensor(f);
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await s.run(inputs);
    } catch (error) {
      throw new UserInputError(`onnxruntime could not score the rows: ${firstLine(error)}`);
    }
    const result: Record<string, ScoreOutput> = {};
    for (const [name, value] of Object.entries(out)) if (value instanceof ort.Tensor) result[name] = fromTensor(value);
    return result;
  };
  return Object.assign(score, { sessions });
}
