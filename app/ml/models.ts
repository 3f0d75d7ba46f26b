import type { FittedModel } from './types';

/** The fitted-model variants produced by the non-tree trainers, by kind. */
export type LinearRegressionModel = Extract<FittedModel, { kind: 'linearRegression' }>;
/** A fitted logistic regression (binary: one logit row; multinomial: one row per class). */
export type LogisticRegressionModel = Extract<FittedModel, { kind: 'logisticRegression' }>;
/** Fitted k-means centers (k×features) and the training inertia. */
export type KMeansModel = Extract<FittedModel, { kind: 'kmeans' }>;
/** A fitted multinomial naive Bayes: log priors (k) and feature log probabilities (k×features). */
export type NaiveBayesModel = Extract<FittedModel, { kind: 'naiveBayes' }>;
