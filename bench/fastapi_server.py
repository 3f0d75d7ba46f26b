"""FastAPI + uvicorn reference server for bench/serving.ts (run with Debian's /usr/bin/python3).

Serves the same logistic regression as the Vajra bundle (coefficients from the JSON file in
$VAJRA_BENCH_PARAMS) with scikit-learn's predict_proba, behind the MLflow scoring route:
POST /invocations {"dataframe_split": {"columns": [...], "data": [[...]]}} ->
{"predictions": [{"label": ..., "probabilities": [...]}]}.

usage: /usr/bin/python3 bench/fastapi_server.py --port 8000 --workers 1 --params params.json
"""
import argparse
import json
import os
from typing import List

import numpy as np
import uvicorn
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from sklearn.linear_model import LogisticRegression


def load_model():
    with open(os.environ["VAJRA_BENCH_PARAMS"], encoding="utf-8") as f:
        params = json.load(f)
    model = LogisticRegression()
    model.coef_ = np.array([params["coef"]], dtype=np.float64)
    model.intercept_ = np.array(params["intercept"], dtype=np.float64)
    model.classes_ = np.array(params["classes"])
    return model, params["columns"]


class Split(BaseModel):
    columns: List[str]
    data: List[List[float]]


class Request(BaseModel):
    dataframe_split: Split


app = FastAPI()
MODEL, COLUMNS = load_model() if "VAJRA_BENCH_PARAMS" in os.environ else (None, None)


@app.post("/invocations")
async def invocations(request: Request):
    split = request.dataframe_split
    if split.columns != COLUMNS:
        try:
            order = [split.columns.index(c) for c in COLUMNS]
        except ValueError as error:
            raise HTTPException(status_code=400, detail=f"missing column: {error}") from error
        rows = [[row[i] for i in order] for row in split.data]
    else:
        rows = split.data
    x = np.asarray(rows, dtype=np.float64)
    proba = MODEL.predict_proba(x)
    labels = MODEL.classes_[proba.argmax(axis=1)]
    return {"predictions": [{"label": int(l), "probabilities": p.tolist()} for l, p in zip(labels, proba)]}


@app.get("/ping")
async def ping():
    return {}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--params", required=True)
    args = parser.parse_args()
    os.environ["VAJRA_BENCH_PARAMS"] = os.path.abspath(args.params)
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    uvicorn.run("fastapi_server:app", host=args.host, port=args.port, workers=args.workers, log_level="warning", access_log=False)
