import type { VajraContract } from '../../app/protocol/contract';
import type { Handlers } from '../../app/protocol/spec';
import type { Backend } from './backend';
import { workspaceHandlers } from './services/workspace-service';
import { dataHandlers } from './services/data-service';
import { notebookHandlers } from './services/notebook-service';
import { runsHandlers } from './services/runs-service';
import { labelsHandlers } from './services/labels-service';
import { pipelineHandlers } from './services/pipeline-service';
import { textLabelsHandlers } from './services/text-labels-service';
import { exportHandlers } from './services/export-service';
import { reportHandlers } from './services/report-service';
import { validateHandlers } from './services/validate-service';

/**
 * Every method of the contract, from the per-domain services in `services/`. The type makes the
 * set exhaustive: a method added to the contract without a handler fails to compile.
 */
export function createHandlers(backend: Backend): Handlers<VajraContract> {
  return {
    ...workspaceHandlers(backend),
    ...dataHandlers(backend),
    ...notebookHandlers(backend),
    ...runsHandlers(backend),
    ...labelsHandlers(backend),
    ...pipelineHandlers(backend),
    ...textLabelsHandlers(backend),
    ...exportHandlers(backend),
    ...reportHandlers(backend),
    ...validateHandlers(backend),
  };
}
