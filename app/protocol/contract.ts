import type { Contract } from './spec';
import { workspaceEvents, workspaceMethods } from './methods/workspace';
import { dataEvents, dataMethods } from './methods/data';
import { notebookEvents, notebookMethods } from './methods/notebook';
import { runsEvents, runsMethods } from './methods/runs';
import { labelsEvents, labelsMethods } from './methods/labels';
import { pipelineEvents, pipelineMethods } from './methods/pipeline';
import { textLabelsEvents, textLabelsMethods } from './methods/text-labels';
import { exportEvents, exportMethods } from './methods/export';
import { reportEvents, reportMethods } from './methods/report';
import { validateEvents, validateMethods } from './methods/validate';

/**
 * The one contract between the renderer and the backend. Each domain declares its methods in
 * `methods/<domain>.ts` with schemas; this file only assembles them.
 */
export const contract = {
  methods: {
    ...workspaceMethods,
    ...dataMethods,
    ...notebookMethods,
    ...runsMethods,
    ...labelsMethods,
    ...pipelineMethods,
    ...textLabelsMethods,
    ...exportMethods,
    ...reportMethods,
    ...validateMethods,
  },
  events: {
    ...workspaceEvents,
    ...dataEvents,
    ...notebookEvents,
    ...runsEvents,
    ...labelsEvents,
    ...pipelineEvents,
    ...textLabelsEvents,
    ...exportEvents,
    ...reportEvents,
    ...validateEvents,
  },
} satisfies Contract;

export type VajraContract = typeof contract;
