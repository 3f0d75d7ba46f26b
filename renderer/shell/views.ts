import type { ComponentType } from 'react';
import type { FileKind } from '../../app/protocol/methods/workspace';
import { NotebookView } from '../features/notebook/NotebookView';
import { AnnotateView } from '../features/annotate/AnnotateView';
import { withTextSets } from '../features/text-annotate/withTextSets';
import { RunView } from '../features/runs/RunView';
import { DatasetView } from '../features/data/DatasetView';
import { PipelineView } from '../features/canvas/PipelineView';
import { ExpectationsView } from '../features/validate/ExpectationsView';
import { ExplainOutputView } from '../features/explain/ExplainPanel';
import { outputViews } from '../stores/output-views';

/** What every document view receives: the workspace path of the document its tab shows. */
export interface DocumentViewProps {
  path: string;
}

/**
 * Which feature shows which kind of workspace entry. Each feature folder exports one view;
 * kinds without an entry fall back to the read-only text view.
 */
export const documentViews: Partial<Record<FileKind, ComponentType<DocumentViewProps>>> = {};
documentViews.dataset = DatasetView;
documentViews.run = RunView;
documentViews.labelset = withTextSets(AnnotateView);
documentViews.notebook = NotebookView;
documentViews.pipeline = PipelineView;
documentViews.expectations = ExpectationsView;
outputViews.explanations = ExplainOutputView;
