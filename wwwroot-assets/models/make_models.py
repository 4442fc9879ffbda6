#!/usr/bin/python3
"""Builds the two sample ONNX models the portal seeds its model registry with.

    solar-irradiance.onnx   MLP regression: sun elevation, cloud cover, temperature, humidity -> GHI (W/m2)
    vibration-anomaly.onnx  in-graph features (rms, peak, crest, kurtosis) of a 256-sample window -> anomaly score

Everything is synthetic and deterministic: fixed seeds, single-threaded BLAS, float32 initializers, so running
this twice on the same machine writes byte-identical files. Needs only numpy and onnx (Debian: python3-numpy,
python3-onnx); run it as `/usr/bin/python3 wwwroot-assets/models/make_models.py`. See README.md.
"""

import os

# Pin BLAS to one thread before numpy loads, so float sums happen in the same order on every run.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = 13
IR_VERSION = 7
PRODUCER = "edgeportal-samples"
PRODUCER_VERSION = "1.0"
SEED = 20240611


# ----------------------------------------------------------------------------------------------------------------
# Helpers


def f32(a):
    return np.asarray(a, dtype=np.float32)


def init(name, value):
    return numpy_helper.from_array(f32(value), name=name)


def finish(graph, doc, metadata):
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name=PRODUCER,
        producer_version=PRODUCER_VERSION,
        doc_string=doc,
    )
    model.ir_version = IR_VERSION
    helper.set_model_props(model, metadata)
    onnx.checker.check_model(model, full_check=True)  # full_check also runs strict shape inference
    return model


def save(model, filename):
    path = os.path.join(HERE, filename)
    with open(path, "wb") as fh:
        fh.write(model.SerializeToString())
    onnx.checker.check_model(path, full_check=True)
    print(f"  wrote {filename} ({os.path.getsize(path)} bytes)")
    return path


def run_graph(model, feeds):
    """A tiny float32 interpreter for the handful of ops used here (no onnxruntime needed), to score the exported
    graph itself rather than the float64 training code."""
    env = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    env.update({k: f32(v) for k, v in feeds.items()})
    for node in model.graph.node:
        a = {at.name: helper.get_attribute_value(at) for at in node.attribute}
        x = [env[i] for i in node.input]
        op = node.op_type
        if op == "Add":
            y = x[0] + x[1]
        elif op == "Sub":
            y = x[0] - x[1]
        elif op == "Mul":
            y = x[0] * x[1]
        elif op == "Div":
            y = x[0] / x[1]
        elif op == "Max":
            y = np.maximum(x[0], x[1])
        elif op == "MatMul":
            y = x[0] @ x[1]
        elif op == "Tanh":
            y = np.tanh(x[0])
        elif op == "Relu":
            y = np.maximum(x[0], np.float32(0))
        elif op == "Sqrt":
            y = np.sqrt(x[0])
        elif op == "Abs":
            y = np.abs(x[0])
        elif op == "ReduceMean":
            y = np.mean(x[0], axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1)))
        elif op == "ReduceMax":
            y = np.max(x[0], axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1)))
        elif op == "Concat":
            y = np.concatenate(x, axis=a["axis"])
        else:
            raise NotImplementedError(op)
        env[node.output[0]] = f32(y)
    return [env[o.name] for o in model.graph.output]


# ----------------------------------------------------------------------------------------------------------------
# 1. Solar irradiance forecaster


def solar_ghi(elev_deg, cloud, temp_c, rh):
    """Noise-free GHI in W/m2: Haurwitz clear sky x Kasten-Czeplak cloud factor x small humidity/temperature terms."""
    s = np.sin(np.radians(elev_deg))
    clear = np.where(s > 0, 1098.0 * s * np.exp(-0.057 / np.where(s > 0, s, 1.0)), 0.0)  # Haurwitz (1945)
    kc = 1.0 - 0.75 * cloud**3.4  # Kasten & Czeplak (1980)
    humid = 1.0 - 0.08 * rh
    temp = 1.0 - 0.001 * (temp_c - 25.0)
    return clear * kc * humid * temp


def solar_data(rng, n):
    x = np.column_stack(
        [
            rng.uniform(-10.0, 90.0, n),  # sun elevation, degrees
            rng.uniform(0.0, 1.0, n),  # cloud cover fraction
            rng.uniform(-20.0, 45.0, n),  # air temperature, deg C
            rng.uniform(0.0, 1.0, n),  # relative humidity fraction
        ]
    )
    y = np.clip(solar_ghi(*x.T) + rng.normal(0.0, 15.0, n), 0.0, None)
    return x, y


def fit_mlp(rng, x, y, hidden=24, epochs=150, batch=500, lr_max=1e-2, lr_min=3e-4):
    """4 -> hidden (tanh) -> hidden (tanh) -> 1 on standardised inputs/targets, mini-batch Adam, cosine lr."""
    sizes = [x.shape[1], hidden, hidden, 1]
    params = []
    for i, o in zip(sizes[:-1], sizes[1:]):
        params += [rng.normal(0.0, np.sqrt(1.0 / i), (i, o)), np.zeros(o)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    b1, b2, eps, t = 0.9, 0.999, 1e-8, 0
    n = len(x)
    steps = epochs * (n // batch)
    yy = y.reshape(-1, 1)
    for _ in range(epochs):
        order = rng.permutation(n)
        for k in range(n // batch):
            idx = order[k * batch : (k + 1) * batch]
            xb, yb = x[idx], yy[idx]
            w1, c1, w2, c2, w3, c3 = params
            h1 = np.tanh(xb @ w1 + c1)
            h2 = np.tanh(h1 @ w2 + c2)
            out = h2 @ w3 + c3
            g = 2.0 * (out - yb) / len(xb)
            gw3, gc3 = h2.T @ g, g.sum(0)
            g = (g @ w3.T) * (1.0 - h2**2)
            gw2, gc2 = h1.T @ g, g.sum(0)
            g = (g @ w2.T) * (1.0 - h1**2)
            gw1, gc1 = xb.T @ g, g.sum(0)
            grads = [gw1, gc1, gw2, gc2, gw3, gc3]
            t += 1
            lr = lr_min + 0.5 * (lr_max - lr_min) * (1.0 + np.cos(np.pi * t / steps))
            for j, (p, gr) in enumerate(zip(params, grads)):
                m[j] = b1 * m[j] + (1 - b1) * gr
                v[j] = b2 * v[j] + (1 - b2) * gr * gr
                p -= lr * (m[j] / (1 - b1**t)) / (np.sqrt(v[j] / (1 - b2**t)) + eps)
    return params


def build_solar(rng):
    print("solar-irradiance")
    x, y = solar_data(rng, 20000)
    n_train = 16000
    xtr, ytr, xte, yte = x[:n_train], y[:n_train], x[n_train:], y[n_train:]
    x_mean, x_std = xtr.mean(0), xtr.std(0)
    y_mean, y_std = ytr.mean(), ytr.std()
    params = fit_mlp(rng, (xtr - x_mean) / x_std, (ytr - y_mean) / y_std)
    w1, c1, w2, c2, w3, c3 = params

    nodes = [
        helper.make_node("Sub", ["features", "input_mean"], ["centred"], name="normalise_sub"),
        helper.make_node("Div", ["centred", "input_std"], ["scaled"], name="normalise_div"),
        helper.make_node("MatMul", ["scaled", "W1"], ["z1"], name="dense1_matmul"),
        helper.make_node("Add", ["z1", "b1"], ["a1"], name="dense1_bias"),
        helper.make_node("Tanh", ["a1"], ["h1"], name="dense1_tanh"),
        helper.make_node("MatMul", ["h1", "W2"], ["z2"], name="dense2_matmul"),
        helper.make_node("Add", ["z2", "b2"], ["a2"], name="dense2_bias"),
        helper.make_node("Tanh", ["a2"], ["h2"], name="dense2_tanh"),
        helper.make_node("MatMul", ["h2", "W3"], ["z3"], name="out_matmul"),
        helper.make_node("Add", ["z3", "b3"], ["y_scaled"], name="out_bias"),
        helper.make_node("Mul", ["y_scaled", "target_std"], ["y_centred"], name="denormalise_mul"),
        helper.make_node("Add", ["y_centred", "target_mean"], ["y_raw"], name="denormalise_add"),
        helper.make_node("Relu", ["y_raw"], ["irradiance"], name="non_negative"),
    ]
    inits = [
        init("input_mean", x_mean),
        init("input_std", x_std),
        init("W1", w1),
        init("b1", c1),
        init("W2", w2),
        init("b2", c2),
        init("W3", w3),
        init("b3", c3),
        init("target_std", [y_std]),
        init("target_mean", [y_mean]),
    ]
    graph = helper.make_graph(
        nodes,
        "solar_irradiance_mlp",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", 4])],
        [helper.make_tensor_value_info("irradiance", TensorProto.FLOAT, ["batch", 1])],
        initializer=inits,
    )
    graph.doc_string = "Standardise 4 weather features, MLP 4-24-24-1 with tanh, rescale to W/m2, clamp at 0."

    # Score the exported float32 graph, not the float64 training weights.
    def rmse(xs, ys):
        (pred,) = run_graph(helper.make_model(graph), {"features": xs})
        return float(np.sqrt(np.mean((pred[:, 0].astype(np.float64) - ys) ** 2)))

    train_rmse, test_rmse = rmse(xtr, ytr), rmse(xte, yte)
    noise_floor = float(np.sqrt(np.mean((np.clip(solar_ghi(*xte.T), 0, None) - yte) ** 2)))
    print(f"  train RMSE {train_rmse:.1f} W/m2 on {len(xtr)} rows, test RMSE {test_rmse:.1f} W/m2 on {len(xte)} rows")
    print(f"  (noise floor: the noise-free formula itself scores {noise_floor:.1f} W/m2 on the test rows)")

    model = finish(
        graph,
        "Solar irradiance forecaster for a photovoltaic plant. Input features [batch, 4]: sun elevation (deg), "
        "cloud cover (0..1), air temperature (deg C), relative humidity (0..1). Output irradiance [batch, 1]: "
        "global horizontal irradiance in W/m2, never negative. Trained on synthetic data; see README.md.",
        {
            "domain": "solar",
            "task": "regression",
            "units": "W/m2",
            "inputs": "sun_elevation_deg,cloud_cover,air_temperature_c,relative_humidity",
            "test_rmse_w_m2": f"{test_rmse:.1f}",
            "trained_on": "synthetic Haurwitz clear-sky x Kasten-Czeplak cloud model (see README.md)",
        },
    )
    save(model, "solar-irradiance.onnx")


# ----------------------------------------------------------------------------------------------------------------
# 2. Vibration anomaly scorer

WINDOW = 256
RATE_HZ = 1000.0
SHAFT_HZ = 29.5
RMS_FLOOR = 1e-6  # g; only bites on a (near) all-zero window, where crest would otherwise be 0/0 = NaN
VAR_FLOOR = 1e-12  # g^2; likewise for kurtosis of a constant window


def healthy_windows(rng, n):
    t = np.arange(WINDOW) / RATE_HZ
    x = np.zeros((n, WINDOW))
    for harmonic, amp in ((1, 0.5), (2, 0.15), (3, 0.08)):  # shaft tone and two harmonics, in g
        a = amp * rng.uniform(0.9, 1.1, (n, 1))
        phase = rng.uniform(0.0, 2.0 * np.pi, (n, 1))
        x += a * np.sin(2.0 * np.pi * harmonic * SHAFT_HZ * t + phase)
    return x + rng.normal(0.0, 0.05, (n, WINDOW))


def add_impacts(rng, x, every=32, amp=2.0):
    x = x.copy()
    for row in x:
        row[rng.integers(0, every) :: every] += amp
    return x


def vib_features(x):
    """Same formulas as the graph, in float64."""
    rms = np.sqrt(np.mean(x**2, axis=1))
    peak = np.max(np.abs(x), axis=1)
    crest = peak / np.maximum(rms, RMS_FLOOR)
    d = x - x.mean(axis=1, keepdims=True)
    m2 = np.maximum(np.mean(d**2, axis=1), VAR_FLOOR)
    kurt = np.mean(d**4, axis=1) / m2**2
    return np.column_stack([rms, peak, crest, kurt])


def build_vibration(rng):
    print("vibration-anomaly")
    train = f32(healthy_windows(rng, 2000))
    feats = vib_features(train.astype(np.float64))
    mu = f32(feats.mean(0))
    sigma = f32(np.maximum(feats.std(0), 1e-3))

    def red(op, src, dst):
        return helper.make_node(op, [src], [dst], axes=[1], keepdims=1, name=dst)

    def node(op, ins, out):
        return helper.make_node(op, ins, [out], name=out)

    nodes = [
        node("Mul", ["window", "window"], "x_sq"),
        red("ReduceMean", "x_sq", "mean_sq"),
        node("Sqrt", ["mean_sq"], "rms"),
        node("Abs", ["window"], "x_abs"),
        red("ReduceMax", "x_abs", "peak"),
        node("Max", ["rms", "rms_floor"], "rms_safe"),
        node("Div", ["peak", "rms_safe"], "crest"),
        red("ReduceMean", "window", "x_mean"),
        node("Sub", ["window", "x_mean"], "dev"),
        node("Mul", ["dev", "dev"], "dev2"),
        red("ReduceMean", "dev2", "m2"),
        node("Mul", ["dev2", "dev2"], "dev4"),
        red("ReduceMean", "dev4", "m4"),
        node("Max", ["m2", "var_floor"], "m2_safe"),
        node("Mul", ["m2_safe", "m2_safe"], "m2_sq"),
        node("Div", ["m4", "m2_sq"], "kurtosis"),
        helper.make_node("Concat", ["rms", "peak", "crest", "kurtosis"], ["features"], axis=1, name="features"),
        node("Sub", ["features", "feature_mean"], "feat_centred"),
        node("Div", ["feat_centred", "feature_std"], "z"),
        node("Mul", ["z", "z"], "z_sq"),
        red("ReduceMean", "z_sq", "z_mean_sq"),
        node("Sqrt", ["z_mean_sq"], "score"),
    ]
    graph = helper.make_graph(
        nodes,
        "vibration_anomaly_features",
        [helper.make_tensor_value_info("window", TensorProto.FLOAT, ["batch", WINDOW])],
        [
            helper.make_tensor_value_info("score", TensorProto.FLOAT, ["batch", 1]),
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", 4]),
        ],
        initializer=[
            init("rms_floor", RMS_FLOOR),
            init("var_floor", VAR_FLOOR),
            init("feature_mean", mu),
            init("feature_std", sigma),
        ],
    )
    graph.doc_string = (
        "features = [rms, peak, crest=peak/rms, kurtosis=m4/m2^2] per window; "
        "score = sqrt(mean(((features - feature_mean) / feature_std)^2))."
    )
    probe = helper.make_model(graph)

    (train_scores, train_feats) = run_graph(probe, {"window": train})
    assert np.allclose(train_feats, feats, rtol=1e-4, atol=1e-5), "graph features disagree with numpy"
    threshold = float(np.percentile(train_scores[:, 0], 99.5))
    holdout = f32(healthy_windows(rng, 2000))
    (hold_scores, _) = run_graph(probe, {"window": holdout})
    faulty = f32(add_impacts(rng, healthy_windows(rng, 200)))
    (fault_scores, fault_feats) = run_graph(probe, {"window": faulty})

    print("  feature mean (rms, peak, crest, kurtosis):", ", ".join(f"{v:.4f}" for v in mu))
    print("  feature std                              :", ", ".join(f"{v:.4f}" for v in sigma))
    pct = (50, 90, 99, 99.5, 100)
    print("  healthy (fit set) score percentiles", pct, ":", ", ".join(f"{np.percentile(train_scores, p):.3f}" for p in pct))
    print("  healthy (hold-out) score percentiles", pct, ":", ", ".join(f"{np.percentile(hold_scores, p):.3f}" for p in pct))
    print(f"  threshold (99.5th pct of fit-set healthy scores) = {threshold:.3f}; "
          f"hold-out healthy over it: {np.mean(hold_scores[:, 0] > threshold) * 100:.2f} %")
    print(f"  faulty (healthy + 2 g impact every 32 samples): score min {fault_scores.min():.2f}, "
          f"median {np.median(fault_scores):.2f}; over threshold: {np.mean(fault_scores[:, 0] > threshold) * 100:.1f} %; "
          f"median features {', '.join(f'{v:.3f}' for v in np.median(fault_feats, axis=0))}")

    model = finish(
        graph,
        "Vibration anomaly scorer. Input window [batch, 256]: accelerometer samples in g at 1 kHz. Outputs "
        "features [batch, 4] = rms (g), peak (g), crest factor, kurtosis; and score [batch, 1] = RMS of the "
        "features' z-scores against healthy-machine statistics (feature_mean/feature_std in the metadata). "
        "Scores above the metadata threshold suggest an alarm. Fitted on synthetic data; see README.md.",
        {
            "domain": "vibration",
            "task": "anomaly-score",
            "features": "rms,peak,crest,kurtosis",
            "feature_mean": json.dumps([float(v) for v in mu]),
            "feature_std": json.dumps([float(v) for v in sigma]),
            "threshold": f"{threshold:.3f}",
            "sample_rate_hz": "1000",
        },
    )
    save(model, "vibration-anomaly.onnx")


if __name__ == "__main__":
    rng = np.random.default_rng(SEED)
    build_solar(np.random.default_rng(rng.integers(2**32)))
    build_vibration(np.random.default_rng(rng.integers(2**32)))
